"""Judging a crawl from its exit code and stats."""

from __future__ import annotations

from pipeline.crawls import judge_crawl


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
