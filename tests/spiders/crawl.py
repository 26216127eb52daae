"""Run a real `scrapy crawl` subprocess against a sandbox and read back its staged output,
through the crawl launcher the flow and the CLI use (flows.launch)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.launch import launch_crawl


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict]  # job postings
    failures: list[dict]
    observations: list[dict]  # salary figures, price-index values, exchange rates
    checks: list[dict]  # what each employer board answered (board_check)
    listings: list[dict]  # board listings read whole or unchanged (board_listing)
    stats: dict
    log_tail: str


def run_crawl(spider: str, sandbox_url: str, staging: Path, *settings: str) -> CrawlResult:
    crawl = launch_crawl(
        spider,
        "t1",
        staging,
        sandbox_url=sandbox_url,
        settings={"LOG_LEVEL": "INFO", **dict(s.split("=", 1) for s in settings)},
        timeout_seconds=240,  # closed gracefully then, killed 5 minutes later
        environment={"SECJOBS_HTTPCACHE_DIR": str(staging / "httpcache")},  # not the repo's
    )
    records = crawl.records
    return CrawlResult(
        returncode=crawl.returncode,
        items=[r for r in records if r["kind"] == "job_posting"],
        failures=[r for r in records if r["kind"] == "page_failure"],
        observations=[
            r for r in records if r["kind"] in ("salary_observation", "price_index", "fx_rate")
        ],
        checks=[r for r in records if r["kind"] == "board_check"],
        listings=[r for r in records if r["kind"] == "board_listing"],
        stats=crawl.stats,
        log_tail=crawl.stderr,
    )
