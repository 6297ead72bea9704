"""read_log / read_log_arrow / scan / iter_batches: the records of `bounce parse`
as DataFrames and Arrow tables, without per-row Python objects."""

from __future__ import annotations

import gzip
import json
import os
import pathlib
import threading
from pathlib import Path
from typing import Any, List

import pytest

import libbounce

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "corpus" / "samples"
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")


def golden(name: str) -> List[dict]:
    path = SAMPLES / "postfix" / "expected" / f"{name}.final.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_read_log_matches_the_cli_golden_records() -> None:
    df = libbounce.read_log(SAMPLES / "postfix" / "classic.log", year=2025)
    want = golden("classic")
    assert len(df) == len(want)
    assert list(df.columns) == list(libbounce.RECORD_COLUMNS)
    for column in ("recipient", "outcome", "reason", "action", "provider", "message_key"):
        assert [str(v) for v in df[column]] == [w[column] for w in want], column
    codes = [None if pd.isna(v) else int(v) for v in df["reply_code"]]
    assert codes == [w["reply_code"] for w in want]
    stats = df.attrs["stats"]
    assert (stats["lines"], stats["parsed"], stats["ignored"], stats["unparsed"]) == (160, 127, 33, 0)


def test_dtypes_are_typed_not_objects() -> None:
    df = libbounce.read_log(SAMPLES / "postfix" / "classic.log", year=2025)
    assert str(df["time"].dtype) == "datetime64[us, UTC]"
    for column in ("outcome", "reason", "action", "stage", "provider", "format", "bounce_type"):
        assert isinstance(df[column].dtype, pd.CategoricalDtype), column
    assert str(df["reply_code"].dtype) == "Int64"
    assert df["suppress_recipient"].dtype == bool
    assert df["time"].iloc[0] == pd.Timestamp("2025-07-05T07:03:16Z")


def test_attempts_view_and_arrow_table() -> None:
    t = libbounce.read_log_arrow(SAMPLES / "postfix" / "classic.log", year=2025, view="attempts")
    assert t.num_rows == len((SAMPLES / "postfix" / "expected" / "classic.attempts.jsonl").read_text().splitlines())
    assert t.schema.field("time").type == pa.timestamp("us", tz="UTC")
    assert pa.types.is_dictionary(t.schema.field("reason").type)


def test_inputs_bytes_file_objects_globs_and_compression(tmp_path: pathlib.Path) -> None:
    log = (SAMPLES / "postfix" / "dec_rollover.log").read_bytes()
    expected = libbounce.read_log(SAMPLES / "postfix" / "dec_rollover.log", year=2025)
    (tmp_path / "mail.log.1.gz").write_bytes(gzip.compress(log))
    with open(SAMPLES / "postfix" / "dec_rollover.log", "rb") as binary:
        for source in (log, memoryview(log), binary, str(tmp_path / "mail.log.1.gz"),
                       str(tmp_path / "*.gz")):
            df = libbounce.read_log(source, year=2025)
            assert list(df["recipient"]) == list(expected["recipient"])
    with pytest.raises(FileNotFoundError):
        libbounce.read_log(str(tmp_path / "nothing-*.log"))
    with open(SAMPLES / "postfix" / "dec_rollover.log") as text, pytest.raises(TypeError):
        libbounce.read_log(text)  # text mode


def test_text_columns_are_valid_utf8_whatever_the_log_held() -> None:
    # Valid UTF-8 is kept; an invalid byte becomes U+FFFD in its own value only,
    # in any batch and at any row (the columns are checked a batch at a time).
    line = (b"Jul  5 06:00:%02d mx1 postfix/smtp[123]: 4AB12C3D%02X: to=<%s@example.com>, "
            b"relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, "
            b"status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 %s unknown "
            b"(in reply to RCPT TO command))\n")
    names = [b"ann", b"jos\xc3\xa9", b"bob", b"b\xffd", b"eve"]
    log = b"".join(line % (i, i, n, n) for i, n in enumerate(names))
    want = ["ann", "jos\u00e9", "bob", "b\ufffdd", "eve"]
    table = libbounce.read_log_arrow(log, year=2025, view="attempts")
    assert [r.split("@")[0] for r in table.column("recipient").to_pylist()] == want
    assert [t.split(" ")[2] for t in table.column("reply_text").to_pylist()] == want
    batches = list(libbounce.iter_batches(log, year=2025, view="attempts", batch_size=2))
    assert [b.num_rows for b in batches] == [2, 2, 1]
    got = [r.split("@")[0] for b in batches for r in b.column(b.schema.get_field_index(
        "recipient")).to_pylist()]
    assert got == want


def test_on_error_count_collect_raise() -> None:
    path = SAMPLES / "postfix" / "variants.log"
    assert libbounce.read_log(path, year=2025).attrs["stats"]["unparsed"] == 2
    errors = libbounce.read_log(path, year=2025, on_error="collect").attrs["stats"]["errors"]
    assert [e[1] for e in errors] == [46, 51]
    assert "\ufffd" in errors[1][3]  # the junk line's bytes, decoded leniently
    with pytest.raises(libbounce.InputError, match="variants.log:46"):
        libbounce.read_log(path, year=2025, on_error="raise")
    with pytest.raises(ValueError):
        libbounce.read_log(path, on_error="ignore")
    with pytest.raises(libbounce.InputError, match="nonexistent"):
        libbounce.read_log("/nonexistent/mail.log")


def test_provider_events_and_mixed_inputs() -> None:
    df = libbounce.read_log([SAMPLES / "ses" / "events.ndjson", SAMPLES / "sendgrid" / "webhook.json"],
                            view="attempts")
    assert set(df["format"].astype(str)) == {"ses", "sendgrid"}
    assert len(df) == 11 + 9


def test_scan_is_lazy_and_streams_to_pyarrow_polars_duckdb() -> None:
    s = libbounce.scan(SAMPLES / "demo" / "mail.log*", year=2025, view="attempts")
    assert s._result is None  # nothing read yet
    table = pa.table(s)
    assert table.num_rows == s.stats["records"] > 1000
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(libbounce.scan(SAMPLES / "demo" / "mail.log*", year=2025, view="attempts"))
    assert frame.height == table.num_rows
    duckdb = pytest.importorskip("duckdb")
    records = libbounce.read_log_arrow(SAMPLES / "demo" / "mail.log*", year=2025, view="attempts")
    n = duckdb.sql("select count(*) from records where reason = 'auth_failure'").fetchall()[0][0]
    assert n == table.filter(pa.compute.equal(table["reason"].cast(pa.string()), "auth_failure")).num_rows > 0


def test_iter_batches_and_progress() -> None:
    seen: List[tuple] = []
    batches = list(libbounce.iter_batches(SAMPLES / "demo" / "mail.log", batch_size=500, year=2025,
                                          view="attempts", progress=lambda d, t: seen.append((d, t))))
    assert all(b.num_rows <= 500 for b in batches) and len(batches) > 1
    assert seen and seen[-1][0] == seen[-1][1] > 0


def test_threads_give_identical_rows_and_concurrent_reads_are_safe() -> None:
    one = libbounce.read_log(SAMPLES / "demo" / "mail.log*", year=2025, threads=1)
    two = libbounce.read_log(SAMPLES / "demo" / "mail.log*", year=2025, threads=2)
    pd.testing.assert_frame_equal(one, two)
    # Several Python threads, each reading another format, at the same time:
    # each result is identical to the same read done alone.
    sources = [SAMPLES / "demo" / "mail.log*", SAMPLES / "exim" / "mainlog",
               SAMPLES / "sendmail" / "maillog", SAMPLES / "exchange" / "MSGTRK20240125-1.LOG",
               SAMPLES / "ses" / "events.ndjson", SAMPLES / "postfix" / "variants.log"]
    alone = [libbounce.read_log(src, year=2025, view="attempts") for src in sources]
    together: List[Any] = [None] * len(sources)
    errors: List[BaseException] = []

    def work(k: int) -> None:
        try:
            for _ in range(3):
                together[k] = libbounce.read_log(sources[k], year=2025, view="attempts")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(sources))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k, frame in enumerate(together):
        pd.testing.assert_frame_equal(frame, alone[k])


def test_the_gil_is_released_while_parsing(tmp_path: Path) -> None:
    """A read blocked on a FIFO must let the main thread run: the main thread
    is the one writing the FIFO, so a held GIL would deadlock (and time out)."""
    fifo = tmp_path / "mail.log"
    os.mkfifo(fifo)
    result: List[Any] = []
    reader = threading.Thread(
        target=lambda: result.append(libbounce.read_log(fifo, year=2025, format="postfix")))
    reader.start()
    with open(fifo, "wb") as f:
        f.write((SAMPLES / "postfix" / "dec_rollover.log").read_bytes())
    reader.join(timeout=30)
    assert not reader.is_alive()
    assert len(result[0]) == 2
