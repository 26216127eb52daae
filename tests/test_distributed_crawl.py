"""Distributed crawling: two `scrapy crawl careers` processes sharing one Redis frontier."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from pipeline.clean import clean_records
from pipeline.db import session_factory, upgrade
from pipeline.staging import read_staged
from pipeline.store import upsert_postings
from sandbox.generator import Market
from sandbox.server import running_sandbox
from spiders.distributed import redis_settings
from tests.conftest import PROJECT_ROOT, _service_missing

pytestmark = pytest.mark.crawl

REDIS_URL = os.environ.get("SECJOBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CRAWL_TIMEOUT = 80  # seconds; each process closes itself (CLOSESPIDER_TIMEOUT) before this


@pytest.fixture
def redis_prefix():
    """A key prefix of our own in the machine's Redis; every key under it is deleted after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        client.close()
        _service_missing(f"Redis at {REDIS_URL}")
    prefix = f"secjobs-test-{uuid.uuid4().hex[:12]}"
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def start_crawl(
    base_url: str, prefix: str, staging: Path, run_id: str, *settings: str
) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECJOBS_SANDBOX_URL": base_url,
        "SECJOBS_REDIS_URL": REDIS_URL,
        "SECJOBS_REDIS_PREFIX": prefix,
        "SECJOBS_STAGING_DIR": str(staging),
        "SECJOBS_HTTPCACHE_DIR": str(staging / "httpcache"),
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "careers", "-a", f"run_id={run_id}"]
    for setting in (
        f"LOG_FILE={staging / f'{run_id}.log'}",
        f"CLOSESPIDER_TIMEOUT={CRAWL_TIMEOUT - 10}",
        *settings,
    ):
        command += ["-s", setting]
    staging.mkdir(parents=True, exist_ok=True)
    with (staging / f"{run_id}.stderr").open("w") as stderr:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stderr=stderr)


def finish(process: subprocess.Popen, staging: Path, run_id: str) -> dict:
    if process.wait(timeout=CRAWL_TIMEOUT) != 0:
        log = staging / f"{run_id}.log"
        text = (log if log.exists() else staging / f"{run_id}.stderr").read_text()
        pytest.fail(f"crawl {run_id} exited {process.returncode}:\n{text[-3000:]}")
    return json.loads((staging / "careers" / f"{run_id}.stats.json").read_text())


def hits(base_url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base_url}/_health") as response:
        return json.load(response)["hits"]


def sitemap_paths(base_url: str) -> set[str]:
    """The pages the careers sitemap lists (read after counting the hits: it adds one)."""
    with urllib.request.urlopen(f"{base_url}/careers/sitemap-0.xml") as response:
        text = response.read().decode()
    return {re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", text)}


def staged(staging: Path, run_id: str) -> list[dict]:
    return [r for r in read_staged(staging / "careers" / f"{run_id}.jsonl") if isinstance(r, dict)]


def keys(postings: list[dict]) -> set[tuple[str, str]]:
    """The keys the store upserts on."""
    return {(r["source"], r["source_id"]) for r in postings}


def generated_ids(records: list[dict]) -> list[str]:
    """The generated postings' identifiers (``CS-<index>``), one per staged copy."""
    ids = (r.get("jobPostingId") or "" for r in records)
    return sorted(i.rsplit(":", 1)[1] for i in ids if ":CS-" in i)


def store(database_url: str, postings: list[dict]) -> int:
    """Store cleaned postings as the flow does; the number of rows in the table."""
    import sqlalchemy as sa

    from pipeline.models import JobPostingRecord

    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        upsert_postings(session, postings, "distributed-test")
    with session_factory(database_url)() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(JobPostingRecord))


def assert_fetched_once(base_url: str, processes: int) -> dict[str, int]:
    served = hits(base_url)
    pages = sitemap_paths(base_url)
    # Robots.txt is each process's own (Scrapy fetches it outside the scheduler).
    assert served.pop("/robots.txt") == processes
    assert served.pop("/_health") == 1
    assert {p for p, n in served.items() if n != 1} == set()
    assert pages <= served.keys()
    return served


def test_two_processes_share_one_frontier(redis_prefix, tmp_path, sqlite_url):
    client, prefix = redis_prefix
    market = Market(size=5000)
    careers = list(market.careers_postings())
    staging = tmp_path / "staging"
    started = time.monotonic()
    with running_sandbox(market) as url:
        workers = [start_crawl(url, prefix, staging, run_id) for run_id in ("w1", "w2")]
        stats = [
            finish(w, staging, run_id) for w, run_id in zip(workers, ("w1", "w2"), strict=True)
        ]
        served = assert_fetched_once(url, processes=2)
    elapsed = time.monotonic() - started

    feeds = [staged(staging, run_id) for run_id in ("w1", "w2")]
    # Both processes did real work, and every page was fetched by exactly one of them.
    items = [len(feed) for feed in feeds]
    assert all(n > len(careers) // 10 for n in items), items
    dequeued = [s["scheduler/dequeued/redis"] for s in stats]
    assert sum(dequeued) == len(served)  # every page (robots.txt aside) came from Redis
    # Both issued the start request; the shared fingerprints let only one through.
    assert sum(s.get("dupefilter/filtered", 0) for s in stats) >= 1
    assert [s["finish_reason"] for s in stats] == ["finished", "finished"]

    # Stored exactly once: no posting in both feeds, and every generated one stored.
    postings = [clean_records(feed).postings for feed in feeds]
    first, second = keys(postings[0]), keys(postings[1])
    assert not first & second
    stored = store(sqlite_url, postings[0] + postings[1])
    assert stored == len(first | second) == len(postings[0]) + len(postings[1])
    assert generated_ids(feeds[0] + feeds[1]) == sorted(f"CS-{p.index}" for p in careers)

    # A finished crawl leaves a clean slate: next week's crawl starts from an empty frontier.
    assert list(client.scan_iter(f"{prefix}:*")) == []
    print(
        f"\n{market.size} postings, {len(careers)} on career sites; items per process {items}, "
        f"dequeued {dequeued}; stored {stored}; {elapsed:.1f}s"
    )


def test_stopped_crawl_resumes_without_refetching(redis_prefix, tmp_path, sqlite_url):
    client, prefix = redis_prefix
    market = Market(size=200)
    careers = list(market.careers_postings())
    staging = tmp_path / "staging"
    queue_key = redis_settings(REDIS_URL, prefix)["SCHEDULER_QUEUE_KEY"] % {"spider": "careers"}
    with running_sandbox(market) as url:
        stopped = finish(
            start_crawl(url, prefix, staging, "first", "CLOSESPIDER_ITEMCOUNT=20"), staging, "first"
        )
        assert stopped["finish_reason"] == "closespider_itemcount"
        assert stopped["secjobs/redis/frontier"] == "kept"
        left = client.zcard(queue_key)
        assert left == stopped["secjobs/redis/left_queued"] > 0

        resumed = finish(start_crawl(url, prefix, staging, "second"), staging, "second")
        assert_fetched_once(url, processes=2)

    assert resumed["finish_reason"] == "finished"
    assert resumed["scheduler/dequeued/redis"] == left  # only what the first left behind
    feeds = staged(staging, "first"), staged(staging, "second")
    first, second = (clean_records(feed).postings for feed in feeds)
    assert first and second and not keys(first) & keys(second)
    assert store(sqlite_url, first + second) == len(first) + len(second)
    assert generated_ids(feeds[0] + feeds[1]) == sorted(f"CS-{p.index}" for p in careers)
    assert list(client.scan_iter(f"{prefix}:*")) == []
