"""Incremental crawling: a second crawl revalidates the detail pages it already has
(conditional requests, 304 Not Modified) instead of downloading them, and yields the same items."""

from __future__ import annotations

import dataclasses
import json
import os
import time
import urllib.error
import urllib.request

from sandbox.generator import Market
from sandbox.server import running_sandbox
from tests.spiders.crawl import run_crawl

VOLATILE = ("scrapedAt", "crawlRunId")


class EditableMarket(Market):
    """A market in which one posting's title can be edited between crawls."""

    def __init__(self, size: int) -> None:
        super().__init__(size=size)
        self.edited: dict[int, str] = {}

    def posting(self, index: int):
        p = super().posting(index)
        title = self.edited.get(index)
        return dataclasses.replace(p, title=title) if title else p


def stable(items: list[dict]) -> list[dict]:
    return sorted(
        ({k: v for k, v in i.items() if k not in VOLATILE} for i in items),
        key=lambda i: i["url"],
    )


def hits(base_url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base_url}/_health") as response:
        return json.load(response)["hits"]


def test_second_smartrecruiters_crawl_revalidates_details(tmp_path):
    market = EditableMarket(size=120)
    cache = f"HTTPCACHE_DIR={tmp_path / 'httpcache'}"
    with running_sandbox(market) as url:
        first = run_crawl("smartrecruiters", url, tmp_path / "first", cache)
        second = run_crawl("smartrecruiters", url, tmp_path / "second", cache)
        # Posting 66 is edited at the source: the next crawl must see the new title.
        market.edited[66] = "Director, Security Engineering"
        third = run_crawl("smartrecruiters", url, tmp_path / "third", cache)
        server_hits = hits(url)

    for result in (first, second, third):
        assert result.returncode == 0, result.log_tail
    # The 10 security managers and leaders of the 13 postings (pipeline.titles).
    assert len(first.items) == 10
    # First crawl: every detail downloaded whole and stored.
    assert first.stats["httpcache/store"] == 10
    assert "httpcache/revalidate" not in first.stats
    # Second crawl: every detail answered 304 and served from the cache ("revalidate"
    # counts exactly the stored responses a 304 confirmed).
    assert second.stats["httpcache/revalidate"] == 10
    assert "httpcache/invalidate" not in second.stats
    # Only the list pages (each company's total and three searches) and robots.txt (no
    # validators, never stored) came first-hand.
    assert second.stats["httpcache/firsthand"] == 3 * 4 + 1
    assert stable(second.items) == stable(first.items)
    # Third crawl: 9 unchanged details revalidated, the edited one downloaded again.
    assert third.stats["httpcache/revalidate"] == 9
    assert third.stats["httpcache/invalidate"] == 1
    edited = [i for i in third.items if i["jobPostingId"] == "744000000066"]
    assert edited[0]["jobTitle"] == "Director, Security Engineering"
    # The sandbox saw each detail once per crawl: three requests, two of them conditional.
    assert server_hits["/smartrecruiters/v1/companies/litwarelabs/postings/744000000066"] == 3


def test_entries_past_the_cache_age_limit_are_downloaded_again(tmp_path):
    cache = tmp_path / "httpcache"
    with running_sandbox(Market(size=120)) as url:
        first = run_crawl("smartrecruiters", url, tmp_path / "first", f"HTTPCACHE_DIR={cache}")
        # 31 days on: past the default limit of 30 (SECJOBS_HTTPCACHE_MAX_AGE_DAYS).
        then = time.time() - 31 * 86_400
        for meta in cache.rglob("pickled_meta"):
            os.utime(meta, (then, then))
        second = run_crawl("smartrecruiters", url, tmp_path / "second", f"HTTPCACHE_DIR={cache}")

    assert first.returncode == 0 and second.returncode == 0, second.log_tail
    assert first.stats["httpcache/store"] == 10
    # Scrapy ignores the expired entries: no conditional request, every detail stored anew.
    assert "httpcache/revalidate" not in second.stats
    assert second.stats["httpcache/store"] == 10
    assert stable(second.items) == stable(first.items)


def test_second_greenhouse_crawl_revalidates_job_details(tmp_path):
    cache = f"HTTPCACHE_DIR={tmp_path / 'httpcache'}"
    with running_sandbox(Market(size=120)) as url:
        first = run_crawl("greenhouse", url, tmp_path / "first", cache)
        second = run_crawl("greenhouse", url, tmp_path / "second", cache)

    assert first.returncode == 0 and second.returncode == 0, second.log_tail
    # The 57 security managers and leaders among the 76 generated greenhouse jobs of this
    # market get a detail request (content and pay); the second crawl revalidates each.
    assert first.stats["httpcache/store"] == 57
    assert second.stats["httpcache/revalidate"] == 57
    assert "httpcache/invalidate" not in second.stats
    # The recorded boards' jobs are no security roles: listed, not fetched.
    assert "secjobs/greenhouse/detail_failed" not in first.stats
    assert stable(second.items) == stable(first.items)
    assert len(first.items) == 57


def test_sandbox_detail_answers_conditional_requests():
    with running_sandbox(Market(size=120)) as url:
        detail = f"{url}/smartrecruiters/v1/companies/litwarelabs/postings/744000000066"
        with urllib.request.urlopen(detail) as response:
            etag = response.headers["ETag"]
            last_modified = response.headers["Last-Modified"]
            assert response.headers["Cache-Control"] == "max-age=0, private, must-revalidate"
            assert json.load(response)["name"] == "Security Engineering Manager"

        def status(headers: dict) -> int:
            request = urllib.request.Request(detail, headers=headers)
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        assert status({"If-None-Match": etag}) == 304
        assert status({"If-Modified-Since": last_modified}) == 304
        assert status({"If-None-Match": '"stale"'}) == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110).
        assert status({"If-None-Match": '"stale"', "If-Modified-Since": last_modified}) == 200
        assert status({"If-Modified-Since": "Mon, 01 Jun 2026 00:00:00 GMT"}) == 200
        greenhouse = (
            f"{url}/greenhouse/v1/boards/treyresearch/jobs/4000000010?pay_transparency=true"
        )
        with urllib.request.urlopen(greenhouse) as response:
            etag = response.headers["ETag"]
        request = urllib.request.Request(greenhouse, headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(request)
            raise AssertionError("expected 304")
        except urllib.error.HTTPError as error:
            assert error.code == 304
