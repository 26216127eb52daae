"""Board scale: every board of the registry crawled against the sandbox, politeness off.

    .venv/bin/python benchmarks/board_scale.py [--bench-seconds 15] [--boards N] [--ats NAME]...

The sandbox (in its own process) answers every shipped board of the registry under the real
URL layouts, each with a fate of its own (about 1% gone, 10% empty, some rate-limited, the
rest listing jobs: sandbox/registry.py). Each board source (its TOML's ``[registry]``) crawls
all the shipped boards of its ATS (``--boards N``: the first N of each list), in a real
``scrapy crawl`` with the project's whole stack, politeness off: no download delay, no
AutoThrottle, 32 requests in flight, no HTTP cache, and a ``Retry-After`` never waited for
(the board is deferred, as a live one asking for hours would be). ``scrapy bench`` runs
before and after, in the same run, as the reference.

Printed per source: boards, requests, seconds, boards/s, requests/s and its share of
``scrapy bench``'s pages/s, the crawler's peak RSS, what the boards answered (jobs, none,
unknown, deferred) against the sandbox's own fates, and the security-manager and -leader
postings found against those the sandbox put on the registry boards crawled (the recorded and
generated boards a source pins add their own). Workday's career sites are each a host of
their own: the spider gives each its own download slot, so here, where every site is
127.0.0.1, they still crawl side by side, up to the 32 requests in flight. Targets:
requests/s >= 50% of bench pages/s; peak RSS < 500 MB; the whole registry in under 15
minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.crawl_speed import Crawl, crawl, sandbox_process, scrapy_bench  # noqa: E402
from flows.boards import source_costs  # noqa: E402
from pipeline.boards import SHIPPED_DIR, read_board_csv  # noqa: E402
from pipeline.titles import REPORTED_FAMILIES, classify_title  # noqa: E402
from sandbox.generator import Market  # noqa: E402
from sandbox.registry import ACTIVE, board_plan  # noqa: E402

console = Console(width=130)
TARGET_SHARE = 0.5
TARGET_RSS_MB = 500
TARGET_SECONDS = 15 * 60
# Politeness off, and a Retry-After never waited for: the board is deferred instead.
UNLEASHED = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DOWNLOAD_SLOTS": "{}",
    "HTTPCACHE_ENABLED": "False",
    "RETRY_AFTER_MAX": "0",
}


def registry_values(ats: str, value: str, limit: int | None) -> list[str]:
    """The shipped boards of ``ats`` as the spider takes them (identifier or careers URL)."""
    read = read_board_csv((SHIPPED_DIR / f"{ats}.csv").read_text(encoding="utf-8"), ats)
    entries = read.entries[:limit] if limit else read.entries
    return [e.careers_url if value == "careers_url" else e.identifier for e in entries]


def expected_fates(ats: str, identifiers: list[str], seed: int) -> Counter:
    """The sandbox's fates of the boards checked, and (as "security") the security managers
    and leaders it put on them."""
    plans = [board_plan(ats, identifier, seed) for identifier in identifiers]
    fates = Counter(plan.fate for plan in plans if plan is not None)
    fates["security"] = sum(p.security_jobs for p in plans if p and p.fate == ACTIVE)
    return fates


def read_feed(staging: Path, spider: str, run_id: str) -> tuple[list[dict], int]:
    """The crawl's board checks, and the security managers and leaders it found: as the
    checks count them from the titles listed, or, where a source searches instead of listing
    (its checks say only a total), its postings of those families, each once. Read line by
    line, keeping only the checks: the crawls are started from this process, and a child's
    ru_maxrss starts from its parent's peak (Linux keeps it across exec)."""
    checks: list[dict] = []
    postings: set[str] = set()
    with (staging / spider / f"{run_id}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line) if line.strip() else {}
            if record.get("kind") == "board_check":
                checks.append(record)
            elif (
                record.get("kind") == "job_posting"
                and classify_title(record.get("jobTitle")).family in REPORTED_FAMILIES
            ):
                postings.add(record.get("jobPostingId") or record.get("url"))
    if any(c.get("securityPostings") is not None for c in checks):
        return checks, sum(c.get("securityPostings") or 0 for c in checks)
    return checks, len(postings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-seconds", type=int, default=15)
    parser.add_argument("--boards", type=int, help="only the first N boards of each list")
    parser.add_argument("--ats", action="append", help="only these board sources")
    args = parser.parse_args()
    costs = [c for c in source_costs() if not args.ats or c.source in args.ats]
    market = Market()
    results: list[tuple[str, Crawl, list[dict], int, Counter, int]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(market.size) as url:
        workdir = Path(tmp)
        columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"scrapy bench ({args.bench_seconds} s)", total=1)
            benches = [scrapy_bench(args.bench_seconds, workdir)]
            progress.update(task, completed=1)
            for cost in costs:
                values = registry_values(cost.ats, cost.value, args.boards)
                boards_file = workdir / f"{cost.source}.boards.json"
                boards_file.write_text(json.dumps(values))
                settings = {**UNLEASHED, "SECJOBS_BOARDS_FILE": str(boards_file)}
                label = f"{cost.source} boards"
                done = crawl(cost.source, url, settings, workdir, label, len(values), progress)
                run_id = label.replace(" ", "-")
                checks, found = read_feed(workdir / "staging", cost.source, run_id)
                identifiers = [c["board"] for c in checks]
                fates = expected_fates(cost.ats, identifiers, market.seed)
                results.append((cost.source, done, checks, found, fates, len(values)))
            task = progress.add_task(f"scrapy bench ({args.bench_seconds} s)", total=1)
            benches.append(scrapy_bench(args.bench_seconds, workdir))
            progress.update(task, completed=1)
    report(results, benches, time.perf_counter() - started)


def report(results, benches, wall: float) -> None:
    bench = statistics.mean(b.pages_per_s for b in benches)
    table = Table(title="The whole board registry against the sandbox, politeness off")
    for column in (
        "source",
        "boards",
        "requests",
        "seconds",
        "boards/s",
        "requests/s",
        "÷ bench",
        "peak RSS",
        "jobs / none / unknown / deferred / error",
        "sandbox fates: active / empty / gone / limited",
        "security postings / sandbox's",
    ):
        table.add_column(column, justify="left" if column == "source" else "right")
    total_boards = total_requests = total_seconds = 0.0
    peak = 0.0
    for source, done, checks, security, fates, boards in results:
        outcomes = Counter(c["outcome"] for c in checks)
        total_boards += boards
        total_requests += done.pages
        total_seconds += done.seconds
        peak = max(peak, done.peak_rss_mb)
        table.add_row(
            source,
            f"{boards:,}",
            f"{done.pages:,}",
            f"{done.seconds:,.0f}",
            f"{boards / done.seconds:,.1f}",
            f"{done.pages_per_s:,.1f}",
            f"{done.pages_per_s / bench:.0%}",
            f"{done.peak_rss_mb:,.0f} MB",
            " / ".join(f"{outcomes[k]:,}" for k in ("jobs", "none", "unknown", "limited", "error")),
            " / ".join(f"{fates[k]:,}" for k in ("active", "empty", "gone", "rate_limited")),
            f"{security:,} / {fates['security']:,}",
        )
    console.print(table)
    rate = total_requests / total_seconds if total_seconds else 0.0
    console.print(
        f"scrapy bench: {bench:,.1f} pages/s (mean of {len(benches)} runs: "
        + ", ".join(f"{b.pages_per_s:,.1f}" for b in benches)
        + ")"
    )
    console.print(
        f"all sources: {total_boards:,.0f} boards, {total_requests:,.0f} requests in "
        f"{total_seconds:,.0f} s of crawling ({wall:,.0f} s wall with the benches): "
        f"{total_boards / total_seconds:,.1f} boards/s, {rate:,.1f} requests/s = "
        f"{rate / bench:.0%} of bench (target >= {TARGET_SHARE:.0%}: "
        f"{'met' if rate / bench >= TARGET_SHARE else 'missed'}); peak RSS {peak:,.0f} MB "
        f"(target < {TARGET_RSS_MB} MB: {'met' if peak < TARGET_RSS_MB else 'missed'}); "
        f"registry in {total_seconds / 60:,.1f} min (target < {TARGET_SECONDS // 60} min: "
        f"{'met' if total_seconds < TARGET_SECONDS else 'missed'})"
    )


if __name__ == "__main__":
    main()
