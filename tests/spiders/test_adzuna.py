"""Adzuna API: search pages (the recorded real one is cut off mid-result), the salary
histogram and history as observations, skipping without credentials, and a real crawl."""

from __future__ import annotations

import json

import pytest
from web_poet import HttpResponse

from spiders.items import JobPosting, PageFailure
from spiders.middlewares import without_secrets
from spiders.pages.adzuna import (
    AdzunaHistogramPage,
    AdzunaHistoryPage,
    AdzunaSearchPage,
    histogram_median,
    parse_job,
)
from tests.spiders.crawl import run_crawl

RECORDING = "api_json/subhradeepbiswas__adzuna_search_response.json"
API = "https://api.adzuna.com/v1/api/jobs/us"


def response(url: str, body: bytes | dict) -> HttpResponse:
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    return HttpResponse(url, body=body, headers={"Content-Type": "application/json"})


def test_recorded_search_page_keeps_complete_results_of_a_cut_off_body(realdata):
    url = f"{API}/search/1?app_id=ID&app_key=KEY&what=software+engineer"
    results = AdzunaSearchPage(response=response(url, (realdata / RECORDING).read_bytes()))
    results = results.postings("us")

    postings = [r for r in results if isinstance(r, JobPosting)]
    [failure] = [r for r in results if isinstance(r, PageFailure)]
    assert len(postings) == 46
    assert failure.reason == "truncated_json"
    assert "46 complete results kept" in failure.detail
    assert "app_key" not in failure.url and "KEY" not in failure.url

    first = postings[0]
    assert first.jobPostingId == "1660394283"
    assert first.jobTitle == "Software Engineer"  # the <strong> highlighting is gone
    assert first.hiringOrganization.name == "HR Pals"
    assert first.jobLocation[0].raw == "New York, US"
    assert first.datePublished == "2020-08-24T23:40:36Z"
    assert first.url.startswith("https://www.adzuna.com/land/ad/1660394283?")
    assert "<strong>" not in first.description and "rule-based workflow engine" in first.description
    # The recorded search (2020, software engineers) stated no pay at all.
    assert all(p.baseSalary is None and p.payOrigin is None for p in postings)
    boeing = next(p for p in postings if p.jobPostingId == "1664221104")
    assert (boeing.jobTitle, boeing.hiringOrganization.name) == ("Software Developer", "BOEING")
    assert boeing.jobLocation[0].raw == "Grand Central, Manhattan"
    assert postings[4].employmentType == "full_time"
    android = next(p for p in postings if p.jobPostingId == "1666689909")
    assert android.remoteStatus == "remote"


@pytest.mark.parametrize(
    ("predicted", "origin"), [("1", "estimate"), ("0", "posted"), (None, "posted")]
)
def test_predicted_salary_is_an_estimate(predicted, origin):
    job = {"id": "1", "title": "Cybersecurity Manager", "salary_min": 120000, "salary_max": 150000}
    if predicted is not None:
        job["salary_is_predicted"] = predicted
    posting = parse_job(job, "us")
    assert posting.payOrigin == origin
    salary = posting.baseSalary
    assert (salary.valueMin, salary.valueMax, salary.currency, salary.rateType) == (
        120_000,
        150_000,
        "USD",
        "YEAR",
    )
    assert parse_job({"id": "2", "salary_min": 40000}, "gb").baseSalary.currency == "GBP"


def test_histogram_median_interpolates_within_its_band():
    # The documented example (finance officers, London): 471 vacancies.
    documented = {
        "10000": "31",
        "20000": "154",
        "30000": "69",
        "40000": "51",
        "50000": "42",
        "60000": "55",
        "70000": "69",
    }
    value, qualifier, vacancies = histogram_median(documented)
    # 235.5th of 471 lies 50.5 into the 69 vacancies of the 30,000-40,000 band.
    assert vacancies == 471 and qualifier is None
    assert value == pytest.approx(30_000 + 10_000 * 50.5 / 69)
    # In the open-ended top band the median is only a floor.
    assert histogram_median({"100000": "1", "200000": "5"}) == (200_000, ">=", 6)
    assert histogram_median({}) is None


def test_histogram_and_history_pages():
    url = f"{API}/histogram?app_id=ID&app_key=KEY&what=cybersecurity+manager"
    [median] = AdzunaHistogramPage(
        response=response(url, {"histogram": {"120000": "2", "140000": "2"}})
    ).observations("us", "cybersecurity manager")
    assert (median.metric, median.value, median.sampleSize, median.geography) == (
        "median",
        140_000,
        4,
        "US",
    )
    assert median.url == f"{API}/histogram?what=cybersecurity+manager"

    url = f"{API}/history?app_id=ID&app_key=KEY&what=cybersecurity+manager&months=2"
    months = {"2026-10": 151234.5, "2026-09": "150000.00"}
    observations = AdzunaHistoryPage(response=response(url, {"month": months})).observations(
        "us", "cybersecurity manager"
    )
    assert [(o.observedOn, o.value, o.metric) for o in observations] == [
        ("2026-09-01", 150_000.0, "average"),
        ("2026-10-01", 151_234.5, "average"),
    ]
    assert all(o.currency == "USD" and o.roleQuery == "cybersecurity manager" for o in observations)


def test_credentials_are_stripped_from_urls():
    assert (
        without_secrets(f"{API}/search/2?app_id=a&what=ciso&app_key=b")
        == f"{API}/search/2?what=ciso"
    )


def test_no_credentials_means_skipped(sandbox_url, tmp_path):
    result = run_crawl(
        "adzuna",
        sandbox_url,
        tmp_path,
        "ADZUNA_APP_KEY=",
        "ADZUNA_APP_KEY_ENV=SECJOBS_TEST_UNSET_ADZUNA_KEY",
    )

    assert result.returncode == 0, result.log_tail
    assert result.items == []
    assert result.stats["secjobs/skipped"] == 1
    assert result.stats["secjobs/skipped_reason"] == "SECJOBS_TEST_UNSET_ADZUNA_KEY not set"
    assert "downloader/request_count" not in result.stats


def test_crawl_sandbox_adzuna(sandbox_url, tmp_path):
    result = run_crawl("adzuna", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    generated = [i for i in result.items if "se=sandbox" in i["url"]]
    assert generated
    origins = {i["payOrigin"] for i in generated}
    assert origins == {"posted", "estimate", None}
    estimate = next(i for i in generated if i["payOrigin"] == "estimate")
    assert estimate["baseSalary"]["valueMin"] == estimate["baseSalary"]["valueMax"]

    records = [json.loads(line) for line in (tmp_path / "adzuna" / "t1.jsonl").open()]
    observations = [r for r in records if r["kind"] == "salary_observation"]
    medians = [o for o in observations if o["metric"] == "median"]
    averages = [o for o in observations if o["metric"] == "average"]
    assert {o["roleQuery"] for o in medians} == {
        "cybersecurity manager",
        "information security manager",
    }
    assert len(averages) == 24  # 12 months for each of the two roles
    assert all(o["observedOn"].endswith("-01") for o in averages)
    assert all("app_key" not in o["url"] for o in observations)
    assert result.stats["secjobs/items/salary_observation"] == len(observations)


def test_crawl_sandbox_serves_the_recording(realdata, sandbox_url, tmp_path):
    result = run_crawl("adzuna", sandbox_url, tmp_path)
    recorded = [i for i in result.items if "utm_source=c9ca4ef4" in i["url"]]
    assert len(recorded) == 46
    [failure] = result.failures
    assert failure["reason"] == "truncated_json"
    assert result.stats["secjobs/page_failure/truncated_json"] == 1
