"""Pause and resume (Scrapy JOBDIR): a crawl stopped with Ctrl-C (SIGINT) picks up where it
stopped when run again with the same job directory, fetching no page twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sandbox.generator import Market
from sandbox.server import running_sandbox

PROJECT_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.crawl


def _crawl(url: str, staging: Path, jobdir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECJOBS_SANDBOX_URL": url,
        "SECJOBS_STAGING_DIR": str(staging),
        "SECJOBS_HTTPCACHE_DIR": str(staging / "httpcache"),
    }
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "careers",
        "-a",
        "run_id=paused",
        "-s",
        f"JOBDIR={jobdir}",
        "-s",
        "CONCURRENT_REQUESTS=2",
        "-s",
        "LOG_LEVEL=INFO",
    ]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stats(staging: Path) -> dict:
    return json.loads((staging / "careers" / "paused.stats.json").read_text())


def test_a_paused_crawl_resumes_without_refetching(tmp_path):
    staging, jobdir = tmp_path / "staging", tmp_path / "job"
    feed = staging / "careers" / "paused.jsonl"
    with running_sandbox(Market(size=1500)) as url:
        first = _crawl(url, staging, jobdir)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            if feed.exists() and len(feed.read_text().splitlines()) >= 20:
                first.send_signal(signal.SIGINT)  # Ctrl-C: close gracefully, keep the frontier
                break
            time.sleep(0.05)
        assert first.wait(120) == 0
        paused = _stats(staging)
        items_paused = len(feed.read_text().splitlines())
        _crawl(url, staging, jobdir).wait(300)
        resumed = _stats(staging)
        with urllib.request.urlopen(f"{url}/_health") as answer:
            hits = json.load(answer)["hits"]

    records = [json.loads(line) for line in feed.read_text().splitlines()]
    pages = {path: n for path, n in hits.items() if path.startswith("/careers/jobs/")}
    postings = [r for r in records if r["kind"] == "job_posting"]
    assert paused["finish_reason"] == "shutdown"
    assert 20 <= items_paused < len(records)
    assert resumed["finish_reason"] == "finished"
    # The resumed crawl fetched only what the first had not: every job page exactly once.
    assert pages and set(pages.values()) == {1}
    assert len({r["url"] for r in postings}) == len(postings)
    assert len(postings) + sum(r["kind"] == "page_failure" for r in records) >= len(pages)
