#!/usr/bin/env python3
"""libbounce beside the tools users run today, on the same file in the same run.

    python3 bench/compare.py [--format postfix|exim|sendmail|exchange|ses] [--bytes 1e9]
                             [--file LOG --truth T.json] [--build build] [--repeat K] [--json]

Generates a corpus with bounce-gen (or takes one), then runs, each as its own process, one after
the other: a newline count (`wc -l`, the practical ceiling), `bounce parse` on one thread and on
all, `bounce report`, the log summarisers of the format (pflogsumm for Postfix, eximstats for
Exim; Debian packages, skipped when missing), `libbounce.read_log`, and for Postfix a plain
Python `re` extractor of the delivery lines (bench/python_read_bench.py). `--format sendmail`
makes an sm-mta log (no summariser in Debian reads one), `--format exchange` an Exchange message
tracking log, `--format ses` Amazon SES events (NDJSON). Each row
gives wall time (best of K), MB/s, lines/s, peak RSS, and the speed relative to `bounce parse`
on one thread.
Then it checks that libbounce's final records match the generator's ground truth exactly.

Install the comparison tools (and GNU time, which measures peak RSS) with `scripts/setup --bench`.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass
class Row:
    name: str
    seconds: float
    peak_rss_mb: float
    mb_per_s: float = 0.0
    lines_per_s: float = 0.0
    vs_libbounce: float = 0.0  # speed relative to `bounce parse`, 1 thread: above 1 is faster


def run_once(argv: List[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of argv, output discarded.

    The peak RSS comes from GNU time (/usr/bin/time -f %M): the kernel keeps a
    process's peak across exec, so a child spawned from this Python process
    would report at least this process's size."""
    with tempfile.NamedTemporaryFile("r") as rss, open(os.devnull, "wb") as null:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], stdout=null,
                       stderr=null, check=True)
        seconds = time.perf_counter() - start
        return seconds, int(rss.read().split()[-1]) / 1024  # KiB


def measure(name: str, argv: List[str], repeat: int) -> Row:
    runs = [run_once(argv) for _ in range(repeat)]
    best = min(runs)
    print(f"  {name}: {best[0]:.2f} s", file=sys.stderr)
    return Row(name, best[0], max(r[1] for r in runs))


def truth_check(bounce: str, path: str, truth_path: str) -> str:
    """Final records by outcome, from `bounce parse`, against the generator's truth."""
    with open(truth_path) as f:
        truth = json.load(f)
    out = subprocess.run([bounce, "parse", "--view", "final", "--output", "tsv", "--quiet",
                          "--year", "2025", path], check=True, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    column = lines[0].split("\t").index("outcome")
    counts = collections.Counter(line.split("\t")[column] for line in lines[1:])
    if dict(counts) == truth["by_outcome"]:
        return f"ground truth: exact ({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))})"
    return f"ground truth: MISMATCH: libbounce {dict(counts)} vs truth {truth['by_outcome']}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", choices=["postfix", "exim", "sendmail", "exchange", "ses"], default="postfix")
    ap.add_argument("--bytes", default="2e8", help="corpus size to generate (default 2e8)")
    ap.add_argument("--seed", default="7")
    ap.add_argument("--file", help="an existing corpus instead of a generated one")
    ap.add_argument("--truth", help="its ground truth (bounce-gen --truth)")
    ap.add_argument("--build", default="build", help="the CMake build directory")
    ap.add_argument("--repeat", type=int, default=2, help="runs per tool (best is kept)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = ap.parse_args()

    bounce = os.path.join(args.build, "cli", "bounce")
    gen = os.path.join(args.build, "corpus", "generator", "bounce-gen")
    workdir = tempfile.mkdtemp(prefix="bounce-compare-")
    try:
        path, truth = args.file, args.truth
        if path is None:
            path = os.path.join(workdir, f"{args.format}.log")
            truth = os.path.join(workdir, "truth.json")
            with open(path, "wb") as out:
                subprocess.run([gen, "--format", args.format, "--bytes", args.bytes, "--seed",
                                args.seed, "--truth", truth], stdout=out, check=True)
        size_mb = os.path.getsize(path) / 1e6
        with open(path, "rb") as f:
            lines = sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 24), b""))
        print(f"{path}: {size_mb:.1f} MB, {lines:,} lines ({args.format})", file=sys.stderr)

        common = ["--year", "2025", path]
        tools = [
            ("newline count (wc -l)", ["wc", "-l", path]),
            ("bounce parse, 1 thread", [bounce, "parse", "--quiet", "--threads", "1", *common]),
            ("bounce parse, all threads", [bounce, "parse", "--quiet", "--threads", "0", *common]),
            ("bounce report", [bounce, "report", *common]),
        ]
        summariser = {"postfix": "pflogsumm", "exim": "eximstats"}.get(args.format)
        skipped: List[str] = []
        if summariser and shutil.which(summariser):
            tools.append((summariser, [summariser, path]))
        elif summariser:
            skipped.append(f"{summariser} (not installed: scripts/setup --bench)")
        if args.format == "postfix":
            tools.append(("Python re extractor -> pandas", [
                sys.executable, "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); from python_read_bench import "
                "re_parse; re_parse(sys.argv[2], 2025)", HERE, path]))
        tools.append(("libbounce.read_log -> pandas", [
            sys.executable, "-c",
            "import sys, libbounce; libbounce.read_log(sys.argv[1], year=2025, view='attempts')",
            path]))
        rows = [measure(name, argv, args.repeat) for name, argv in tools]
        base = rows[1].seconds
        for r in rows:
            r.mb_per_s = size_mb / r.seconds
            r.lines_per_s = lines / r.seconds
            r.vs_libbounce = base / r.seconds
        check = truth_check(bounce, path, truth) if truth else "ground truth: not given"

        if args.json:
            print(json.dumps({"file": path, "mb": size_mb, "lines": lines, "format": args.format,
                              "rows": [asdict(r) for r in rows], "check": check,
                              "skipped": skipped}, indent=2))
            return 0
        print(f"{'run':<32} {'s':>7} {'MB/s':>8} {'lines/s':>12} {'peak RSS':>9} "
              f"{'vs bounce parse':>16}")
        for r in rows:
            print(f"{r.name:<32} {r.seconds:7.2f} {r.mb_per_s:8.1f} {r.lines_per_s:12,.0f} "
                  f"{r.peak_rss_mb:7.0f}MB {r.vs_libbounce:15.2f}x")
        for s in skipped:
            print(f"skipped: {s}")
        print(check)
        return 0 if "MISMATCH" not in check else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
