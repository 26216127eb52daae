"""The secjobs pipeline as a Prefect flow: crawl -> load staging -> clean -> store -> report.

Each crawl is a ``scrapy crawl`` subprocess (Twisted's reactor cannot restart in-process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from dashboards.report import ReportPaths, build_report
from pipeline import config
from pipeline.baselines import load_baselines
from pipeline.clean import Cleaned, clean_records
from pipeline.crawls import CrawlVerdict, judge_crawl
from pipeline.db import session_factory, upgrade
from pipeline.dedupe import assign_clusters
from pipeline.staging import BadLine, read_staged
from pipeline.store import (
    close_missing_postings,
    finish_run,
    postings_for_dedupe,
    quarantine,
    record_crawl,
    set_clusters,
    start_run,
    stored_rates,
    sync_baselines,
    upsert_fx_rates,
    upsert_observations,
    upsert_postings,
    upsert_price_index,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def all_spiders() -> list[str]:
    """Every spider of the Scrapy project, as `scrapy list` names them."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    return SpiderLoader.from_settings(settings).list()


@dataclass
class CrawlOutput:
    spider: str
    feed: Path
    returncode: int
    stats: dict[str, Any]
    verdict: CrawlVerdict
    log: Path


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


@task(task_run_name="run_spider-{spider}")
def run_spider(
    spider: str,
    run_id: str,
    staging_dir: str,
    sandbox_url: str | None = None,
    settings: dict[str, str] | None = None,
) -> CrawlOutput:
    """``scrapy crawl <spider>`` in a subprocess; its feed and stats land in staging."""
    staging = Path(staging_dir).resolve()
    log = staging / spider / f"{run_id}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SECJOBS_STAGING_DIR": str(staging)}
    if sandbox_url:
        env["SECJOBS_SANDBOX_URL"] = sandbox_url
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        spider,
        "-a",
        f"run_id={run_id}",
        "-s",
        f"LOG_FILE={log}",
    ]
    for key, value in (settings or {}).items():
        command += ["-s", f"{key}={value}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    stats_path = staging / spider / f"{run_id}.stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    verdict = judge_crawl(done.returncode, stats)
    if done.returncode != 0:
        get_run_logger().error("%s failed (%s): %s", spider, done.returncode, done.stderr[-2000:])
    else:
        get_run_logger().info("%s: %s, %d postings", spider, verdict.status, verdict.items)
    return CrawlOutput(
        spider, staging / spider / f"{run_id}.jsonl", done.returncode, stats, verdict, log
    )


@task
def load_staging(crawls: list[CrawlOutput]) -> list[dict | BadLine]:
    """Every staged record of this run's crawls, with unreadable lines kept as ``BadLine``."""
    records: list[dict | BadLine] = []
    for crawl in crawls:
        if crawl.feed.exists():
            records.extend(read_staged(crawl.feed))
    return records


@task
def clean(records: list[dict | BadLine], database_url: str) -> Cleaned:
    """Clean rows for storage, by kind; everything else quarantined with its reason."""
    with session_factory(database_url)() as session:
        known_rates = stored_rates(session)
    return clean_records(records, known_rates)


@task
def store_results(
    cleaned: Cleaned, crawls: list[CrawlOutput], run_id: str, database_url: str
) -> dict[str, Any]:
    """One transaction per run: a crash mid-store leaves the previous state intact."""
    factory = session_factory(database_url)
    with factory.begin() as session:
        sync_baselines(session, load_baselines())
        for crawl in crawls:
            record_crawl(
                session,
                run_id,
                crawl.spider,
                crawl.verdict.status,
                crawl.verdict.reason,
                crawl.verdict.items,
                crawl.stats,
            )
        stored = upsert_postings(session, cleaned.postings, run_id)
        closed = sum(
            close_missing_postings(session, crawl.spider, run_id)
            for crawl in crawls
            # Only a complete crawl can tell that a posting disappeared.
            if crawl.verdict.status == "ok" and crawl.stats.get("secjobs/items/job_posting")
        )
        observations = upsert_observations(session, cleaned.observations, run_id)
        indexes = upsert_price_index(session, cleaned.price_index)
        rates = upsert_fx_rates(session, cleaned.fx_rates)
        kept = quarantine(session, cleaned.quarantined, run_id)
    return {
        "postings_stored": stored,
        "postings_closed": closed,
        "salary_observations": observations,
        "price_index_values": indexes,
        "fx_rates": rates,
        "quarantined": kept,
        "quarantine_reasons": dict(cleaned.reasons),
        "pay_flags": dict(Counter(r["pay_flag"] for r in cleaned.postings if r["pay_flag"])),
        "sources": {
            c.spider: {
                "status": c.verdict.status,
                "items": c.verdict.items,
                "reason": c.verdict.reason,
            }
            for c in crawls
        },
    }


@task
def dedupe_postings(database_url: str) -> dict[str, int]:
    """Group open postings that are the same job on several boards (pipeline.dedupe)."""
    with session_factory(database_url).begin() as session:
        postings = postings_for_dedupe(session)
        clusters = assign_clusters(postings)
        changed = set_clusters(session, postings, clusters)
    return {
        "clusters_changed": changed,
        "duplicates_merged": len(postings) - len(set(clusters.values())),
    }


@task
def report(database_url: str, reports_dir: str) -> ReportPaths:
    """Write the report files and publish its Markdown and every table as keyed artifacts."""
    paths, _markdown, _table = build_report(database_url, Path(reports_dir))
    for artifact in paths.artifacts:
        if artifact.markdown is not None:
            create_markdown_artifact(
                key=artifact.key, markdown=artifact.markdown, description=artifact.description
            )
        else:
            create_table_artifact(
                key=artifact.key, table=artifact.table, description=artifact.description
            )
    return paths


@flow(name="secjobs-pipeline", log_prints=True)
def secjobs_pipeline(
    spiders: list[str] | None = None,
    sandbox_url: str | None = None,
    database_url: str | None = None,
    reports_dir: str | None = None,
    staging_dir: str | None = None,
    crawl_settings: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Crawl every source, clean and store what came back, and write the report."""
    database_url = database_url or config.database_url()
    reports_dir = reports_dir or str(config.reports_dir())
    staging_dir = staging_dir or str(config.staging_dir())
    run_id = new_run_id()
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        start_run(session, run_id)
    status, counts = "failed", {}
    try:
        futures = [
            run_spider.submit(spider, run_id, staging_dir, sandbox_url, crawl_settings)
            for spider in (spiders or all_spiders())
        ]
        crawls = [future.result() for future in futures]
        records = load_staging(crawls)
        cleaned = clean(records, database_url)
        counts = store_results(cleaned, crawls, run_id, database_url)
        counts.update(dedupe_postings(database_url))
        paths = report(database_url, reports_dir)
        counts["report"] = str(paths.html)
        status = "completed"
    finally:
        with factory.begin() as session:
            finish_run(session, run_id, status, counts)
    return {"run_id": run_id, **counts}
