"""The reply oracle (corpus/replies/replies.tsv) through the Python API."""

from __future__ import annotations

import csv
import pathlib
from typing import Dict, List

import pytest

import libbounce

TABLE = pathlib.Path(__file__).resolve().parents[2] / "corpus" / "replies" / "replies.tsv"


def load() -> List[Dict[str, str]]:
    with TABLE.open(newline="", encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = load()


def test_table_is_large_enough() -> None:
    assert len(ROWS) >= 300


def test_every_row_through_classify_many() -> None:
    cols = libbounce.classify_many(
        [r["text"] for r in ROWS],
        codes=[int(r["reply_code"]) if r["reply_code"] else None for r in ROWS],
        enhanced=[r["enhanced_code"] or None for r in ROWS],
        phases=[r["phase"] or None for r in ROWS],
        hosts=[r["host"] or None for r in ROWS],
        domains=[r["recipient_domain"] or None for r in ROWS],
    )
    failures = []
    for i, r in enumerate(ROWS):
        got = (cols["reason"][i], cols["bounce_type"][i],
               "yes" if cols["suppress_recipient"][i] else "no", cols["action"][i],
               cols["provider"][i])
        want = (r["reason"], r["bounce_type"], r["suppress"], r["action"], r["provider"])
        if got != want:
            failures.append(f"{r['text'][:90]!r}: got {got}, want {want} ({cols['rule'][i]})")
    assert not failures, f"{len(failures)} rows differ:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize("column", ["reason", "action", "provider", "bounce_type"])
def test_expected_values_are_in_the_vocabulary(column: str) -> None:
    vocab = {"reason": libbounce.REASONS, "action": libbounce.ACTIONS,
             "provider": libbounce.PROVIDERS, "bounce_type": libbounce.BOUNCE_TYPES}[column]
    assert {r[column] for r in ROWS} <= set(vocab)
