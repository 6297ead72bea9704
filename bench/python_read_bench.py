#!/usr/bin/env python3
"""File -> DataFrame throughput of the Python API, beside the C++ parse of the same file and
two hand-written `re` parsers: one that builds the same DataFrame (correlation and
classification from libbounce's rule tables, in Python), and a bare extractor of the delivery
lines' fields.

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
from typing import Any, Callable, Dict, List, Optional, Tuple

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


# ---- The same DataFrame in pure Python: correlation and classification as a user would write
# them with `re`, from libbounce's own rule tables (libbounce/rules/*.tsv).
RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "libbounce", "rules")
HEADER = re.compile(r"([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) postfix[^/\s]*/(\S+?)\[\d+\]: "
                    r"([0-9A-Za-z]+): (.*)$")
TO_LINE = re.compile(
    r"to=<(?P<rcpt>[^>]*)>, (?:orig_to=<(?P<orig>[^>]*)>, )?relay=(?P<host>[^\[,]+)"
    r"(?:\[(?P<ip>[^\]]*)\](?::(?P<port>\d+))?)?, (?:conn_use=\d+, )?delay=(?P<delay>[\d.]+), "
    r"delays=(?P<delays>[^,]*), dsn=(?P<dsn>[\d.]+), status=(?P<status>\w+) \((?P<text>.*)\)$")
SIZE = re.compile(r"size=(\d+)")
SAID = re.compile(r"host (\S+) said: (.*)$")
PHASE = re.compile(r"\s*\(in reply to (.*) command\)$")
CODES = re.compile(r"([2-5]\d\d)[ -](?:([2-5]\.\d{1,3}\.\d{1,3}) )?")
MASKS = [(re.compile(r"[\w.%+=/'!#$&*?^`{|}~-]+@[\w.-]+"), "{addr}"),
         (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"), "{ip}"),
         (re.compile(r"\b(?=[0-9a-zA-Z_-]*\d)[0-9a-zA-Z_-]{8,}\b"), "{id}")]
ADDRESS_PROBLEMS = {"user_unknown", "invalid_address", "domain_not_found", "mailbox_disabled"}
STAGES = {"RCPT TO": "rcpt_to", "MAIL FROM": "mail_from", "end of DATA": "data", "DATA": "data"}
OUTCOMES = {"sent": "delivered", "deferred": "deferred", "bounced": "bounced",
            "expired": "expired"}


def _tsv(name: str) -> List[List[str]]:
    with open(os.path.join(RULES, name), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip() and line[0] != "#"]
    return rows[1:]  # without the header


class PyClassifier:
    """Reply -> (reason, bounce type, action, stage, provider, rule): text patterns (the
    provider's first, then generic ones, first match wins), then the enhanced code, then the
    reply code; the provider from the MX host or recipient domain suffix; verdicts cached on
    the masked text (addresses, IPs and ids), as libbounce does."""

    def __init__(self) -> None:
        self.patterns: List[Tuple[str, str, str, re.Pattern[str], List[str]]] = []
        for row in _tsv("patterns.tsv"):
            try:
                self.patterns.append((row[0], row[1], row[2], re.compile(row[3], re.I), row[4:]))
            except re.error:
                pass  # RE2 syntax Python lacks
        self.hosts = [(r[2].lower(), r[0]) for r in _tsv("providers.tsv") if r[1] == "host"]
        self.domains = [(r[2].lower(), r[0]) for r in _tsv("providers.tsv") if r[1] == "domain"]
        self.enhanced = {r[0]: r[2:] for r in _tsv("enhanced_codes.tsv")}
        self.replies = {r[0]: r[2:] for r in _tsv("reply_codes.tsv")}
        self.cache: Dict[Tuple[str, str, str, str], Tuple[str, ...]] = {}

    def provider(self, host: str, domain: str) -> str:
        host = host.lower()
        for suffix, name in self.hosts:
            if host.endswith(suffix):
                return name
        for suffix, name in self.domains:
            if domain.endswith(suffix):
                return name
        return "other"

    def classify(self, code: str, enhanced: str, text: str, provider: str) -> Tuple[str, ...]:
        masked = text
        for pattern, mask in MASKS:
            masked = pattern.sub(mask, masked)
        key = (code, enhanced, masked, provider)
        if (hit := self.cache.get(key)) is not None:
            return hit
        subject = f"{code} {enhanced} {masked}"
        found: Optional[Tuple[str, List[str]]] = None
        for tier in (provider, "any"):
            for rule, owner, klass, pattern, rest in self.patterns:
                if (owner == tier and (klass == "*" or klass == code[:1])
                        and pattern.search(subject)):
                    found = (rule, rest)
                    break
            if found:
                break
        if found is None and enhanced and (row := self.enhanced.get("X" + enhanced[1:])):
            found = ("enhanced." + enhanced, row)
        if found is None and (row := self.replies.get(code) or self.replies.get(code[:1] + "xx")):
            found = ("reply." + code, row)
        rule, columns = found or ("", ["unknown", "-", "-", "-", "-"])
        reason, bounce_type, _, action, stage = columns[:5]  # then detail and source
        # "-" and "class": the defaults (bounce type by reply class, the reply code's action,
        # the stage from the SMTP phase).
        if bounce_type in ("-", "class"):
            bounce_type = {"5": "hard", "4": "soft"}.get(code[:1] or enhanced[:1], "unknown")
        if action == "-" and reason in ADDRESS_PROBLEMS and bounce_type == "hard":
            action = "suppress_recipient"
        elif action == "-":
            default = self.replies.get(code[:1] + "xx")
            action = default[3] if default else "investigate"
        verdict = (reason, bounce_type, action, stage, provider, rule)
        self.cache[key] = verdict
        return verdict


SAME_COLUMNS = ["time", "host", "message_key", "message_id", "sender", "size", "client_host",
                "client_ip", "recipient", "orig_recipient", "recipient_domain", "relay_host",
                "relay_ip", "relay_port", "outcome", "status", "dsn", "reply_text", "diagnostic",
                "phase", "delay_s", "delays", "attempt", "file", "line", "reply_code",
                "enhanced_code", "reason", "bounce_type", "action", "stage", "provider", "rule"]


def re_same_frame(path: str, year: int) -> pd.DataFrame:
    """What read_log(view="attempts") gives, in pure Python: one row per delivery attempt with
    the message's sender, size, message-id and client joined in from the qmgr, cleanup and
    smtpd lines (a dict by queue id, dropped at `removed`), the attempt number, the reply
    split into code, enhanced code, phase and text, and the classification of PyClassifier."""
    classifier = PyClassifier()
    messages: Dict[str, Dict[str, Any]] = {}
    rows = []
    header = HEADER.match
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            m = header(line.rstrip("\n"))
            if m is None:
                continue
            when, host, daemon, qid, body = m.groups()
            msg = messages.get(qid)
            if msg is None:  # (setdefault would build a dict for every line)
                msg = messages[qid] = {"attempts": {}}
            if body.startswith("to="):
                d = TO_LINE.match(body)
                if d is None:
                    continue
                rcpt, status, diagnostic = d["rcpt"], d["status"], d["text"]
                said = SAID.match(diagnostic)
                reply = said[2] if said else diagnostic
                phase = PHASE.search(reply)
                if phase:
                    reply = reply[:phase.start()]
                codes = CODES.match(reply)
                code = codes[1] if codes else ""
                enhanced = (codes[2] or "") if codes else d["dsn"]
                text = reply[codes.end():] if codes else reply
                domain = rcpt[rcpt.rfind("@") + 1:].lower()
                provider = classifier.provider(d["host"], domain)
                verdict = (("delivered", "none", "none", "unknown", provider, "generic.success")
                           if status == "sent" else
                           classifier.classify(code, enhanced or d["dsn"], text, provider))
                if verdict[3] == "-":
                    stage = STAGES.get(phase[1] if phase else "", "unknown")
                    verdict = verdict[:3] + (stage,) + verdict[4:]
                attempts = msg["attempts"]
                attempts[rcpt] = attempts.get(rcpt, 0) + 1
                rows.append((when, host, qid, msg.get("message_id", ""), msg.get("sender", ""),
                             msg.get("size"), msg.get("client_host", ""), msg.get("client_ip", ""),
                             rcpt, d["orig"] or "", domain, d["host"], d["ip"] or "", d["port"],
                             OUTCOMES.get(status, "unknown"), status, d["dsn"], reply, diagnostic,
                             phase[1] if phase else "", d["delay"], d["delays"],
                             attempts[rcpt], path, number, code, enhanced or d["dsn"]) + verdict)
            elif body.startswith("from="):
                sender, _, rest = body[6:].partition(">")
                msg["sender"] = sender
                if (size := SIZE.search(rest)):
                    msg["size"] = size[1]
            elif body.startswith("message-id="):
                msg["message_id"] = body[11:].strip("<>")
            elif body.startswith("client="):
                client, _, ip = body[7:].partition("[")
                msg["client_host"], msg["client_ip"] = client, ip.rstrip("]")
            elif body == "removed":
                messages.pop(qid, None)
    frame = pd.DataFrame(rows, columns=SAME_COLUMNS)
    frame["time"] = pd.to_datetime(f"{year} " + frame["time"], format="%Y %b %d %H:%M:%S", utc=True)
    for column in ("size", "relay_port", "reply_code"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    frame["delay_s"] = frame["delay_s"].astype(float)
    for column in ("outcome", "reason", "bounce_type", "action", "stage", "provider"):
        frame[column] = frame[column].astype("category")
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
    measures.append(lambda: [Run("re, same DataFrame (1 thread)",
                                 *timed(lambda: re_same_frame(args.file, args.year)))])
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
                          "same_frame_vs_read_log": next(
                              r.seconds for r in runs if r.name.startswith("re, same"))
                          / read_log.seconds,
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
    same = next(r for r in runs if r.name.startswith("re, same DataFrame"))
    print(f"read_log vs the pure-Python parser of the same DataFrame: "
          f"{same.seconds / read_log.seconds:.1f}x faster ({same.rows:,} rows)")
    print(f"rows: read_log attempts {read_log.rows:,}, re delivery lines {re_rows:,} "
          f"(difference {read_log.rows - re_rows:+,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
