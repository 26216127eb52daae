"""Incremental crawling: a second crawl revalidates the detail pages it already has
(conditional requests, 304 Not Modified) instead of downloading them, and yields the same
items; a board whose listing is the one stored is not read again, and the store keeps its
postings open."""

from __future__ import annotations

import dataclasses
import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import select

from flows.boards import registry_settings
from pipeline.boards import ListingCounts
from pipeline.crawls import judge_crawl
from pipeline.db import session_factory
from pipeline.ingest import ingest_feeds
from pipeline.ledger import feed_at
from pipeline.models import Board, JobPostingRecord
from pipeline.origin import SANDBOX
from pipeline.store import close_missing_postings, utcnow
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


# One of fabrikamfinancial's details cannot be read: its listing is never recorded whole.
UNREADABLE_DETAIL = {"/greenhouse/v1/boards/fabrikamfinancial/jobs/4000000050": "malformed"}
BOARDS = ("northwindsecurity", "contosohealth", "fabrikamfinancial", "generalassembly")


def test_unchanged_board_listings_are_not_read_again_and_their_postings_stay_open(tmp_path):
    market = EditableMarket(size=120)
    database = f"sqlite:///{tmp_path / 'secjobs.db'}"

    def store(staging: Path, run_id: str) -> dict:
        [feed] = (staging / "greenhouse").glob("*.jsonl")
        return ingest_feeds(database, [feed_at(feed)], run_id, origin=SANDBOX)

    def board_file(run_id: str) -> str:
        # What a run hands the spider: the registry's boards and the listings stored whole.
        with session_factory(database)() as session:
            settings = registry_settings(session, ["greenhouse"], tmp_path, run_id, utcnow())
        return f"SECJOBS_BOARDS_FILE={settings['greenhouse']['SECJOBS_BOARDS_FILE']}"

    with running_sandbox(market, faults=UNREADABLE_DETAIL) as url:
        first = run_crawl(
            "greenhouse", url, tmp_path / "first", f"GREENHOUSE_BOARDS={','.join(BOARDS)}"
        )
        stored_first = store(tmp_path / "first", "run-1")
        # contosohealth's Information Security Manager (posting 25) becomes an accountant.
        market.edited[25] = "Staff Accountant"
        second = run_crawl(
            "greenhouse", url, tmp_path / "second", "GREENHOUSE_BOARDS=", board_file("run-2")
        )
        served = hits(url)
        stored_second = store(tmp_path / "second", "run-2")
        with session_factory(database).begin() as session:
            closed = close_missing_postings(session, "greenhouse", "run-2")
        forced = run_crawl(
            "greenhouse",
            url,
            tmp_path / "forced",
            "GREENHOUSE_BOARDS=",
            board_file("run-3"),
            "SECJOBS_BOARD_REPARSE=1",
        )
        # A crawl of only the boards stored whole, none of them changed since.
        plan = json.loads(Path(board_file("run-4").split("=", 1)[1]).read_text())
        only_unchanged = tmp_path / "unchanged.boards.json"
        only_unchanged.write_text(json.dumps({**plan, "boards": sorted(plan["listings"])}))
        quiet = run_crawl(
            "greenhouse",
            url,
            tmp_path / "quiet",
            "GREENHOUSE_BOARDS=",
            f"SECJOBS_BOARDS_FILE={only_unchanged}",
        )

    for result in (first, second, forced, quiet):
        assert result.returncode == 0, result.log_tail
    # First crawl: every listing read; fabrikamfinancial's not whole (a detail unreadable).
    assert sorted(x["board"] for x in first.listings) == [
        "contosohealth",
        "generalassembly",
        "northwindsecurity",
    ]
    assert {x["unchangedSince"] for x in first.listings} == {None}
    assert stored_first["board_listings_recorded"] == 3
    assert stored_first["postings_stored"] == 15  # 5 + 6 + 4 security managers and leaders

    # Second crawl: the two boards stored whole and unchanged are neither parsed nor followed.
    unchanged = {x["board"]: x["unchangedSince"] for x in second.listings if x["unchangedSince"]}
    assert unchanged == {"northwindsecurity": "run-1", "generalassembly": "run-1"}
    assert sorted(c["board"] for c in second.checks) == ["contosohealth", "fabrikamfinancial"]
    by_board: dict[str, int] = {}
    for item in second.items:
        by_board[item["board"]] = by_board.get(item["board"], 0) + 1
    assert by_board == {"contosohealth": 5, "fabrikamfinancial": 4}  # the accountant skipped
    assert [x["board"] for x in second.listings if not x["unchangedSince"]] == ["contosohealth"]
    assert second.stats["secjobs/boards/unchanged"] == 2
    # Its details were fetched by the first crawl only; a changed board's by both.
    assert served["/greenhouse/v1/boards/northwindsecurity/jobs/4000000024"] == 1
    assert served["/greenhouse/v1/boards/contosohealth/jobs/4000000037"] == 2
    verdict = judge_crawl(second.returncode, second.stats)
    assert (verdict.status, verdict.reason) == ("ok", "2 boards unchanged since their last crawl")
    assert {k: stored_second[k] for k in ListingCounts().as_dict()} == {
        "board_listings_recorded": 1,  # contosohealth, read whole again
        "boards_unchanged": 2,
        "postings_refreshed": 5,  # northwindsecurity's; generalassembly lists no managers
        "boards_unchanged_stale": 0,
    }
    assert closed == 1  # the posting that is no security manager's any more

    with session_factory(database)() as session:
        postings = session.scalars(select(JobPostingRecord)).all()
        boards = {
            b.identifier: b for b in session.scalars(select(Board).where(Board.ats == "greenhouse"))
        }
    north = [p for p in postings if p.board == "northwindsecurity"]
    assert len(north) == 5
    assert {(p.status, p.last_run_id) for p in north} == {("open", "run-2")}
    assert all(p.last_seen > p.first_seen for p in north)
    [gone] = [p for p in postings if p.status == "closed"]
    assert (gone.board, gone.source_id) == ("contosohealth", "4000000025")
    assert boards["northwindsecurity"].last_outcome == "unchanged since run run-1"
    assert boards["northwindsecurity"].listing_run_id == "run-2"
    assert (boards["northwindsecurity"].status, boards["northwindsecurity"].open_postings) == (
        "active",
        8,
    )
    assert boards["fabrikamfinancial"].listing_digest is None
    assert boards["contosohealth"].listing_run_id == "run-2"

    # SECJOBS_BOARD_REPARSE reads every listing, unchanged or not.
    assert [x for x in forced.listings if x["unchangedSince"]] == []
    assert "secjobs/boards/unchanged" not in forced.stats
    assert sorted(c["board"] for c in forced.checks) == sorted(BOARDS)
    assert len(forced.items) == 5 + 5 + 4

    # Nothing read, nothing to stage but the three unchanged listings: a crawl that is ok,
    # not empty, and whose monitors pass (an unchanged board stands for its content).
    assert sorted(x["board"] for x in quiet.listings) == [
        "contosohealth",
        "generalassembly",
        "northwindsecurity",
    ]
    assert quiet.items == [] and quiet.checks == []
    assert "secjobs/monitors_failed" not in quiet.stats
    verdict = judge_crawl(quiet.returncode, quiet.stats)
    assert (verdict.status, verdict.reason, verdict.items) == (
        "ok",
        "3 boards unchanged since their last crawl",
        0,
    )
