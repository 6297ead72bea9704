"""``python -m libbounce`` runs the same CLI as the ``bounce`` executable."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import List


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


def _delivery_line(i: int) -> str:
    return (f"Jan  6 08:{i // 60 % 60:02d}:{i % 60:02d} mail postfix/smtp[901]: "
            f"{0x10000000 + i:010X}: to=<u{i}@example.net>, relay=mx.example.net[192.0.2.9]:25, "
            "delay=0.5, delays=0/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n")


def _lines(start: int, stop: int) -> str:
    return "".join(_delivery_line(i) for i in range(start, stop))


def test_parse_follow_reads_through_rotation_until_interrupted(tmp_path: Path) -> None:
    """`bounce parse --follow`: records as lines arrive, through rename-and-create
    and copytruncate rotation, then a clean summary on SIGINT."""
    log = tmp_path / "mail.log"
    log.write_text(_lines(0, 100))
    proc = subprocess.Popen(
        [sys.executable, "-m", "libbounce", "parse", "--follow", "--year", "2025", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    records: "queue.Queue[str]" = queue.Queue()
    reader = threading.Thread(target=lambda: [records.put(line) for line in proc.stdout or []],
                              daemon=True)
    reader.start()

    def take(n: int) -> List[str]:
        return [json.loads(records.get(timeout=30))["recipient"] for _ in range(n)]

    try:
        seen = take(100)
        os.rename(log, tmp_path / "mail.log.1")  # rename and create
        log.write_text(_lines(100, 200))
        seen += take(100)
        os.rename(tmp_path / "mail.log.1", tmp_path / "mail.log.2")  # copytruncate
        shutil.copyfile(log, tmp_path / "mail.log.1")
        with open(log, "r+") as f:
            f.truncate(0)
        with open(log, "a") as f:
            f.write(_lines(200, 300))
        seen += take(100)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        summary = proc.stderr.read() if proc.stderr else ""
    finally:
        proc.kill()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert seen == [f"u{i}@example.net" for i in range(300)]
    reader.join(timeout=5)
    assert records.empty()
    assert "300 lines: 300 parsed, 0 ignored, 0 unparsed; 300 records" in summary


def test_parse_follow_needs_one_file() -> None:
    r = run("parse", "--follow", "-")
    assert r.returncode == 2
    assert "--follow reads exactly one FILE" in r.stderr
