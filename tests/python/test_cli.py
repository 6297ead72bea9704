"""``python -m libbounce`` runs the same CLI as the ``bounce`` executable."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "libbounce", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, check=False)


def test_classify_from_stdin_to_jsonl() -> None:
    r = run("classify", "-", stdin="550 5.1.1 user unknown\n452 4.2.2 mailbox full\n")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["reason"] for row in rows] == ["user_unknown", "mailbox_full"]
    assert rows[0]["suppress_recipient"] is True


def test_usage_error_exit_code() -> None:
    r = run("classify", "--output", "xml", "x")
    assert r.returncode == 2
    assert "--output must be" in r.stderr


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("bounce 0.")
