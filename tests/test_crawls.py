"""Judging a crawl from its exit code and stats."""

from __future__ import annotations

from pipeline.crawls import CrawlVerdict, judge_crawl


def test_blocked_source_is_blocked_not_empty():
    verdict = judge_crawl(
        0,
        {
            "finish_reason": "finished",
            "secjobs/blocked": 2,
            "secjobs/blocked/challenge": 2,
            "secjobs/blocked_first_url": "https://www.ziprecruiter.com/x",
        },
    )
    assert verdict.status == "blocked"
    assert "challenge" in verdict.reason and "ziprecruiter.com" in verdict.reason


def test_partial_ok_empty_failed():
    assert (
        judge_crawl(
            0,
            {"secjobs/items/job_posting": 5, "secjobs/blocked": 1, "secjobs/blocked/forbidden": 1},
        ).status
        == "partial"
    )
    assert judge_crawl(0, {"secjobs/items/job_posting": 5}).status == "ok"
    empty = judge_crawl(0, {"finish_reason": "finished", "secjobs/items/page_failure": 3})
    assert empty.status == "empty" and "3 pages unparseable" in empty.reason
    assert judge_crawl(1, {}).status == "failed"
    assert judge_crawl(0, {"finish_reason": "shutdown"}).status == "failed"


def test_skipped_source_says_why():
    verdict = judge_crawl(
        0, {"secjobs/skipped": 1, "secjobs/skipped_reason": "USAJOBS_API_KEY is not set"}
    )
    assert (verdict.status, verdict.reason) == ("skipped", "USAJOBS_API_KEY is not set")


def test_failed_monitors_fail_the_crawl_even_with_exit_code_zero():
    verdict = judge_crawl(
        0,
        {
            "finish_reason": "finished",
            "secjobs/items/job_posting": 40,
            "secjobs/monitors_failed": "Required fields: JobPosting.jobTitle in 38 of 40",
        },
    )
    assert verdict.status == "failed" and "jobTitle in 38 of 40" in verdict.reason


def test_lost_pages_make_a_crawl_partial_or_failed():
    lost = {
        "finish_reason": "finished",
        "secjobs/lost_pages": 3,
        "secjobs/lost_pages/timeout": 2,
        "secjobs/lost_pages/http_503": 1,
    }
    partial = judge_crawl(0, {**lost, "secjobs/items/job_posting": 40})
    assert partial.status == "partial"
    assert partial.reason == "3 pages lost (http_503 1, timeout 2)"
    # Nothing came through: the item-count monitor's failure only repeats it.
    nothing = judge_crawl(
        0,
        {
            **lost,
            "secjobs/items/page_failure": 3,
            "secjobs/monitors_failed": "Item count/the crawl produced content: 0 items",
            "secjobs/monitors_failed_names": ["Item count"],
        },
    )
    assert nothing.status == "failed" and "3 pages lost" in nothing.reason


def test_a_valid_empty_source_is_empty_and_robots_is_said():
    item_count = {
        "finish_reason": "finished",
        "secjobs/monitors_failed": "Item count/the crawl produced content: 0 items",
        "secjobs/monitors_failed_names": ["Item count"],
    }
    assert judge_crawl(0, item_count) == judge_crawl(0, {"finish_reason": "finished"})
    assert judge_crawl(0, item_count).status == "empty"
    disallowed = judge_crawl(
        0,
        {
            **item_count,
            "secjobs/items/page_failure": 1,
            "secjobs/faults/robots_disallowed": 1,
        },
    )
    assert disallowed.status == "empty" and "1 pages disallowed by robots.txt" in disallowed.reason
    # Any other monitor failing still fails the crawl, items or not.
    coverage = {**item_count, "secjobs/monitors_failed_names": ["Field coverage", "Item count"]}
    assert judge_crawl(0, coverage).status == "failed"


def test_boards_unchanged_since_their_last_crawl_are_results_but_not_items():
    finished = {"finish_reason": "finished"}
    unchanged = {**finished, "secjobs/items/board_listing": 2, "secjobs/boards/unchanged": 2}
    assert judge_crawl(0, unchanged) == CrawlVerdict(
        "ok", "2 boards unchanged since their last crawl", 0
    )
    # Listings read whole are no content by themselves: boards that list nothing are empty.
    assert judge_crawl(0, {**finished, "secjobs/items/board_listing": 2}).status == "empty"
    blocked = {**unchanged, "secjobs/blocked": 1, "secjobs/blocked/forbidden": 1}
    assert judge_crawl(0, blocked).status == "partial"
