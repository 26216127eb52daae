"""USAJOBS Search API: the page object on the recorded real response, skipping without
credentials, and a real crawl of the sandbox."""

from __future__ import annotations

import json

from web_poet import HttpResponse

from spiders.items import JobPosting, PageFailure
from spiders.pages.usajobs import (
    UsajobsSearchPage,
    rate_type,
    request_headers,
    salary,
    search_url,
)
from tests.spiders.crawl import run_crawl

RECORDING = "api_json/AllenHThompson_job-press__usajobs_search_response.json.md"


def search_page(body: bytes) -> UsajobsSearchPage:
    url = search_url("https://data.usajobs.gov", {"Keyword": "IT"})
    return UsajobsSearchPage(
        response=HttpResponse(url, body=body, headers={"Content-Type": "application/json"})
    )


def test_recorded_search_response(realdata):
    page = search_page((realdata / RECORDING).read_bytes())
    postings = page.postings()

    assert len(postings) == 8 and all(isinstance(p, JobPosting) for p in postings)
    assert all(p.payOrigin == "posted" and p.baseSalary.currency == "USD" for p in postings)
    infosec = postings[2]
    assert infosec.jobTitle == "IT Specialist (INFOSEC)"
    assert infosec.jobPostingId == "438866500"
    assert infosec.url == "https://www.usajobs.gov:443/GetJob/ViewDetails/438866500"
    assert infosec.hiringOrganization.name == "Centers for Disease Control and Prevention"
    assert infosec.hiringOrganization.nameRaw == (
        "Centers for Disease Control and Prevention / Department Of Health And Human Services"
    )
    # Other boards may list the job under the department: dedupe compares both names.
    assert infosec.hiringOrganization.parentName == "Department Of Health And Human Services"
    assert [loc.raw for loc in infosec.jobLocation] == ["Atlanta, Georgia"]
    assert (infosec.baseSalary.valueMin, infosec.baseSalary.valueMax) == (74_260, 114_802)
    # The 2016 API spelled the interval out; it is kept as published.
    assert infosec.baseSalary.rateType == "Per Year"
    assert infosec.datePublished == "2016-05-27T00:00:00Z"
    # JobSummary, then QualificationSummary: what the job requires, under its heading.
    assert infosec.description.startswith("## Summary\nThe Centers for Disease Control and")
    qualifications = infosec.description.split("\n\n## Qualifications\n", 1)[1]
    assert "GS-12: Applicants must have one year" in qualifications

    first = postings[0]
    assert first.jobTitle == "IT Specialist (INET) (Web Developer)"
    # An empty DepartmentName is not carried into the name.
    assert first.hiringOrganization.nameRaw == "Consumer Financial Protection Bureau"
    assert first.hiringOrganization.parentName is None
    assert [loc.raw for loc in first.jobLocation] == [
        "Washington DC, District of Columbia",
        "Location Negotiable After Selection, United States",
    ]
    air_force = postings[6]
    assert air_force.hiringOrganization.name == "Air Force Personnel Center"
    assert len(air_force.jobLocation) == 60
    assert (air_force.baseSalary.valueMin, air_force.baseSalary.valueMax) == (32_318, 152_593)
    assert page.page_count(500) == 1


def test_rate_interval_codes():
    assert [rate_type(c) for c in ("PA", "PH", "PD", "PM", "BW", "PW")] == [
        "YEAR",
        "HOUR",
        "DAY",
        "MONTH",
        "BIWEEKLY",
        None,
    ]
    assert rate_type("Bi-Weekly") == "Bi-Weekly"  # spelled out: kept for normalize_period
    hourly = salary([{"MinimumRange": "31.5", "MaximumRange": "40.95", "RateIntervalCode": "PH"}])
    assert (hourly.valueMin, hourly.valueMax, hourly.rateType) == (31.5, 40.95, "HOUR")
    assert salary([{"MinimumRange": "0", "MaximumRange": "0", "RateIntervalCode": "WC"}]) is None
    # Zeros under any rate code state no pay: not posted pay of $0.
    for code in ("PA", "PH", "PD"):
        assert (
            salary([{"MinimumRange": "0", "MaximumRange": "0.00", "RateIntervalCode": code}])
            is None
        )
    assert (
        salary([{"MinimumRange": "0", "MaximumRange": "95000", "RateIntervalCode": "PA"}]).valueMin
        is None
    )


def test_headers_name_the_api_host():
    headers = request_headers("https://data.usajobs.gov", "me@example.org", "k")
    assert headers == {
        "Host": "data.usajobs.gov",
        "User-Agent": "me@example.org",
        "Authorization-Key": "k",
    }


def test_paging_is_capped_at_ten_thousand_results():
    body = {"SearchResult": {"SearchResultCountAll": 12_345, "SearchResultItems": []}}
    assert search_page(json.dumps(body).encode()).page_count(500) == 20


def test_unusable_bodies_become_failures():
    [broken] = search_page(b'{"SearchResult": {"SearchResultItems": [{"Matched').postings()
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = search_page(b'{"SearchResult": {}}').postings()
    assert changed.reason == "layout_changed"


def test_no_credentials_means_skipped(sandbox_url, tmp_path):
    result = run_crawl(
        "usajobs",
        sandbox_url,
        tmp_path,
        "USAJOBS_API_KEY=",
        "USAJOBS_API_KEY_ENV=SECJOBS_TEST_UNSET_USAJOBS_KEY",
    )

    assert result.returncode == 0, result.log_tail
    assert result.items == []
    assert result.stats["secjobs/skipped"] == 1
    assert result.stats["secjobs/skipped_reason"] == "SECJOBS_TEST_UNSET_USAJOBS_KEY not set"
    assert "downloader/request_count" not in result.stats


def test_crawl_sandbox_usajobs(sandbox_url, tmp_path):
    result = run_crawl("usajobs", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert result.failures == []
    ids = [i["jobPostingId"] for i in result.items]
    assert len(ids) == len(set(ids)), "an announcement was staged twice"
    generated = [i for i in result.items if i["url"].startswith("https://www.usajobs.gov/job/")]
    assert generated and all(i["payOrigin"] == "posted" for i in generated)
    assert all(
        i["hiringOrganization"]["nameRaw"].endswith(
            (
                "Department of Example Affairs",
                "Department of Example Health",
                "Department of the Example Treasury",
                "Department of Example Defense",
            )
        )
        for i in generated
    )
    assert {i["baseSalary"]["rateType"] for i in generated} <= {"YEAR", "HOUR"}
    assert result.stats["secjobs/items/job_posting"] == len(result.items)
    assert result.stats["secjobs/duplicate_skipped"] > 0  # the searches overlap
    assert result.stats.get("downloader/response_status_count/401") is None


def test_crawl_sandbox_serves_the_recording(realdata, sandbox_url, tmp_path):
    result = run_crawl("usajobs", sandbox_url, tmp_path)
    recorded = {i["jobPostingId"]: i for i in result.items if "GetJob/ViewDetails" in i["url"]}
    assert len(recorded) == 8
    assert recorded["439328500"]["jobTitle"] == "INFORMATION TECHNOLOGY SPECIALIST (SECURITY)"
    assert recorded["439328500"]["baseSalary"]["valueMax"] == 141_555


def test_sandbox_refuses_requests_without_the_api_headers(sandbox_url):
    import urllib.error
    import urllib.request

    url = f"{sandbox_url}/usajobs/api/search?Keyword=security"
    try:
        urllib.request.urlopen(url, timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.code == 401
    else:
        raise AssertionError("the sandbox answered a request without Authorization-Key")
    request = urllib.request.Request(
        url, headers={"Authorization-Key": "k", "User-Agent": "me@example.org"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["SearchResult"]["SearchResultCountAll"] > 0
