#!/usr/bin/env python3
"""File -> DataFrame throughput of the Python API, beside the C++ parse of the same file and
a hand-written `re` parser of Postfix delivery lines.

    python3 bench/python_read_bench.py FILE [--repeat K] [--threads N] [--year Y]
                                       [--cpp-bench build/bench/bounce_throughput] [--json]

The Python runs share this one process and each figure is the best (minimum) of K rounds,
taken round-robin over the runs (so that a machine whose speed drifts affects every row alike),
which is what survives a noisy, shared machine. The C++ figures come from the `bounce_throughput`
harness on the same file, thread count and year (it also times the final view and the report,
which only lengthens the run). Make a Postfix file with the generator:

    build/corpus/generator/bounce-gen --bytes 200000000 --seed 7 > pf200.log
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, List, Optional

import pandas as pd

import libbounce

# One Postfix delivery line with a classic (RFC 3164) syslog header, e.g.
#   Jul  5 06:00:21 mx1 postfix/smtp[29973]: 185EB21CBD: to=<a@example.org>,
#   relay=mx.example.org[198.51.100.60]:25, delay=0.3, delays=0.01/0/0.3/0.2, dsn=5.1.1,
#   status=bounced (host mx.example.org[198.51.100.60] said: 550 5.1.1 ... (in reply to RCPT TO
#   command))
# Field order follows Postfix's global/log_adhoc.c, with its optional orig_to= and conn_use=.
DELIVERY = re.compile(
    r"(?P<time>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ postfix[^/\s]*/\S+?\[\d+\]: "
    r"(?P<queue_id>[0-9A-Za-z]+): to=<(?P<recipient>[^>]*)>, (?:orig_to=<[^>]*>, )?"
    r"relay=(?P<relay_host>[^\[,]+)(?:\[(?P<relay_ip>[^\]]*)\](?::(?P<relay_port>\d+))?)?, "
    r"(?:conn_use=\d+, )?delay=(?P<delay>[\d.]+), delays=[^,]*, dsn=(?P<dsn>[\d.]+), "
    r"status=(?P<status>\w+) \((?:host \S+ said: )?(?P<reply>.*)\)$")
# Stripped afterwards, from failures only: a lazy `(?P<reply>.*?)` before this suffix inside
# DELIVERY made the parse loop 1.8x slower.
IN_REPLY_TO = r" \(in reply to [^)]*\)$"


def re_parse(path: str, year: int) -> pd.DataFrame:
    """Delivery lines as a user would read them with `re`: one pass, compiled regex, a cheap
    substring test first (five of six lines of a Postfix log are not deliveries), rows as
    tuples, typed columns at the end. No correlation (sender, size, message-id), no
    classification, one timestamp format, and `year` given (no December -> January roll-over)."""
    rows = []
    match = DELIVERY.match
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if " status=" in line and (m := match(line)):
                rows.append(m.groups())
    frame = pd.DataFrame(rows, columns=list(DELIVERY.groupindex))
    frame["time"] = pd.to_datetime(f"{year} " + frame["time"], format="%Y %b %d %H:%M:%S", utc=True)
    frame["delay"] = frame["delay"].astype(float)
    frame["relay_port"] = pd.to_numeric(frame["relay_port"]).astype("Int64")
    frame["status"] = frame["status"].astype("category")
    failed = frame["status"] != "sent"
    frame.loc[failed, "reply"] = frame.loc[failed, "reply"].str.replace(IN_REPLY_TO, "", regex=True)
    return frame


@dataclass
class Run:
    name: str
    seconds: float
    rows: int
    mb_per_s: float = 0.0
    lines_per_s: float = 0.0
    vs_read_log: float = 0.0  # speed relative to read_log: above 1 is faster


def timed(run: Callable[[], Any]) -> tuple[float, int]:
    """Wall time of one run, and the row count of the result."""
    gc.collect()  # the previous run's garbage is not charged to this one
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    return seconds, len(result)


def best_of_rounds(repeat: int, measures: List[Callable[[], List[Run]]]) -> List[Run]:
    """Each measurement's best of `repeat` rounds, the rounds going round the measurements (not
    K in a row) so that a machine whose speed drifts affects every row alike."""
    best: Dict[str, Run] = {}
    for _ in range(repeat):
        for measure in measures:
            for run in measure():
                if run.name not in best or run.seconds < best[run.name].seconds:
                    best[run.name] = run
    return list(best.values())


# A row of bounce_throughput: name, MB/s, lines/s, records, ratio to its newline scan.
CPP_ROW = re.compile(r"(?P<name>\S.*?)\s+\d+\s+(?P<lps>\d+)\s+(?P<records>\d+)\s+[\d.]+x")


def cpp_runs(binary: str, path: str, threads: int, repeat: int, year: int) -> List[Run]:
    """The attempts-view rows of bounce_throughput: 1 thread, then `threads` threads if more."""
    out = subprocess.run([binary, path, "--threads", str(threads), "--repeat", str(repeat),
                          "--year", str(year)], check=True, capture_output=True, text=True).stdout
    header = re.search(r"MB, (\d+) lines", out)
    rows = {m["name"]: m for m in CPP_ROW.finditer(out)}
    wanted = {"parse+classify attempts, 1 thread": "C++ parse, 1 thread"}
    if threads > 1:
        wanted[f"parse+classify attempts, {threads} threads"] = f"C++ parse, {threads} threads"
    if header is None or not wanted.keys() <= rows.keys():
        raise RuntimeError(f"unexpected output from {binary}:\n{out}")
    # lines/s is printed to the unit, so it gives the time more precisely than MB/s.
    return [Run(label, int(header[1]) / int(rows[name]["lps"]), int(rows[name]["records"]))
            for name, label in wanted.items()]


def count_lines(path: str) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="File -> DataFrame throughput of libbounce's Python API.")
    parser.add_argument("file", help="a plain (uncompressed) Postfix log")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="threads for read_log and the C++ parse (default: all cores)")
    parser.add_argument("--year", type=int, default=2025,
                        help="year of the syslog timestamps (bounce_throughput's default)")
    parser.add_argument("--cpp-bench", metavar="PATH", help="build/bench/bounce_throughput")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)

    size_mb = os.path.getsize(args.file) / 1e6
    lines = count_lines(args.file)
    read: Dict[str, Any] = dict(view="attempts", year=args.year, threads=args.threads)
    measures: List[Callable[[], List[Run]]] = [
        lambda: [Run("libbounce.read_log -> pandas",
                     *timed(lambda: libbounce.read_log(args.file, **read)))],
        lambda: [Run("libbounce.read_log_arrow -> Arrow",
                     *timed(lambda: libbounce.read_log_arrow(args.file, **read)))],
    ]
    if args.cpp_bench:
        measures.append(lambda: cpp_runs(args.cpp_bench, args.file, args.threads, 1, args.year))
    measures.append(lambda: [Run("re parser -> pandas (1 thread)",
                                 *timed(lambda: re_parse(args.file, args.year)))])
    runs = best_of_rounds(args.repeat, measures)
    cpp = [r for r in runs if r.name.startswith("C++ parse")]

    read_log = runs[0]
    for run in runs:
        run.mb_per_s, run.lines_per_s = size_mb / run.seconds, lines / run.seconds
        run.vs_read_log = read_log.seconds / run.seconds
    # What the binding (Arrow columns filled per record) and the pandas conversion add to the
    # bare C++ parse at the same thread count (cpp[-1]).
    read_log_vs_cpp = read_log.seconds / cpp[-1].seconds if cpp else None
    # The counts differ on real logs, in both directions: read_log's attempts also hold
    # NOQUEUE and milter rejections, expiries and the other timestamp formats, while the re
    # parser also counts content-filter hops (relay=127.0.0.1[...]:10024) that read_log
    # follows to the next queue id instead of reporting. Generated files have none of these.
    re_rows = runs[-1].rows

    if args.json:
        print(json.dumps({"file": args.file, "mb": size_mb, "lines": lines, "repeat": args.repeat,
                          "threads": args.threads, "runs": [asdict(r) for r in runs],
                          "read_log_vs_cpp": read_log_vs_cpp,
                          "rows": {"read_log_attempts": read_log.rows,
                                   "re_delivery_lines": re_rows}}, indent=2))
        return 0
    print(f"{args.file}: {size_mb:.1f} MB, {lines:,} lines; best of {args.repeat}, "
          f"{args.threads} thread(s) for read_log")
    print(f"{'run':<36} {'s':>7} {'MB/s':>8} {'lines/s':>12} {'rows':>10} {'vs read_log':>12}")
    for r in runs:
        print(f"{r.name:<36} {r.seconds:7.2f} {r.mb_per_s:8.1f} {r.lines_per_s:12,.0f} "
              f"{r.rows:10,} {r.vs_read_log:11.2f}x")
    if read_log_vs_cpp is not None:
        print(f"read_log vs C++ parse ({args.threads} thread(s)): read_log takes "
              f"{read_log_vs_cpp:.2f}x the C++ time")
    print(f"rows: read_log attempts {read_log.rows:,}, re delivery lines {re_rows:,} "
          f"(difference {read_log.rows - re_rows:+,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
