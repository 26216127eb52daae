"""Clean + store: postings/s from staged JSON Lines into SQLite, against a bare executemany.

    .venv/bin/python benchmarks/clean_store.py [--records 50000] [--repeat 3] [--workers N]
        [--seed DIR] [--recrawl] [--database-url URL] [--profile FILE] [--dump DIR]
        [--check-casefold]

Input: real crawl output. The job-posting spiders crawl the sandbox (recorded real responses
plus a generated market) in real ``scrapy crawl`` subprocesses; their staged feeds are kept in
``data/bench/clean_store_seed/`` and reused (``--recrawl`` crawls again, ``--seed`` reads
other staged feeds). The seed is scaled up to ``--records`` by copying it with distinct
``jobPostingId`` and ``url`` (``#copy-N``), so every copy is a new posting; its text is
unchanged, so the figures hold only while no cleaner caches whole descriptions.

(a) end to end, through the real functions, as the flow stores a run: ``clean_feed_parts``
reads and cleans the feeds on ``--workers`` processes (by default one per CPU) while
``store_cleaned`` upserts each part as it arrives, in one transaction, into a fresh
database; then, for the breakdown, the same two steps one after the other;
(b) bare: the same final posting rows, already in the form the driver binds, inserted into
the same table of another fresh database with one DB-API ``executemany`` and one commit.
Figures are medians of ``--repeat`` runs, in wall-clock seconds and in CPU seconds (this
process's and its cleaning workers'; on a shared machine the CPU figures are the steadier
ones). ``--dump DIR`` writes the cleaned rows and the tables stored end to end as canonical
JSON Lines, to check that an optimisation changes no output. ``--check-casefold`` checks,
over every Unicode code point, the facts ``pipeline.casefold`` relies on.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from pipeline.clean import Cleaned  # noqa: E402
from pipeline.db import session_factory, upgrade  # noqa: E402
from pipeline.ingest import store_cleaned  # noqa: E402
from pipeline.ledger import Feed, feed_at  # noqa: E402
from pipeline.models import JobPostingRecord  # noqa: E402
from pipeline.origin import SANDBOX  # noqa: E402  (the feeds are sandbox crawls)
from pipeline.parallel import clean_feed_parts, clean_feeds, default_workers  # noqa: E402

console = Console(width=120)
SEED_DIR = ROOT / "data" / "bench" / "clean_store_seed"
POSTING_SPIDERS = (
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "remoteok",
    "remotive",
    "careers",
    "usajobs",
    "adzuna",
)
SEEN_AT = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # fixed, so dumps compare byte for byte


def crawl_seed(seed: Path, market_size: int) -> None:
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    with running_sandbox(Market(market_size)) as url:
        for spider in POSTING_SPIDERS:
            console.print(f"crawling {spider}")
            env = {**os.environ, "SECJOBS_SANDBOX_URL": url, "SECJOBS_STAGING_DIR": str(seed)}
            subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", spider, "-a", "run_id=seed"]
                + ["-s", "LOG_LEVEL=WARNING", "-s", "HTTPCACHE_ENABLED=False"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )


def scale_up(seed: Path, staging: Path, total: int) -> dict[str, int]:
    """Copies of the seed's records, each a distinct posting, as staged feeds under
    ``staging``; returns how many records each feed holds."""
    feeds = {
        f.parent.name: f.read_text(encoding="utf-8").splitlines() for f in seed.glob("*/*.jsonl")
    }
    seed_total = sum(len(lines) for lines in feeds.values())
    if not seed_total:
        raise SystemExit(f"no staged feeds in {seed}")
    counts = {}
    for spider, lines in sorted(feeds.items()):
        want = round(total * len(lines) / seed_total)
        out = staging / spider / "bench.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            for i in range(want):
                copy, line = divmod(i, len(lines))
                if copy:
                    record = json.loads(lines[line])
                    if record.get("jobPostingId"):
                        record["jobPostingId"] = f"{record['jobPostingId']}-{copy}"
                    if isinstance(record.get("url"), str):
                        record["url"] = f"{record['url']}#copy-{copy}"
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    handle.write(lines[line] + "\n")
        counts[spider] = want
    return counts


def _feeds(staging: Path) -> list[Feed]:
    return [feed_at(path) for path in sorted(staging.glob("*/bench.jsonl"))]


def _clock() -> tuple[float, float]:
    return time.perf_counter(), _cpu()


def _since(started: tuple[float, float]) -> tuple[float, float]:
    now = _clock()
    return now[0] - started[0], now[1] - started[1]


def end_to_end(staging: Path, url: str, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds from staged feeds to committed rows, as a run stores them:
    ``clean_feed_parts`` on ``workers`` processes, each part stored as it arrives
    (``store_cleaned``), in one transaction. The schema is created before the clock starts."""
    upgrade(url)
    factory = session_factory(url)
    feeds = _feeds(staging)
    started = _clock()
    with factory.begin() as session:
        parts, counts = clean_feed_parts(feeds, workers=workers)
        store_cleaned(session, parts, "bench", feeds, counts, SEEN_AT, origin=SANDBOX)
    elapsed = _since(started)
    factory.kw["bind"].dispose()
    session_factory.cache_clear()
    return elapsed


def stages(staging: Path, url: str, workers: int) -> tuple[dict[str, tuple[float, float]], Cleaned]:
    """The same work one stage after the other, for the breakdown: wall and CPU seconds of
    ``clean_feeds``, then of ``store_cleaned`` of all its rows at once."""
    upgrade(url)
    factory = session_factory(url)
    feeds = _feeds(staging)
    started = _clock()
    cleaned, counts = clean_feeds(feeds, workers=workers)
    clean = _since(started)
    started = _clock()
    with factory.begin() as session:
        store_cleaned(session, [cleaned], "bench", feeds, counts, SEEN_AT, origin=SANDBOX)
    store = _since(started)
    factory.kw["bind"].dispose()
    session_factory.cache_clear()
    return {"clean": clean, "store": store}, cleaned


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (cleaning workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def bare_insert(url: str, rows: list[dict]) -> tuple[float, float]:
    """Wall and CPU seconds to insert ``rows`` with one DB-API executemany and commit."""
    upgrade(url)
    engine = session_factory(url).kw["bind"]
    table = JobPostingRecord.__table__
    unique = {(r["source"], r["source_id"]): r for r in rows}.values()
    final = [
        {
            **r,
            "first_seen": SEEN_AT,
            "last_seen": SEEN_AT,
            "last_run_id": "bench",
            "status": "open",
            "closed_at": None,
            "origin": SANDBOX,
        }
        for r in unique
    ]
    columns = list(final[0])
    statement = sa.insert(table).compile(dialect=engine.dialect, column_keys=columns)
    if statement.positional:
        columns = list(statement.positiontup)
    # The values as SQLAlchemy would bind them (JSON text, dates as the dialect stores them).
    processors = [table.c[c].type._cached_bind_processor(engine.dialect) for c in columns]
    params = [
        tuple(p(r[c]) if p else r[c] for c, p in zip(columns, processors, strict=True))
        for r in final
    ]
    if not statement.positional:
        params = [dict(zip(columns, values, strict=True)) for values in params]
    sql = str(statement)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = _clock()
        cursor.executemany(sql, params)
        connection.commit()
        elapsed = _since(started)
        cursor.close()
    finally:
        connection.close()
        engine.dispose()
        session_factory.cache_clear()
    return elapsed


def dump(directory: Path, cleaned: Cleaned, url: str) -> None:
    """The cleaned rows and the stored postings as canonical JSON Lines."""
    directory.mkdir(parents=True, exist_ok=True)

    def write(name: str, rows) -> None:
        with (directory / name).open("w", encoding="utf-8") as handle:
            for row in rows:
                row = {k: json.loads(v) if type(v) is bytes else v for k, v in row.items()}
                handle.write(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str))
                handle.write("\n")

    for kind in ("postings", "observations", "price_index", "fx_rates", "quarantined"):
        write(f"cleaned_{kind}.jsonl", getattr(cleaned, kind))
    write("cleaned_reasons.jsonl", [dict(sorted(cleaned.reasons.items()))])
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        # What the driver returns, without SQLAlchemy's result processing: a JSON column
        # holding SQL NULL and one holding the text 'null' must not look the same.
        for name in ("job_posting", "salary_observation", "quarantine"):
            result = conn.exec_driver_sql(f"SELECT * FROM {name} ORDER BY id")  # noqa: S608
            write(f"stored_{name}.jsonl", (dict(row._mapping) for row in result))
    engine.dispose()


class Database:
    """Fresh databases: SQLite files in a temporary directory, or PostgreSQL databases
    created beside ``--database-url`` and dropped afterwards."""

    def __init__(self, tmp: Path, url: str | None) -> None:
        self.tmp, self.url, self.made = tmp, url, []

    def fresh(self) -> str:
        name = f"secjobs_bench_{uuid.uuid4().hex[:8]}"
        if not self.url:
            return f"sqlite:///{self.tmp / name}.db"
        admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.made.append(name)
        return str(sa.engine.make_url(self.url).set(database=name))

    def drop_all(self) -> None:
        if not self.made:
            return
        admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000, help="staged records to clean")
    parser.add_argument("--repeat", type=int, default=3, help="runs; figures are medians")
    parser.add_argument("--seed", type=Path, default=SEED_DIR, help="staged feeds to scale up")
    parser.add_argument("--recrawl", action="store_true", help="crawl the sandbox seed again")
    parser.add_argument("--market", type=int, default=3_000, help="sandbox market to crawl")
    parser.add_argument("--workers", type=int, default=default_workers(), help="cleaning processes")
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of one run here")
    parser.add_argument("--dump", type=Path, help="write cleaned and stored rows here")
    parser.add_argument(
        "--check-casefold", action="store_true", help="check pipeline.casefold's premises"
    )
    args = parser.parse_args()
    if args.check_casefold:
        from pipeline.casefold import check

        problems = check()
        console.print(problems or "pipeline.casefold: every code point checked, no exception")
        raise SystemExit(1 if problems else 0)

    if args.recrawl or not any(args.seed.glob("*/*.jsonl")):
        crawl_seed(args.seed, args.market)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "staging"
        feeds = scale_up(args.seed, staging, args.records)
        databases = Database(Path(tmp), args.database_url)
        try:
            runs: list[dict[str, tuple[float, float]]] = []
            for _ in range(args.repeat):
                url = databases.fresh()
                run = {"end to end": end_to_end(staging, url, args.workers)}
                split, cleaned = stages(staging, databases.fresh(), args.workers)
                run |= split
                run["bare"] = bare_insert(databases.fresh(), cleaned.postings)
                runs.append(run)
            if args.dump:
                dump(args.dump, cleaned, url)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(end_to_end, staging, databases.fresh(), args.workers)
                profiler.dump_stats(args.profile)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        finally:
            databases.drop_all()
    report(feeds, runs, cleaned, args)


def report(feeds, runs, cleaned: Cleaned, args) -> None:
    postings = len(cleaned.postings)
    records = sum(feeds.values())
    wall = {stage: statistics.median(r[stage][0] for r in runs) for stage in runs[0]}
    cpu = {stage: statistics.median(r[stage][1] for r in runs) for stage in runs[0]}
    dialect = "PostgreSQL" if args.database_url else "SQLite"
    table = Table(
        title=f"secjobs clean + store, {dialect}, {os.cpu_count()} CPUs: {records:,} staged "
        f"records ({len(feeds)} feeds), {postings:,} postings, median of {len(runs)} runs",
        title_justify="left",
    )
    for column in ("step", "seconds", "postings/s", "CPU seconds", "per CPU-second"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for stage, label in (
        ("clean", f"  read + clean alone ({args.workers} processes)"),
        ("store", "  store alone (one transaction)"),
        ("end to end", f"[b]end to end[/], storing while {args.workers} processes clean"),
        ("bare", "bare executemany insert"),
    ):
        rate = f"{postings / wall[stage]:,.0f}"
        table.add_row(
            label,
            f"{wall[stage]:.2f}",
            f"[b]{rate}[/]" if stage == "end to end" else rate,
            f"{cpu[stage]:.2f}",
            f"{postings / cpu[stage]:,.0f}",
        )
    console.print(table)
    e2e, bare_rate = postings / wall["end to end"], postings / wall["bare"]
    console.print(
        f"end to end is {e2e:,.0f} postings/s (target >= 10,000: "
        f"{'met' if e2e >= 10_000 else 'missed'}), {e2e / bare_rate:.1%} of the bare insert "
        f"rate (target >= 25%: {'met' if e2e >= 0.25 * bare_rate else 'missed'}), wall clock"
    )
    console.print(
        "per run, wall seconds: "
        + "; ".join(" ".join(f"{stage} {r[stage][0]:.2f}" for stage in r) for r in runs)
    )


if __name__ == "__main__":
    main()
