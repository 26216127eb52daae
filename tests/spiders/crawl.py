"""Run a real `scrapy crawl` subprocess against a sandbox and read back its staged output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict]  # job postings
    failures: list[dict]
    observations: list[dict]  # salary figures, price-index values, exchange rates
    stats: dict
    log_tail: str


def run_crawl(spider: str, sandbox_url: str, staging: Path, *settings: str) -> CrawlResult:
    env = {
        **os.environ,
        "SECJOBS_SANDBOX_URL": sandbox_url,
        "SECJOBS_STAGING_DIR": str(staging),
        "SECJOBS_HTTPCACHE_DIR": str(staging / "httpcache"),  # never the repo's data/
    }
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        spider,
        "-a",
        "run_id=t1",
        "-s",
        "LOG_LEVEL=INFO",
    ]
    for setting in settings:
        command += ["-s", setting]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    feed = staging / spider / "t1.jsonl"
    records = [json.loads(line) for line in feed.read_text().splitlines()] if feed.exists() else []
    stats_file = staging / spider / "t1.stats.json"
    return CrawlResult(
        returncode=done.returncode,
        items=[r for r in records if r["kind"] == "job_posting"],
        failures=[r for r in records if r["kind"] == "page_failure"],
        observations=[
            r for r in records if r["kind"] in ("salary_observation", "price_index", "fx_rate")
        ],
        stats=json.loads(stats_file.read_text()) if stats_file.exists() else {},
        log_tail=done.stderr[-3000:],
    )
