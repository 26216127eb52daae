"""Greenhouse Job Board API: the page object on recorded real responses, and a real crawl."""

from __future__ import annotations

import html
import json
from pathlib import Path

import yaml
from web_poet import HttpResponse

from spiders.items import JobPosting, PageFailure
from spiders.pages.greenhouse import (
    GreenhouseBoardPage,
    board_jobs_url,
    pay_from_content,
    pay_from_input_ranges,
)
from tests.spiders.crawl import run_crawl

RECORDED = Path(__file__).resolve().parents[2] / "sandbox" / "recorded"


def board_page(body: bytes, board: str) -> GreenhouseBoardPage:
    url = board_jobs_url("https://boards-api.greenhouse.io", board)
    return GreenhouseBoardPage(
        response=HttpResponse(url, body=body, headers={"Content-Type": "application/json"})
    )


def test_recorded_gitlab_board_yields_both_jobs_with_pay_block():
    page = board_page((RECORDED / "greenhouse_gitlab_jobs.json").read_bytes(), "gitlab")
    postings = page.postings("gitlab")

    assert [p.jobTitle for p in postings] == ["Account Executive - Italy", "AI Engineer"]
    first, second = postings
    assert first.jobPostingId == "8503792002"
    assert first.url == "https://job-boards.greenhouse.io/gitlab/jobs/8503792002"
    assert first.hiringOrganization.name == "GitLab"
    assert first.jobLocation[0].raw == "Remote, Italy"
    assert first.remoteStatus == "remote"
    assert first.datePublished == "2026-04-17T05:58:03-04:00"
    assert first.baseSalary is None and first.payOrigin is None
    # The pay-transparency block GitLab renders into `content`, with its title.
    assert second.baseSalary.raw == "United States Salary Range: $108,400 — $129,600 USD"
    assert second.payOrigin == "posted"
    assert "DevSecOps" in second.description
    assert "<" not in second.description  # text, not markup


def test_recorded_2013_cassette_board():
    cassette = yaml.safe_load(
        (RECORDED / "greenhouse_generalassembly_jobs_with_content.yml").read_text()
    )
    body = cassette["http_interactions"][0]["response"]["body"]["string"].encode()
    postings = board_page(body, "generalassembly").postings("generalassembly")

    assert postings and all(isinstance(p, JobPosting) for p in postings)
    assert postings[0].jobTitle == "Application developer"
    assert postings[0].jobPostingId == "721"
    # 2013 responses have no company_name: the board token stands in.
    assert postings[0].hiringOrganization.name == "generalassembly"


def test_malformed_and_unexpected_bodies_become_failures_not_crashes():
    [broken] = board_page(b'{"jobs": [{"id": 1, "title": "Trunc', "acme").postings("acme")
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = board_page(b'{"postings": []}', "acme").postings("acme")
    assert changed.reason == "layout_changed"
    results = board_page(
        json.dumps({"jobs": ["x", {"id": 5, "title": "CISO"}]}).encode(), "acme"
    ).postings("acme")
    assert [type(r).__name__ for r in results] == ["PageFailure", "JobPosting"]


def test_pay_from_input_ranges_converts_cents():
    salary = pay_from_input_ranges(
        [
            {
                "min_cents": 15_000_000,
                "max_cents": 19_500_000,
                "currency_type": "USD",
                "title": "US Zone 1",
            }
        ]
    )
    assert (salary.valueMin, salary.valueMax, salary.currency) == (150_000, 195_000, "USD")


def test_pay_from_content_without_block_is_none():
    assert pay_from_content(html.unescape("&lt;p&gt;Competitive pay&lt;/p&gt;")) is None


def test_crawl_sandbox_greenhouse(sandbox_url, tmp_path):
    """A real `scrapy crawl greenhouse` against the sandbox: recorded and generated boards,
    titles first; the security managers' and leaders' jobs with their detail."""
    result = run_crawl("greenhouse", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    # GitLab's recorded jobs (an AI engineer, an account executive) are no security roles:
    # listed and counted on the board, never fetched.
    assert {c["board"]: c["openPostings"] for c in result.checks}["gitlab"] == 2
    assert "GitLab" not in {i["hiringOrganization"]["name"] for i in result.items}
    generated = [
        i
        for i in result.items
        if i["url"].startswith("https://job-boards.greenhouse.io/northwindsecurity/")
    ]
    assert generated, "generated board was not crawled"
    assert all(i["source"] == "greenhouse" and i["crawlRunId"] == "t1" for i in result.items)
    assert result.stats["secjobs/items/job_posting"] == len(result.items)
    assert result.stats["robotstxt/request_count"] == 1


def test_blocked_board_is_counted_and_other_boards_still_crawl(tmp_path):
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    faults = {
        "/greenhouse/v1/boards/woodgrovebank/jobs": "429",
        "/greenhouse/v1/boards/adatumcloud/jobs": "challenge",
    }
    with running_sandbox(Market(size=120), faults=faults) as url:
        result = run_crawl("greenhouse", url, tmp_path)

    assert result.returncode == 0
    assert result.stats["secjobs/blocked/rate_limited"] == 1
    assert result.stats["secjobs/blocked/challenge"] == 1
    companies = {i["hiringOrganization"]["name"] for i in result.items}
    assert "Woodgrove Bank" not in companies and "Adatum Cloud" not in companies
    assert "Northwind Security" in companies


def test_a_job_detail_gives_the_listed_job_its_content_and_pay():
    from sandbox.generator import Market, greenhouse_job
    from spiders.pages.greenhouse import GreenhouseJobPage, job_detail_url

    # A real job as the API gives it with content (GitLab's AI Engineer), as its detail.
    real = json.loads((RECORDED / "greenhouse_gitlab_jobs.json").read_bytes())["jobs"][1]
    listed = board_page(
        json.dumps({"jobs": [{k: v for k, v in real.items() if k != "content"}]}).encode(),
        "gitlab",
    ).postings("gitlab")[0]
    assert listed.description is None and listed.baseSalary is None
    url = job_detail_url("https://boards-api.greenhouse.io", "gitlab", listed.jobPostingId)
    assert url == (
        "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs/8565469002?pay_transparency=true"
    )
    detailed = GreenhouseJobPage(response=HttpResponse(url, body=json.dumps(real).encode()))
    posting = detailed.posting("gitlab", listed)
    assert "DevSecOps" in posting.description
    assert posting.baseSalary.raw == "United States Salary Range: $108,400 — $129,600 USD"
    assert (posting.jobTitle, posting.url) == (listed.jobTitle, listed.url)
    # Generated posting 8 (Wingtip Retail): pay_input_ranges in cents.
    p = Market(size=120).posting(8)
    body = json.dumps(greenhouse_job(p, content=True, pay_transparency=True)).encode()
    posting = GreenhouseJobPage(response=HttpResponse(url, body=body)).posting(
        "wingtipretail", listed
    )
    assert (posting.baseSalary.valueMin, posting.baseSalary.valueMax) == (79_000, 104_000)
    assert posting.baseSalary.currency == "USD" and posting.payOrigin == "posted"
    # An unreadable detail, or one without an id, leaves the listed job as it was.
    assert (
        GreenhouseJobPage(response=HttpResponse(url, body=b"{")).posting("gitlab", listed) is listed
    )
    bare = GreenhouseJobPage(response=HttpResponse(url, body=b'{"title": "x"}'))
    assert bare.posting("gitlab", listed) is listed


def test_crawl_fetches_details_only_for_security_managers_and_leaders(sandbox_url, tmp_path):
    from pipeline.titles import classify_title

    result = run_crawl("greenhouse", sandbox_url, tmp_path, f"HTTPCACHE_DIR={tmp_path}/cache")

    assert result.returncode == 0, result.log_tail
    # 12 generated boards + 2 recorded + robots.txt, listed without content; one detail for
    # each of the 57 security managers and leaders; 23 other titles listed, not fetched.
    assert result.stats["downloader/request_count"] == 14 + 1 + 57
    assert result.stats["secjobs/greenhouse/skipped_by_title"] == 23
    assert "secjobs/greenhouse/detail_failed" not in result.stats
    assert len(result.items) == 57
    families = {classify_title(i["jobTitle"]).family for i in result.items}
    assert families == {"security_manager", "security_leader"}
    assert all(i["description"] for i in result.items)  # the detail's content
    assert sum(1 for i in result.items if i["baseSalary"]) == 28


def test_spidermon_verdict_reaches_the_stats_file(sandbox_url, tmp_path):
    """A failing close monitor exits 0 like a good crawl; its verdict is in the stats file."""
    healthy = run_crawl("greenhouse", sandbox_url, tmp_path / "a")
    assert healthy.returncode == 0 and "secjobs/monitors_failed" not in healthy.stats
    assert healthy.stats["spidermon_field_coverage/JobPosting/jobTitle"] == 1.0
    strict = run_crawl(
        "greenhouse",
        sandbox_url,
        tmp_path / "b",
        'SPIDERMON_EXPECTED_FINISH_REASONS=["closespider_timeout"]',
    )
    assert strict.returncode == 0
    assert "Finish Reason Monitor" in strict.stats["secjobs/monitors_failed"]
