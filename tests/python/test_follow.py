"""libbounce.follow: a live log, rotated while it is followed."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from typing import List

import pytest

import libbounce

pa = pytest.importorskip("pyarrow")


def _line(i: int) -> str:
    return (f"Jan  6 08:{i // 60 % 60:02d}:{i % 60:02d} mail postfix/smtp[901]: "
            f"{0x10000000 + i:010X}: to=<u{i}@example.net>, relay=mx.example.net[192.0.2.9]:25, "
            "delay=0.5, delays=0/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n")


def _append(path: Path, start: int, stop: int) -> None:
    with open(path, "a") as f:
        for i in range(start, stop):
            f.write(_line(i))
            if i % 50 == 0:
                f.flush()
                time.sleep(0.002)


def test_follow_yields_every_line_once_through_rotation(tmp_path: Path) -> None:
    log = tmp_path / "mail.log"
    _append(log, 0, 200)

    recipients: List[str] = []

    def wait_for(n: int) -> None:
        deadline = time.monotonic() + 30
        while len(recipients) < n and time.monotonic() < deadline:
            time.sleep(0.001)

    def writer() -> None:
        wait_for(1)  # the follower has the log open: rotation may begin
        _append(log, 200, 400)
        os.rename(log, tmp_path / "mail.log.1")  # rename and create
        _append(log, 400, 600)
        # The follower must be on the new file before it is copytruncated (one
        # a whole rotation behind cannot know what the copy took).
        wait_for(450)
        os.rename(tmp_path / "mail.log.1", tmp_path / "mail.log.2")  # copytruncate
        shutil.copyfile(log, tmp_path / "mail.log.1")
        os.truncate(log, 0)
        _append(log, 600, 800)

    thread = threading.Thread(target=writer)
    thread.start()
    batches = libbounce.follow(log, year=2025, poll_interval=0.01)
    for batch in batches:
        recipients += batch.column("recipient").to_pylist()
        if len(recipients) >= 800:
            break
    thread.join()
    assert recipients == [f"u{i}@example.net" for i in range(800)]


def test_follow_stop_drains_and_finishes(tmp_path: Path) -> None:
    log = tmp_path / "mail.log"
    _append(log, 0, 10)
    rows = sum(b.num_rows for b in libbounce.follow(log, year=2025, view="final",
                                                     stop=lambda: True))
    assert rows == 10


def test_follow_errors_are_python_exceptions(tmp_path: Path) -> None:
    with pytest.raises(libbounce.InputError, match="cannot open"):
        next(libbounce.follow(tmp_path / "missing.log"))
    with pytest.raises(ValueError, match="unknown format"):
        next(libbounce.follow(tmp_path / "missing.log", format="qmail"))
