#!/usr/bin/env python3
"""Is the cost linear in the input? One generated Postfix corpus per size, each read by the
whole-file harness (one thread, attempts view, records consumed) and by `bounce report` (peak RSS
from GNU time), printed as one table.

    python3 bench/scaling.py [--sizes 1e7,1e8,1e9,1e10] [--build build] [--dir /tmp]

Throughput should stay flat across sizes (beyond the fixed start-up cost at the smallest) and peak
memory should not grow with the input (the correlator's bound caps it). The corpora are written to
--dir and removed afterwards; 10 GB needs that much free disk.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

from compare import run_once  # wall time and peak RSS of one process (GNU time)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e7,1e8,1e9,1e10", help="corpus sizes in bytes")
    ap.add_argument("--build", default="build", help="the CMake build directory")
    ap.add_argument("--dir", default=tempfile.gettempdir(), help="where the corpora go")
    args = ap.parse_args()
    gen = os.path.join(args.build, "corpus", "generator", "bounce-gen")
    harness = os.path.join(args.build, "bench", "bounce_throughput")
    bounce = os.path.join(args.build, "cli", "bounce")

    print(f"{'size':>8} {'lines':>12} {'memchr MB/s':>12} {'parse MB/s':>11} {'vs scan':>8} "
          f"{'report s':>9} {'report MB/s':>12} {'report RSS':>11}")
    for size in args.sizes.split(","):
        path = os.path.join(args.dir, f"bounce-scaling-{size}.log")
        try:
            with open(path, "wb") as out:
                subprocess.run([gen, "--bytes", size, "--seed", "7"], stdout=out, check=True)
            mb = os.path.getsize(path) / 1e6
            text = subprocess.run([harness, path, "--repeat", "1", "--year", "2025"],
                                  capture_output=True, text=True, check=True).stdout
            lines = re.search(r"^file .*?: [\d.]+ MB, (\d+) lines", text, re.M)
            scan = re.search(r"^memchr newline count\s+(\d+)", text, re.M)
            parse = re.search(r"^parse\+classify attempts, 1 thread\s+(\d+)\s+\d+\s+\d+\s+([\d.]+)x",
                              text, re.M)
            if not lines or not scan or not parse:
                print(text, file=sys.stderr)
                return 1
            seconds, peak_mb = run_once([bounce, "report", "--year", "2025", path])
            print(f"{mb:7.0f}M {int(lines.group(1)):12,} {int(scan.group(1)):12} "
                  f"{int(parse.group(1)):11} {parse.group(2):>7}x {seconds:9.2f} "
                  f"{mb / seconds:12.0f} {peak_mb:9.0f}MB", flush=True)
        finally:
            if os.path.exists(path):
                os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
