"""The Python classifier API: typed verdicts, vectorised columns, errors, threads."""

from __future__ import annotations

import concurrent.futures
import json
import pathlib

import pytest

import libbounce


def test_classify_returns_a_typed_verdict() -> None:
    v = libbounce.classify(
        "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's "
        "DMARC policy. - gsmtp"
    )
    assert isinstance(v, libbounce.Classification)
    assert (v.bounce_type, v.reason, v.detail, v.action) == (
        "hard", "auth_failure", "dmarc", "fix_authentication")
    assert v.suppress_recipient is False
    assert v.provider == "google"
    assert v.reply_code == 550 and v.enhanced_code == "5.7.26"
    assert v.rule == "google.dmarc_policy"
    assert list(v.to_dict()) == list(libbounce.CLASSIFICATION_COLUMNS)


def test_context_arguments_are_used() -> None:
    v = libbounce.classify(
        "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        code=550, enhanced="5.1.10", phase="RCPT TO",
        host="example-com.mail.protection.outlook.com")
    assert (v.reason, v.stage, v.provider, v.suppress_recipient) == (
        "user_unknown", "rcpt_to", "microsoft_365", True)
    assert libbounce.classify("550 5.1.1 no such user", domain="bob@yahoo.com").provider == "yahoo"


def test_vocabularies_match_the_documented_spelling() -> None:
    assert "user_unknown" in libbounce.REASONS and "rate_limited" in libbounce.REASONS
    assert libbounce.BOUNCE_TYPES == ("hard", "soft", "none", "unknown")
    assert "microsoft_365" in libbounce.PROVIDERS
    assert libbounce.describe("action", "request_delisting").startswith("find the listing")
    with pytest.raises(ValueError):
        libbounce.describe("reason", "nope")


def test_classify_many_matches_classify_row_by_row() -> None:
    texts = ["452 4.2.2 mailbox full", "550 5.1.1 user unknown", None,
             "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"]
    hosts = [None, "aspmx.l.google.com", None, "mta5.am0.yahoodns.net"]
    cols = libbounce.classify_many(texts, hosts=hosts)
    assert set(cols) == set(libbounce.CLASSIFICATION_COLUMNS)
    assert all(len(c) == len(texts) for c in cols.values())
    for i, (t, h) in enumerate(zip(texts, hosts)):
        one = libbounce.classify(t or "", host=h)
        assert {k: cols[k][i] for k in cols} == one.to_dict()
    assert cols["reason"][2] == "unknown"


def test_classify_many_takes_scalars_and_checks_lengths() -> None:
    cols = libbounce.classify_many(["user unknown", "mailbox full"], codes=550, enhanced="5.0.0")
    assert cols["reply_code"] == [550, 550]
    with pytest.raises(ValueError, match="hosts has 1 items"):
        libbounce.classify_many(["a", "b"], hosts=["x"])
    with pytest.raises(TypeError):
        libbounce.classify_many("not a list")


def test_classify_many_accepts_pandas_and_arrow() -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(["550 5.1.1 user unknown", "451 4.7.1 greylisted, try again later"])
    cols = libbounce.classify_many(series, codes=pd.Series([550, float("nan")]))
    assert cols["reason"] == ["user_unknown", "greylisted"]
    frame = pd.DataFrame(cols)
    assert list(frame.columns) == list(libbounce.CLASSIFICATION_COLUMNS)
    pa = pytest.importorskip("pyarrow")
    assert libbounce.classify_many(pa.array(["550 5.1.1 user unknown"]))["reason"] == ["user_unknown"]


def test_user_rules_take_precedence(tmp_path: pathlib.Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"id": "acme.gone", "pattern": "ACME-GONE",
                                  "reason": "address_moved", "source": "acme runbook"}]))
    c = libbounce.Classifier(rules=[rules])
    v = c.classify("550 5.7.1 policy ACME-GONE")
    assert (v.rule, v.rule_source, v.reason, v.suppress_recipient) == (
        "acme.gone", "acme runbook", "address_moved", True)
    assert c.pattern_count == libbounce.Classifier().pattern_count + 1


def test_errors_are_python_exceptions(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tpattern\treason\nx\ty\tnot_a_reason\n")
    with pytest.raises(libbounce.RuleError, match=r"bad.tsv:2: unknown reason 'not_a_reason'"):
        libbounce.Classifier(rules=[bad])
    assert issubclass(libbounce.RuleError, ValueError)
    with pytest.raises(libbounce.InputError):
        libbounce.Classifier(rules=[tmp_path / "missing.tsv"])
    assert issubclass(libbounce.InputError, OSError)
    with pytest.raises(TypeError):
        libbounce.classify(b"550 bytes are not text")  # type: ignore[arg-type]


def test_concurrent_threads_get_the_same_answers() -> None:
    c = libbounce.Classifier()
    texts = [f"550 5.1.1 <user{i}@example.com>: user unknown" for i in range(500)]
    expected = c.classify_many(texts)["reason"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: c.classify_many(texts)["reason"], range(8)))
    assert all(r == expected for r in results)


def test_split_and_normalize() -> None:
    assert libbounce.split_reply("#5.1.1 smtp;550 Requested action not taken") == (
        550, "5.1.1", "Requested action not taken")
    assert libbounce.normalize_reply("from [198.51.100.7]") == "from [{ip}]"
