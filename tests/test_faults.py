"""Surviving the real web: every fault of the sandbox's catalogue, served to a real crawl.

Three crawls cover the catalogue: one Greenhouse crawl with a different fault on each board
(the transport and server faults, blocks, robots.txt, an empty board), one whose bodies are
mis-encoded or moved (the monitors fail it), and one salary site whose layout changed. Each
proves the crawl finishes, retries what is retryable with backoff, honours Retry-After and
robots.txt, caps the page size, keeps what was good, records every failure in its stats and
as a quarantined page_failure, and never stages a blank title or a zero pay as real.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from pipeline.crawls import judge_crawl
from sandbox.faults import (
    FaultRules,
    FaultSpec,
    emptied,
    mislabelled,
    parse_fault,
    relayout,
)
from sandbox.generator import Market
from sandbox.server import running_sandbox
from spiders.middlewares import backoff_seconds, retry_after_seconds
from tests.spiders.crawl import run_crawl

BOARD = "/greenhouse/v1/boards/{}/jobs"
# Fast enough for a test: a 1 s timeout, backoff 0.2 s, 0.4 s, 0.8 s.
FAST = ("DOWNLOAD_TIMEOUT=1", "RETRY_BACKOFF_BASE=0.2")
NETWORK_FAULTS = {
    BOARD.format("gitlab"): "truncated",
    BOARD.format("generalassembly"): "reset",
    BOARD.format("northwindsecurity"): "503x2",  # two 503s, then the board
    BOARD.format("woodgrovebank"): "huge",  # 50 MB, streamed
    BOARD.format("adatumcloud"): "redirect_loop",
    BOARD.format("contosohealth"): "empty",
    BOARD.format("lamnaenergy"): "slow:3",
    BOARD.format("wingtipretail"): "429:1x1",  # one 429 asking for 1 s, then the board
    BOARD.format("fabrikamfinancial"): "robots",
    BOARD.format("treyresearch"): "429",  # rate limited whatever we do
    BOARD.format("litwarelabs"): "429:600",  # come back in ten minutes
    BOARD.format("tailspinlogistics"): "captcha",
}


def health(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/_health", timeout=10) as response:
        return json.loads(response.read())


def gaps(times: list[float]) -> list[float]:
    return [round(b - a, 2) for a, b in zip(times, times[1:], strict=False)]


def assert_nothing_blank_or_zero(items: list[dict]) -> None:
    for item in items:
        assert item["jobTitle"] and item["jobTitle"].strip(), item["url"]
        pay = item.get("baseSalary") or {}
        for key in ("valueMin", "valueMax"):
            assert pay.get(key) is None or pay[key] > 0, item["url"]


@pytest.fixture(scope="module")
def network_crawl(tmp_path_factory):
    with running_sandbox(Market(size=120), faults=NETWORK_FAULTS) as url:
        result = run_crawl("greenhouse", url, tmp_path_factory.mktemp("network"), *FAST)
        served = health(url)
    return result, served


def test_network_faults_crawl_finishes_and_keeps_the_good_boards(network_crawl):
    result, _ = network_crawl
    assert result.returncode == 0, result.log_tail
    assert result.stats["finish_reason"] == "finished"
    companies = {i["hiringOrganization"]["name"] for i in result.items}
    # Recovered after retries (503 burst, one 429) and untouched boards are all there.
    assert {"Northwind Security", "Wingtip Retail", "Proseware Systems"} <= companies
    assert "Contoso Health" not in companies  # its board is valid but empty
    assert_nothing_blank_or_zero(result.items)
    assert result.stats["secjobs/items/job_posting"] == len(result.items) > 15


def test_transient_faults_are_retried_with_exponential_backoff(network_crawl):
    result, served = network_crawl
    reasons = {
        k.removeprefix("retry/reason_count/"): v
        for k, v in result.stats.items()
        if k.startswith("retry/reason_count/")
    }
    assert reasons["503 Service Unavailable"] == 2  # the burst, then success
    for error in ("DownloadTimeoutError", "ResponseDataLossError", "DownloadFailedError"):
        assert reasons[f"scrapy.exceptions.{error}"] == 3  # RETRY_TIMES, then given up
    # Backoff 0.2 + 0.4 + 0.8 s for each of the three lost boards, 0.2 + 0.4 s for the burst.
    assert result.stats["secjobs/retry/backoff_seconds"] == pytest.approx(3 * 1.4 + 0.6)
    truncated = gaps(served["times"][BOARD.format("gitlab")])
    assert len(truncated) == 3 and truncated == sorted(truncated)
    assert [g >= wait for g, wait in zip(truncated, (0.2, 0.4, 0.8), strict=True)] == [True] * 3
    slow = gaps(served["times"][BOARD.format("lamnaenergy")])
    # Each attempt timed out after 1 s (give or take the timer), then waited its backoff.
    assert all(g >= 0.95 + wait for g, wait in zip(slow, (0.2, 0.4, 0.8), strict=True)), slow


def test_retry_after_is_honoured_then_a_persistent_429_is_a_block(network_crawl):
    result, served = network_crawl
    once = served["times"][BOARD.format("wingtipretail")]
    assert len(once) == 2 and gaps(once)[0] >= 1.0  # waited the second it was asked to
    always = served["times"][BOARD.format("treyresearch")]
    assert len(always) == 4 and min(gaps(always)) >= 1.0  # 3 retries, each after 1 s
    assert result.stats["secjobs/retry_after/count"] == 1 + 3
    assert result.stats["secjobs/retry_after/waited_seconds"] == 4.0
    # Ten minutes is past RETRY_AFTER_MAX: not retried, counted as rate limited at once.
    assert served["hits"][BOARD.format("litwarelabs")] == 1
    assert result.stats["secjobs/retry_after/too_long"] == 1
    assert result.stats["secjobs/blocked/rate_limited"] == 2
    assert result.stats["secjobs/blocked/challenge"] == 1  # the captcha page


def test_robots_txt_disallow_is_never_fetched(network_crawl):
    result, served = network_crawl
    assert BOARD.format("fabrikamfinancial") not in served["hits"]
    assert result.stats["robotstxt/forbidden"] == 1
    assert result.stats["secjobs/faults/robots_disallowed"] == 1


def test_page_size_is_capped_and_not_retried(network_crawl):
    result, served = network_crawl
    assert served["hits"][BOARD.format("woodgrovebank")] == 1
    exceptions = "downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError"
    assert result.stats[exceptions] == 1
    assert result.stats["downloader/response_bytes"] < 20 * 1024 * 1024  # never kept whole


def test_redirect_loop_ends_at_the_redirect_cap(network_crawl):
    _, served = network_crawl
    assert served["hits"][BOARD.format("adatumcloud")] == 6  # REDIRECT_MAX_TIMES 5, plus one


def test_every_lost_page_is_a_page_failure_and_the_crawl_is_partial(network_crawl):
    result, _ = network_crawl
    lost = {f["url"].split("/boards/")[1].split("/")[0]: f["reason"] for f in result.failures}
    assert lost == {
        "gitlab": "truncated",
        "generalassembly": "connection_lost",
        "woodgrovebank": "too_large",
        "adatumcloud": "redirect_loop",
        "lamnaenergy": "timeout",
        "fabrikamfinancial": "robots_disallowed",
    }
    # Blocks are counted as blocks (secjobs/blocked/<reason>), not staged as page failures.
    assert result.stats["secjobs/faults/blocked_rate_limited"] == 2
    assert result.stats["secjobs/faults/blocked_challenge"] == 1
    assert result.stats["secjobs/lost_pages"] == 5
    assert "log_count/ERROR" not in result.stats  # handled, so the error monitor passes
    verdict = judge_crawl(result.returncode, result.stats)
    assert verdict.status == "partial"
    for kind in ("timeout 1", "truncated 1", "too_large 1", "redirect_loop 1"):
        assert kind in verdict.reason


def test_mis_encoded_and_moved_bodies_fail_the_monitors_not_the_data(tmp_path):
    faults = {
        BOARD.format("gitlab"): "wrong_charset",  # cp1252 bytes labelled utf-8
        BOARD.format("generalassembly"): "no_charset",
        BOARD.format("northwindsecurity"): "layout:title",  # the title field moved
    }
    with running_sandbox(Market(size=120), faults=faults) as url:
        result = run_crawl("greenhouse", url, tmp_path, *FAST)

    assert result.returncode == 0 and result.stats["finish_reason"] == "finished"
    [broken] = result.failures
    assert broken["reason"] == "malformed_json" and "/boards/gitlab/" in broken["url"]
    assert "utf-8" in broken["detail"]
    # No charset at all: JSON is UTF-8 by definition, so the recorded board reads as before
    # (its jobs are no security roles: listed and counted, not fetched).
    checks = {c["board"]: (c["outcome"], c["openPostings"]) for c in result.checks}
    assert checks["generalassembly"][0] == "jobs" and checks["generalassembly"][1] > 0
    assert "gitlab" not in checks  # unreadable: it says nothing of the board
    untitled = [i for i in result.items if not i["jobTitle"]]
    assert untitled and all("/northwindsecurity/" in i["url"] for i in untitled)
    assert result.stats["secjobs/coverage/JobPosting/title"] < len(result.items)
    monitors = result.stats["secjobs/monitors_failed"]
    assert "Field coverage" in monitors and "title" in monitors
    assert judge_crawl(result.returncode, result.stats).status == "failed"
    # Staged, they are quarantined, never stored with an empty title.
    from pipeline.postings import Rejected, clean_posting

    with pytest.raises(Rejected, match="missing_jobTitle"):
        clean_posting(untitled[0])


def test_salary_layout_change_and_an_empty_source(tmp_path):
    with running_sandbox(Market(size=24), faults={"comparably": "layout"}) as url:
        salary = run_crawl("comparably", url, tmp_path / "salary", *FAST)
    assert salary.returncode == 0
    assert salary.observations == []  # nothing read off a page we no longer understand
    assert {f["reason"] for f in salary.failures} == {"layout_changed"}
    verdict = judge_crawl(salary.returncode, salary.stats)
    assert verdict.status == "empty" and "unparseable" in verdict.reason

    with running_sandbox(Market(size=24), faults={"/greenhouse/v1/boards/*/jobs": "empty"}) as url:
        empty = run_crawl("greenhouse", url, tmp_path / "empty", *FAST)
    assert empty.returncode == 0 and empty.items == [] and empty.failures == []
    assert "Item count" in empty.stats["secjobs/monitors_failed"]
    verdict = judge_crawl(empty.returncode, empty.stats)
    assert (verdict.status, verdict.reason) == ("empty", "no postings found; 0 errors logged")


# --- the pure parts ----------------------------------------------------------------------


def test_fault_syntax():
    assert parse_fault("503x2") == FaultSpec("503", None, 2)
    assert parse_fault("429:5") == FaultSpec("429", "5", None)
    assert parse_fault("slow:2.5x1") == FaultSpec("slow", "2.5", 1)
    assert parse_fault("redirect_loop:self") == FaultSpec("redirect_loop", "self", None)
    assert parse_fault("layout:title").arg == "title"
    for bad in ("explode", "slow:soon", "redirect_loop:elsewhere", "200"):
        with pytest.raises(ValueError):
            parse_fault(bad)


def test_rules_match_exact_paths_globs_and_sources_counting_per_path():
    rules = FaultRules(
        {"greenhouse": "503x1", "/greenhouse/v1/boards/gitlab/jobs": "reset", "/lever/*": "robots"}
    )
    gitlab, other = "/greenhouse/v1/boards/gitlab/jobs", "/greenhouse/v1/boards/x/jobs"
    assert rules.match(gitlab).name == "reset"  # the exact path wins, every time
    assert rules.match(gitlab).name == "reset"
    assert rules.match(other).name == "503" and rules.match(other) is None  # once per path
    assert rules.match("/greenhouse/v1/boards/y/jobs").name == "503"
    assert rules.match("/lever/v0/postings/x") is None  # robots only shapes robots.txt
    assert "Disallow: /lever/*" in rules.robots_txt()


def test_body_transformations():
    assert json.loads(emptied(b'{"jobs": [1, 2], "meta": {"total": 2}}')) == {
        "jobs": [],
        "meta": {"total": 0},
    }
    assert emptied(b"[1]") == b"[]"
    assert b"No results" in emptied(b"<html><body><table>...</table></body></html>")
    assert mislabelled("Zürich".encode()) == b"Z\xfcrich"
    assert json.loads(relayout(b'{"jobs": [{"title": "CISO", "id": 1}]}', "title")) == {
        "jobs": [{"title_v2": "CISO", "id": 1}]
    }
    assert "jobs" not in json.loads(relayout(b'{"jobs": []}'))
    page = relayout(
        b'<p class="salaryHero-summary">The average salary for a CISO</p>'
        b'<script type="application/ld+json">{"@type": "Occupation"}</script>'
    )
    assert b"v2-salaryHero-summary" in page and b"ld+json" not in page
    assert b"average salary" not in page


def test_retry_after_and_backoff():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now) == 90.0
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert [backoff_seconds(n, 1.0, 5.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]


def test_field_coverage_floors():
    from spiders.items import BaseSalary, HiringOrganization, JobPosting
    from spiders.monitors import coverage_shortfalls, posting_fields

    paid = JobPosting(
        url="u",
        jobTitle="CISO",
        hiringOrganization=HiringOrganization(name="Acme"),
        baseSalary=BaseSalary(raw="$150,000", valueMin=150_000),
    )
    assert posting_fields(paid) == {"title": True, "company": True, "pay": True}
    zero = JobPosting(url="u", jobTitle=" ", baseSalary=BaseSalary(valueMin=0, valueMax=0))
    assert posting_fields(zero) == {"title": False, "company": False, "pay": False}
    stats = {
        "secjobs/coverage/JobPosting": 40,
        "secjobs/coverage/JobPosting/title": 40,
        "secjobs/coverage/JobPosting/company": 40,
    }
    assert coverage_shortfalls(stats, "greenhouse") == ["pay 0% < 5% of 40 postings"]
    assert coverage_shortfalls(stats, "workable") == []  # pay only in the description
    small = {**stats, "secjobs/coverage/JobPosting": 10, "secjobs/coverage/JobPosting/title": 9}
    # Too few postings to judge pay; a missing title always counts.
    assert coverage_shortfalls(small, "lever") == ["title 90% < 100% of 10 postings"]
