"""Lever Postings API: the page object on the recorded real response, and a real crawl."""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from spiders.items import JobPosting, PageFailure
from spiders.pages.lever import (
    LeverPostingsPage,
    epoch_ms_to_iso,
    pay_from_salary_range,
    postings_url,
)
from tests.spiders.crawl import run_crawl

RECORDED = Path(__file__).resolve().parents[2] / "sandbox" / "recorded"


def postings_page(body: bytes, site: str = "matchgroup") -> LeverPostingsPage:
    return LeverPostingsPage(
        response=HttpResponse(
            postings_url("https://api.lever.co", site),
            body=body,
            headers={"Content-Type": "application/json"},
        )
    )


def test_recorded_matchgroup_postings():
    page = postings_page((RECORDED / "lever_matchgroup_postings.json").read_bytes())
    first, second = page.postings("matchgroup", "Match Group")

    assert first.jobTitle == "Android Engineer III"
    assert first.jobPostingId == "3414ba28-35f7-45d3-8e13-35c883959635"
    assert first.url == "https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635"
    assert first.hiringOrganization.name == "Match Group"
    assert first.jobLocation[0].raw == "New York, New York"
    assert first.remoteStatus == "hybrid"  # workplaceType
    assert first.employmentType == "Full-time"
    # createdAt 1779223091267 ms
    assert first.datePublished == "2026-05-19T20:38:11+00:00"
    assert first.datePublishedRaw == "1779223091267"
    salary = first.baseSalary
    assert (salary.valueMin, salary.valueMax, salary.currency, salary.rateType) == (
        150_000,
        180_000,
        "USD",
        "per-year-salary",
    )
    assert first.payOrigin == "posted"
    # The raw keeps the salaryRange JSON and the employer's note on it.
    assert salary.raw.startswith('{"currency": "USD", "interval": "per-year-salary"')
    assert "reflective of a position based in New York City" in salary.raw
    # Lists (responsibilities, requirements) and the closing text are part of the ad.
    assert "Kotlin Proficiency" in first.description
    assert "401(k) Matching" in first.description
    assert "<" not in first.description

    assert second.jobTitle == "Android Software Engineer (Azar)"
    assert second.jobLocation[0].raw == "Seoul, South Korea"
    assert second.datePublished == "2026-01-05T06:59:28+00:00"
    assert second.baseSalary is None and second.payOrigin is None


def test_site_name_stands_in_for_company_without_configured_name():
    page = postings_page((RECORDED / "lever_matchgroup_postings.json").read_bytes())
    assert page.postings("matchgroup")[0].hiringOrganization.name == "matchgroup"


def test_hourly_salary_range_keeps_its_interval():
    salary = pay_from_salary_range(
        {"interval": "per-hour-wage", "currency": "USD", "min": 55, "max": 77}
    )
    assert (salary.valueMin, salary.valueMax, salary.rateType) == (55, 77, "per-hour-wage")
    assert pay_from_salary_range({"interval": "per-year-salary", "currency": "USD"}) is None
    assert pay_from_salary_range(None) is None


def test_epoch_ms_to_iso():
    assert epoch_ms_to_iso(1767596368549) == "2026-01-05T06:59:28+00:00"
    assert epoch_ms_to_iso(None) is None
    assert epoch_ms_to_iso("1767596368549") is None


def test_malformed_and_unexpected_bodies_become_failures():
    [broken] = postings_page(b'[{"id": "x", "text": "Trunc').postings("acme")
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = postings_page(b'{"ok": false}').postings("acme")
    assert changed.reason == "layout_changed"
    results = postings_page(json.dumps(["x", {"id": "a1", "text": "CISO"}]).encode()).postings(
        "acme"
    )
    assert [type(r) for r in results] == [PageFailure, JobPosting]


def test_crawl_sandbox_lever_pages_through_every_site(sandbox_url, tmp_path):
    """A real `scrapy crawl lever`, three postings a page, so every generated site pages."""
    result = run_crawl(
        "lever", sandbox_url, tmp_path, "LEVER_PAGE_SIZE=3", f"HTTPCACHE_DIR={tmp_path}/cache"
    )

    assert result.returncode == 0, result.log_tail
    assert not result.failures
    by_url = {i["url"]: i for i in result.items}
    # 2 recorded + 10 generated (northwindsecurity 2, woodgrovebank 4, wingtipretail 4).
    assert len(result.items) == 12 == len(by_url)
    assert result.stats["secjobs/items/job_posting"] == 12
    # matchgroup: 1 page; northwind: 1; woodgrove: 2 (3 + 1); wingtip: 2 (3 + 1) -> 6 + robots.
    assert result.stats["downloader/request_count"] == 7

    recorded = by_url["https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635"]
    assert recorded["hiringOrganization"]["name"] == "Match Group"
    assert recorded["baseSalary"]["valueMax"] == 180_000

    # Generated posting 40: Director of Information Security at Woodgrove Bank, Seattle.
    [director] = [i for i in result.items if i["jobTitle"] == "Director of Information Security"]
    assert director["hiringOrganization"]["name"] == "Woodgrove Bank"
    assert director["jobLocation"] == [{"raw": "Seattle, WA"}]
    assert director["remoteStatus"] == "onsite"
    assert director["datePublished"] == "2026-09-26T14:30:00+00:00"
    assert director["baseSalary"]["valueMin"] == 237_000
    assert director["baseSalary"]["valueMax"] == 319_000
    assert director["baseSalary"]["rateType"] == "per-year-salary"
    assert director["payOrigin"] == "posted"
    # Posting 20 states its hourly pay only in the closing text: left for the pipeline.
    [hourly] = [
        i
        for i in result.items
        if i["jobTitle"] == "IT Security Manager"
        and i["hiringOrganization"]["name"] == "Wingtip Retail"
    ]
    assert hourly["baseSalary"] is None and hourly["payOrigin"] is None
    assert "$55 - $77 per hour" in hourly["description"]
