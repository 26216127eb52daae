"""Crawl speed against `scrapy bench`, and the peak memory of a large crawl, printed as tables.

    .venv/bin/python benchmarks/crawl_speed.py [--postings 5000] [--bench-seconds 15]
        [--memory-postings 200000] [--memory-steps 20000,50000] [--skip-speed] [--skip-memory]

1. Speed (issue #8): `scrapy bench` (run from a temporary directory, so the project's settings
   do not apply) and `scrapy crawl careers` / `greenhouse` against the sandbox, back to back
   (bench, careers, greenhouse, bench). Target: careers postings/s >= 50% of bench pages/s.
2. Memory: peak RSS of `scrapy crawl careers` for growing crawls, with Scrapy's in-memory
   scheduler queue and with a job directory (JOBDIR, as flows/pipeline.py runs every crawl).
   Target: a 200,000-posting crawl stays under 500 MB.

The sandbox runs in its own process (`secjobs sandbox serve`), so it does not share the
crawler's interpreter; on a small machine it still shares the CPUs, as does everything else
running, hence the load average beside every figure. `--postings` and `--memory-postings`
count the postings the careers crawl yields: the careers site carries about half of the
generated market, so the sandbox market is sized to hold that many.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.generator import Market, generate_posting  # noqa: E402

# Wide enough for the tables when the output is piped to a file (rich assumes 80 columns).
console = Console(width=None if sys.stdout.isatty() else 110)
TARGET_SHARE = 0.5  # of scrapy bench's pages/s
MEMORY_LIMIT_MB = 500
# Politeness lifted for a local server only: the project's defaults (1 s delay, AutoThrottle,
# 2 per domain) are deliberately slow for real sites. JOBDIR is added per run.
SPEED_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "HTTPCACHE_ENABLED": "False",
}
_BENCH_LINE = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")
_SCRAPED = re.compile(r"scraped (\d+) items")


def load() -> float:
    """The 1-minute load average when a run ends: roughly the load during it."""
    return os.getloadavg()[0]


# --- scrapy bench ---------------------------------------------------------------------------


@dataclass
class Bench:
    rates: list[float]  # pages/s of each LOGSTATS interval after the first
    pages: int
    seconds: float
    load: float

    @property
    def pages_per_s(self) -> float:
        """Steady state: the median of the per-interval rates, ramp-up interval left out."""
        return statistics.median(self.rates)


def scrapy_bench(seconds: int, workdir: Path) -> Bench:
    """`scrapy bench` outside the project: its own server on 127.0.0.1:8998, default settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "SECJOBS_"))}
    where = Path(tempfile.mkdtemp(dir=workdir, prefix="bench-"))
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = _BENCH_LINE.findall(done.stderr)
    # The first line is logged as the spider opens (0 pages), the second ends the ramp-up.
    rates = [int(per_min) / 60 for _pages, per_min in lines[2:]]
    if not rates:
        raise RuntimeError(f"scrapy bench logged no rates:\n{done.stderr[-2000:]}")
    pages = int(re.search(r"'response_received_count': (\d+)", done.stderr).group(1))
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", done.stderr).group(1))
    return Bench(rates, pages, elapsed, load())


# --- the sandbox in its own process -----------------------------------------------------------


@dataclass
class MarketSize:
    """The smallest generated market whose careers site lists ``careers`` postings."""

    careers: int
    size: int = 0
    greenhouse: int = 0


def size_markets(targets: list[int]) -> dict[int, MarketSize]:
    """One pass over the generator for every target (200,000 careers postings: ~400,000)."""
    seed = Market().seed
    wanted = sorted(set(targets))
    sizes: dict[int, MarketSize] = {}
    careers = greenhouse = index = 0
    while wanted:
        posting = generate_posting(seed, index)
        careers += posting.on_careers_site
        greenhouse += posting.on_greenhouse
        index += 1
        if careers == wanted[0]:
            sizes[careers] = MarketSize(careers, index, greenhouse)
            wanted.pop(0)
    generate_posting.cache_clear()
    return sizes


@contextmanager
def sandbox_process(market_size: int) -> Iterator[str]:
    """`secjobs sandbox serve` in a child process; yields its base URL once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "secjobs.cli", "sandbox", "serve"]
        + ["--port", str(port), "--postings", str(market_size)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"sandbox exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/robots.txt", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(30)


# --- one crawl, watched ---------------------------------------------------------------------


@dataclass
class Crawl:
    label: str
    stats: dict = field(repr=False)
    peak_rss_mb: float  # ru_maxrss of the crawler process, from wait4()
    wall_seconds: float  # including interpreter start and the close monitors
    load: float

    @property
    def seconds(self) -> float:
        """From the crawl's start_time to its finish_time: the crawl proper."""
        start = datetime.fromisoformat(self.stats["start_time"])
        return (datetime.fromisoformat(self.stats["finish_time"]) - start).total_seconds()

    @property
    def pages(self) -> int:
        return self.stats.get("response_received_count", 0)

    @property
    def postings(self) -> int:
        return self.stats.get("secjobs/items/job_posting", 0)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    @property
    def postings_per_s(self) -> float:
        return self.postings / self.seconds


def _vm_hwm_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def crawl(
    spider: str,
    url: str,
    settings: dict[str, str],
    workdir: Path,
    label: str,
    expected: int,
    progress: Progress,
) -> Crawl:
    """`scrapy crawl` with the project's whole stack, its progress read from its log."""
    run_id = re.sub(r"\W+", "-", label)
    staging = workdir / "staging"
    log = workdir / f"{run_id}.log"
    env = {
        **os.environ,
        "SECJOBS_SANDBOX_URL": url,
        "SECJOBS_STAGING_DIR": str(staging),
        "SECJOBS_REALDATA_DIR": "/nonexistent",
    }
    env.pop("SECJOBS_REDIS_URL", None)  # a shared Redis frontier would replace the scheduler
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"run_id={run_id}"]
    for key, value in {
        **settings,
        "LOG_LEVEL": "INFO",
        "LOG_FILE": str(log),
        "LOGSTATS_INTERVAL": "5",
    }.items():
        command += ["-s", f"{key}={value}"]
    task = progress.add_task(label, total=expected)
    started = time.perf_counter()
    with open(workdir / f"{run_id}.stderr", "w") as stderr:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    scraped, offset, hwm = 0, 0, 0.0
    while True:
        # wait4 rather than Popen.wait: it returns the child's own rusage (peak RSS).
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        hwm = max(hwm, _vm_hwm_mb(process.pid))
        if log.exists():
            with log.open() as handle:
                handle.seek(offset)
                chunk = handle.read()
                offset = handle.tell()
            for found in _SCRAPED.finditer(chunk):
                scraped = int(found.group(1))
        progress.update(task, completed=scraped, description=f"{label} [dim]peak {hwm:,.0f} MB[/]")
        time.sleep(1)
    process.returncode = os.waitstatus_to_exitcode(status)
    progress.update(task, completed=expected)
    if process.returncode != 0:
        raise RuntimeError(f"{label}: exit {process.returncode}, see {log}")
    stats = json.loads((staging / spider / f"{run_id}.stats.json").read_text())
    return Crawl(label, stats, usage.ru_maxrss / 1024, time.perf_counter() - started, load())


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
        TimeElapsedColumn(),
        console=console,
    )


def _settings_line(settings: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings.items())


# --- 1. speed ---------------------------------------------------------------------------------


def speed(postings: int, bench_seconds: int, workdir: Path) -> None:
    market = size_markets([postings])[postings]
    runs: list[Bench | Crawl] = []
    with _progress() as progress, sandbox_process(market.size) as url:
        for step in ("bench", "careers", "greenhouse", "bench"):
            if step == "bench":
                task = progress.add_task(f"scrapy bench ({bench_seconds} s)", total=1)
                runs.append(scrapy_bench(bench_seconds, workdir))
                progress.update(task, total=1, completed=1)
                continue
            expected = market.careers if step == "careers" else market.greenhouse
            settings = {**SPEED_SETTINGS, "JOBDIR": str(workdir / f"job-{step}")}
            runs.append(crawl(step, url, settings, workdir, step, expected, progress))
    benches = [r for r in runs if isinstance(r, Bench)]
    reference = statistics.mean(b.pages_per_s for b in benches)

    table = Table(
        title=f"Crawl speed against scrapy bench (sandbox market of {market.size:,} postings)",
        title_justify="left",
    )
    for column in ("run", "load", "pages", "postings", "seconds", "pages/s", "postings/s"):
        table.add_column(column, justify="left" if column == "run" else "right")
    table.add_column("÷ bench", justify="right")
    bench_no = 0
    for run in runs:
        if isinstance(run, Bench):
            bench_no += 1
            table.add_row(
                f"bench #{bench_no}",
                f"{run.load:.1f}",
                f"{run.pages:,}",
                "",
                f"{run.seconds:.1f}",
                f"{run.pages_per_s:,.1f}",
                "",
                "",
            )
            continue
        share = run.postings_per_s / reference
        verdict = "[green]met[/]" if share >= TARGET_SHARE else "[red]missed[/]"
        if run.label != "careers":
            verdict = "no target"
        table.add_row(
            run.label,
            f"{run.load:.1f}",
            f"{run.pages:,}",
            f"{run.postings:,}",
            f"{run.seconds:.1f}",
            f"{run.pages_per_s:,.1f}",
            f"{run.postings_per_s:,.1f}",
            f"{share:.0%} ({verdict})",
        )
    console.print(table)
    rates = "; ".join(
        f"#{n}: " + ", ".join(f"{r:.0f}" for r in b.rates) for n, b in enumerate(benches, 1)
    )
    careers = next(r for r in runs if isinstance(r, Crawl) and r.label == "careers")
    console.print(
        "load = 1-minute load average as the run ended; ÷ bench = postings/s ÷ the bench "
        "reference.\n"
        f"scrapy bench pages/s = median of its per-second LOGSTATS rates after the first "
        f"interval ({rates}); reference = mean of the two runs = {reference:,.1f} pages/s.\n"
        f"Crawl rates = stats over start_time..finish_time (wall time with interpreter start "
        f"and close monitors: careers {careers.wall_seconds:.0f} s). Target: careers "
        f"postings/s >= {TARGET_SHARE:.0%} of bench pages/s; greenhouse lists many postings "
        f"per page, so its ratio is not comparable.\n"
        f"Crawl settings: {_settings_line(SPEED_SETTINGS)}, JOBDIR=<tmp> (as flows run crawls); "
        f"the rest is the project's stack (robots.txt, scrapy-poet page objects, pipelines, "
        f"spidermon, feed export). scrapy bench: default settings, CLOSESPIDER_TIMEOUT="
        f"{bench_seconds}."
    )


# --- 2. memory --------------------------------------------------------------------------------


def memory(target: int, steps: list[int], workdir: Path) -> None:
    markets = size_markets([*steps, target])
    # The in-memory queue at each step shows the growth; JOBDIR at the smallest and the target.
    plan = [(n, False) for n in steps] + [(n, True) for n in sorted({*steps[:1], target})]
    crawls: list[tuple[int, bool, MarketSize, Crawl]] = []
    with _progress() as progress:
        for n, jobdir in plan:
            market = markets[n]
            queue = "JOBDIR" if jobdir else "memory"
            # An empty JOBDIR turns off the temporary one a crawl gets (spiders/jobdirs.py).
            settings = {
                **SPEED_SETTINGS,
                "JOBDIR": str(workdir / f"job-memory-{n}") if jobdir else "",
            }
            with sandbox_process(market.size) as url:
                result = crawl(
                    "careers", url, settings, workdir, f"careers {n:,} {queue}", n, progress
                )
            crawls.append((n, jobdir, market, result))

    table = Table(
        title=f"Peak memory of scrapy crawl careers (target < {MEMORY_LIMIT_MB} MB)",
        title_justify="left",
    )
    for column in ("postings", "queue", "market", "load", "pages", "seconds", "peak RSS"):
        table.add_column(column, justify="right")
    table.add_column("KB/posting", justify="right")
    for _n, jobdir, market, run in crawls:
        ok = run.peak_rss_mb < MEMORY_LIMIT_MB
        base = run.stats.get("memusage/startup", 0) / 2**20
        table.add_row(
            f"{run.postings:,}",
            "JOBDIR" if jobdir else "memory",
            f"{market.size:,}",
            f"{run.load:.1f}",
            f"{run.pages:,}",
            f"{run.seconds:,.0f}",
            f"[{'green' if ok else 'red'}]{run.peak_rss_mb:,.0f} MB[/]",
            f"{(run.peak_rss_mb - base) * 1024 / max(1, run.postings):.2f}" if base else "",
        )
    memory_runs = [(n, run.peak_rss_mb) for n, jobdir, _m, run in crawls if not jobdir]
    if len(memory_runs) >= 2 and target not in dict(memory_runs):
        (n1, r1), (n2, r2) = memory_runs[0], memory_runs[-1]
        slope = (r2 - r1) / (n2 - n1)
        guess = r2 + slope * (target - n2)
        table.add_row(
            f"{target:,}",
            "memory",
            f"{markets[target].size:,}",
            "",
            "",
            "",
            f"[{'green' if guess < MEMORY_LIMIT_MB else 'red'}]~{guess:,.0f} MB[/]",
            "extrapolated",
        )
    console.print(table)
    console.print(
        "Peak RSS = ru_maxrss of the crawler process (wait4); KB/posting = (peak RSS - RSS at "
        "startup, memusage/startup) per posting; the extrapolated row is a straight line "
        "through the memory-queue runs (measure it with --memory-steps 20000,200000).\n"
        "With the in-memory queue every job URL of a sitemap becomes a queued Request at once "
        "(a 50,000-URL sitemap chunk is parsed in one callback), so memory grows with the "
        "crawl; with JOBDIR the "
        "scheduler pickles them to disk and only the dupefilter's fingerprints stay in "
        f"memory. Settings: {_settings_line(SPEED_SETTINGS)}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=5_000, help="careers postings to crawl")
    parser.add_argument("--bench-seconds", type=int, default=15, help="each scrapy bench run")
    parser.add_argument(
        "--memory-postings", type=int, default=200_000, help="postings of the large crawl"
    )
    parser.add_argument(
        "--memory-steps",
        default="20000,50000",
        help="smaller crawls, run with both scheduler queues, to see how memory grows",
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    steps = [int(s) for s in args.memory_steps.split(",") if s.strip()]
    one, five, fifteen = os.getloadavg()
    console.print(
        f"{os.cpu_count()} CPUs, load average {one:.1f} / {five:.1f} / {fifteen:.1f} "
        "(1 / 5 / 15 min) at the start"
    )
    with tempfile.TemporaryDirectory(prefix="secjobs-crawl-speed-") as tmp:
        if not args.skip_speed:
            speed(args.postings, args.bench_seconds, Path(tmp))
        if not args.skip_memory:
            memory(args.memory_postings, steps, Path(tmp))


if __name__ == "__main__":
    main()
