"""Remotive API: both recorded real responses (one with a byte order mark) through the page
object, the pipeline reading their free-text salaries, and a real crawl of the sandbox."""

from __future__ import annotations

import pytest
from web_poet import HttpResponse

from pipeline.postings import clean_posting
from spiders.items import JobPosting, PageFailure
from spiders.pages.remotive import RemotiveJobsPage, jobs_url
from spiders.sources import load_sources
from tests.spiders.crawl import run_crawl

WORKVERSE = "api_json/WorkVerse__remotive.json"
WALL_STREET = "api_json/Wall-Street-Playbook__remotive.json"


def jobs_page(body: bytes) -> RemotiveJobsPage:
    url = jobs_url("https://remotive.com", {"search": "security"})
    return RemotiveJobsPage(
        response=HttpResponse(url, body=body, headers={"Content-Type": "application/json"})
    )


def by_id(postings) -> dict[str, JobPosting]:
    return {p.jobPostingId: p for p in postings}


def test_recorded_response_with_byte_order_mark(realdata):
    body = (realdata / WORKVERSE).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    postings = jobs_page(body).postings()

    assert len(postings) == 35 and all(isinstance(p, JobPosting) for p in postings)
    assert sum(1 for p in postings if p.baseSalary) == 27
    head = by_id(postings)["2091068"]
    assert head.jobTitle == "Head of Marketing & Communications"
    assert head.hiringOrganization.name == "garden3d"
    assert head.jobLocation[0].raw == "Worldwide"
    assert head.baseSalary.raw == "$150k - $230k" and head.payOrigin == "posted"
    assert head.employmentType == "contract"
    assert head.datePublished == "2026-07-16T08:06:41"
    assert head.remoteStatus == "remote"
    assert (
        head.url
        == "https://remotive.com/remote-jobs/marketing/head-of-marketing-communications-2091068"
    )
    assert by_id(postings)["2091072"].baseSalary is None  # "" is no salary


def test_recorded_response_salary_strings(realdata):
    postings = by_id(jobs_page((realdata / WALL_STREET).read_bytes()).postings())

    assert len(postings) == 20 and sum(1 for p in postings.values() if p.baseSalary) == 13
    ceo = postings["2087621"]
    assert ceo.jobTitle == "🇩🇪 CEO (m/w/d) Re-Think Hospitality"
    assert ceo.hiringOrganization.name == "hostz hospitality AG"
    assert ceo.jobLocation[0].raw == "Germany"
    assert ceo.baseSalary.raw == "€80k-€110k"
    assert postings["2088265"].baseSalary.raw == "up to $19/hour"
    # "Coalition Technologies " has a trailing space in the feed.
    assert postings["1680495"].hiringOrganization.name == "Coalition Technologies"


@pytest.mark.parametrize(
    ("job_id", "expected"),
    [
        ("2087621", (80_000, 110_000, "EUR", "year")),
        ("2088265", (None, 19, "USD", "hour")),
        ("2069746", (170_000, 200_000, "USD", "year")),
    ],
)
def test_pipeline_reads_recorded_salary_text(realdata, job_id, expected):
    from dataclasses import asdict

    posting = by_id(jobs_page((realdata / WALL_STREET).read_bytes()).postings())[job_id]
    record = asdict(posting) | {"source": "remotive", "scrapedAt": "2026-11-25T08:00:00+00:00"}
    row = clean_posting(record)
    assert (row["pay_min"], row["pay_max"], row["pay_currency"], row["pay_period"]) == expected
    assert row["pay_origin"] == "posted"


def test_unusable_bodies_become_failures():
    [failure] = jobs_page(b'{"jobs": [{"id": 1, "title": "Sec').postings()
    assert isinstance(failure, PageFailure) and failure.reason == "malformed_json"
    [failure] = jobs_page(b'{"0-legal-notice": "x"}').postings()
    assert failure.reason == "layout_changed"


def test_live_configuration_respects_the_rate_limit():
    config = load_sources()["remotive"]
    # More than 2 requests a minute are blocked.
    assert config["politeness"]["delay"] >= 30 and config["politeness"]["concurrency"] == 1
    assert jobs_url(config["base_url"], config["searches"][0]) == (
        "https://remotive.com/api/remote-jobs?search=security+manager"
    )


def test_crawl_sandbox_remotive(sandbox_url, tmp_path):
    result = run_crawl("remotive", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    generated = [i for i in result.items if int(i["jobPostingId"]) >= 2_500_000]
    assert generated
    assert all("security" in (i["jobTitle"] + i["description"]).lower() for i in generated)
    paid = [i for i in generated if i["baseSalary"]]
    assert paid and all(i["payOrigin"] == "posted" for i in paid)
    assert all(i["baseSalary"]["valueMin"] is None for i in paid)  # raw text only
    ids = [i["jobPostingId"] for i in result.items]
    assert len(ids) == len(set(ids))
    assert result.stats["secjobs/items/job_posting"] == len(result.items)


def test_crawl_sandbox_serves_the_recordings(realdata, sandbox_url, tmp_path):
    result = run_crawl("remotive", sandbox_url, tmp_path)
    recorded = {i["jobPostingId"] for i in result.items if int(i["jobPostingId"]) < 2_500_000}
    # 35 + 20 recorded jobs, 5 of them in both recordings.
    assert len(recorded) == 50
    assert {"2087621", "2090903"} <= recorded
