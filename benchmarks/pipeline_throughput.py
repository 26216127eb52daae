"""Throughput and memory of the walking skeleton's stages, printed as a table.

    .venv/bin/python benchmarks/pipeline_throughput.py [--postings 20000] [--generate 1000000]

1. generating sandbox postings (the generator is lazy: posting i is a function of (seed, i));
2. crawling the sandbox with real `scrapy crawl` subprocesses (greenhouse, careers);
3. cleaning the staged records; 4. upserting them into SQLite (and PostgreSQL when reachable).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.clean import clean_records  # noqa: E402
from pipeline.db import session_factory, upgrade  # noqa: E402
from pipeline.staging import read_staged  # noqa: E402
from pipeline.store import upsert_postings  # noqa: E402
from sandbox.generator import Market, generate_posting  # noqa: E402
from sandbox.server import running_sandbox  # noqa: E402

console = Console()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_generate(n: int) -> tuple[float, float]:
    generate_posting.cache_clear()
    market = Market(size=n)
    start = time.perf_counter()
    managers = sum("Manager" in p.title for p in market)
    elapsed = time.perf_counter() - start
    assert managers > 0
    return n / elapsed, elapsed


def bench_crawl(spider: str, url: str, staging: Path) -> dict:
    env = {
        **os.environ,
        "SECJOBS_SANDBOX_URL": url,
        "SECJOBS_STAGING_DIR": str(staging),
        "SECJOBS_REALDATA_DIR": "/nonexistent",
    }
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            spider,
            "-a",
            "run_id=bench",
            "-s",
            "LOG_LEVEL=WARNING",
            "-s",
            "HTTPCACHE_ENABLED=False",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    stats = json.loads((staging / spider / "bench.stats.json").read_text())
    items = stats.get("item_scraped_count", 0)
    return {
        "items": items,
        "seconds": elapsed,
        "rate": items / elapsed,
        "memory_mb": stats.get("memusage/max", 0) / 2**20,
    }


def bench_store(url: str, rows: list[dict]) -> float:
    upgrade(url)
    factory = session_factory(url)
    start = time.perf_counter()
    with factory.begin() as session:
        upsert_postings(session, rows, "bench")
    return len(rows) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000, help="sandbox market to crawl")
    parser.add_argument("--generate", type=int, default=1_000_000, help="postings to generate")
    args = parser.parse_args()
    table = Table(title="secjobs pipeline throughput", title_justify="left")
    for column in ("stage", "volume", "seconds", "per second", "peak memory"):
        table.add_column(column, justify="left" if column == "stage" else "right")

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("generating postings", total=5)
        rate, elapsed = bench_generate(args.generate)
        table.add_row(
            "generate sandbox postings",
            f"{args.generate:,}",
            f"{elapsed:.1f}",
            f"{rate:,.0f}",
            f"{peak_rss_mb():.0f} MB (this process)",
        )
        progress.advance(task)
        with tempfile.TemporaryDirectory() as tmp, running_sandbox(Market(args.postings)) as url:
            staging = Path(tmp) / "staging"
            for spider in ("greenhouse", "careers"):
                progress.update(task, description=f"crawling {spider}")
                crawl = bench_crawl(spider, url, staging)
                table.add_row(
                    f"scrapy crawl {spider}",
                    f"{crawl['items']:,} items",
                    f"{crawl['seconds']:.1f}",
                    f"{crawl['rate']:,.0f}",
                    f"{crawl['memory_mb']:.0f} MB (crawler)",
                )
                progress.advance(task)
            progress.update(task, description="cleaning")
            records = [r for feed in staging.glob("*/bench.jsonl") for r in read_staged(feed)]
            start = time.perf_counter()
            cleaned = clean_records(records)
            elapsed = time.perf_counter() - start
            table.add_row(
                "clean staged records",
                f"{len(records):,}",
                f"{elapsed:.1f}",
                f"{len(records) / elapsed:,.0f}",
                f"{peak_rss_mb():.0f} MB",
            )
            progress.advance(task)
            progress.update(task, description="storing")
            sqlite_rate = bench_store(f"sqlite:///{tmp}/bench.db", cleaned.postings)
            table.add_row(
                "upsert into SQLite", f"{len(cleaned.postings):,}", "", f"{sqlite_rate:,.0f}", ""
            )
            progress.advance(task)
            pg_rate = _postgres(cleaned.postings)
            if pg_rate is not None:
                table.add_row(
                    "upsert into PostgreSQL",
                    f"{len(cleaned.postings):,}",
                    "",
                    f"{pg_rate:,.0f}",
                    "",
                )
    console.print(table)


def _postgres(rows: list[dict]) -> float | None:
    import uuid

    import sqlalchemy as sa

    admin_url = os.environ.get(
        "SECJOBS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"secjobs_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        console.print("[yellow]PostgreSQL not reachable: skipped[/]")
        return None
    try:
        return bench_store(admin_url.rsplit("/", 1)[0] + f"/{name}", rows)
    finally:
        session_factory.cache_clear()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
