"""A usage sample checked with ``mypy --strict``: the public API is fully typed."""

from __future__ import annotations

from typing import Dict, List

import libbounce


def suppressions(replies: List[str]) -> List[str]:
    cols: Dict[str, List[object]] = libbounce.classify_many(replies)
    return [r for r, s in zip(replies, cols["suppress_recipient"]) if s]


verdict: libbounce.Classification = libbounce.classify("550 5.1.1 user unknown", host="mx.example.com")
reason: str = verdict.reason
code: int | None = verdict.reply_code
classifier = libbounce.Classifier(rules=[], cache=True)
print(suppressions(["550 5.1.1 user unknown"]), reason, code, classifier.pattern_count)
