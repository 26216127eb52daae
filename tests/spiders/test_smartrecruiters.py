"""SmartRecruiters Posting API: page objects on generated responses in the documented shape
(no real recording exists), and a real crawl of the sandbox."""

from __future__ import annotations

import json

from web_poet import HttpResponse

from sandbox.generator import Market
from sandbox.routes.smartrecruiters import sr_posting
from spiders.items import JobPosting, PageFailure
from spiders.pages.smartrecruiters import (
    SmartRecruitersListPage,
    SmartRecruitersPostingPage,
    pay_from_compensation,
    posting_url,
    postings_url,
)
from tests.spiders.crawl import run_crawl

API = "https://api.smartrecruiters.com"


def response(url: str, payload: object) -> HttpResponse:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return HttpResponse(url, body=body, headers={"Content-Type": "application/json"})


def test_list_page_ids_and_paging():
    market = Market(size=120)
    content = [sr_posting(market.posting(i), "litwarelabs", detail=False) for i in (6, 18)]
    url = postings_url(API, "litwarelabs", 0, 2)
    page = SmartRecruitersListPage(
        response=response(url, {"offset": 0, "limit": 2, "totalFound": 4, "content": content})
    )
    assert page.posting_ids() == ["744000000006", "744000000018"]
    assert page.next_offset() == 2
    last = SmartRecruitersListPage(
        response=response(url, {"offset": 2, "limit": 2, "totalFound": 4, "content": content})
    )
    assert last.next_offset() is None
    empty = SmartRecruitersListPage(
        response=response(url, {"offset": 0, "limit": 2, "totalFound": 0, "content": []})
    )
    assert empty.posting_ids() == [] and empty.next_offset() is None


def test_detail_page_with_compensation():
    # Generated posting 66: Security Engineering Manager at Litware Labs, Chicago, on-site.
    detail = sr_posting(Market(size=120).posting(66), "litwarelabs", detail=True)
    url = posting_url(API, "litwarelabs", detail["id"])
    posting = SmartRecruitersPostingPage(response=response(url, detail)).posting()

    assert posting.jobTitle == "Security Engineering Manager"
    assert posting.jobPostingId == "744000000066"
    assert posting.url == (
        "https://jobs.smartrecruiters.com/litwarelabs/744000000066-security-engineering-manager"
    )
    assert posting.hiringOrganization.name == "Litware Labs"
    assert posting.jobLocation[0].raw == "Chicago, IL, United States"
    assert posting.remoteStatus == "onsite"
    assert posting.datePublished == "2026-09-07T13:02:41.000Z"
    assert posting.employmentType == "Full-time"
    salary = posting.baseSalary
    assert (salary.valueMin, salary.valueMax, salary.currency) == (171_000, 234_000, "USD")
    assert salary.rateType is None  # the object states no period
    assert salary.raw == '{"currency": "USD", "max": 234000, "min": 171000}'
    assert posting.payOrigin == "posted"
    # All four job-ad sections, as text, each under its heading (pipeline.sections).
    assert posting.description.startswith("## Company Description\n")
    assert "\n\n## Qualifications\n" in posting.description
    assert "20 weeks of parental leave" in posting.description
    assert "<" not in posting.description


def test_detail_without_compensation_and_remote():
    # Posting 2: remote, pay stated in the job description text only.
    detail = sr_posting(Market(size=120).posting(2), "fabrikamfinancial", detail=True)
    posting = SmartRecruitersPostingPage(
        response=response(posting_url(API, "fabrikamfinancial", detail["id"]), detail)
    ).posting()
    assert posting.remoteStatus == "remote"
    assert posting.baseSalary is None and posting.payOrigin is None
    assert "$104,000—$170,000 USD" in posting.description


def test_compensation_without_amounts_is_no_pay():
    assert pay_from_compensation({}) is None
    assert pay_from_compensation(None) is None


def test_malformed_and_unexpected_bodies_become_failures():
    url = postings_url(API, "acme")
    [broken] = SmartRecruitersListPage(response=response(url, b'{"content": [{"id')).posting_ids()
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = SmartRecruitersListPage(response=response(url, {"jobs": []})).posting_ids()
    assert changed.reason == "layout_changed"
    mixed = SmartRecruitersListPage(
        response=response(url, {"offset": 0, "totalFound": 2, "content": ["x", {"id": "7"}]})
    ).posting_ids()
    assert isinstance(mixed[0], PageFailure) and mixed[1] == "7"
    detail = SmartRecruitersPostingPage(response=response(posting_url(API, "acme", "7"), {}))
    assert detail.posting().reason == "layout_changed"
    ok = SmartRecruitersPostingPage(
        response=response(posting_url(API, "acme", "7"), {"id": "7", "name": "CISO"})
    ).posting()
    assert isinstance(ok, JobPosting) and ok.jobLocation == []


def test_crawl_sandbox_smartrecruiters(sandbox_url, tmp_path):
    """A real crawl, two postings a list page: each company's total, then its keyword
    searches; details only for the security managers and leaders they list."""
    result = run_crawl(
        "smartrecruiters",
        sandbox_url,
        tmp_path,
        "SMARTRECRUITERS_PAGE_SIZE=2",
        f"HTTPCACHE_DIR={tmp_path}/cache",
    )

    assert result.returncode == 0, result.log_tail
    assert not result.failures
    checks = {c["board"]: (c["outcome"], c["openPostings"]) for c in result.checks}
    assert checks == {
        "fabrikamfinancial": ("jobs", 4),
        "litwarelabs": ("jobs", 4),
        "treyresearch": ("jobs", 5),
    }
    # The 13 postings less the 3 security analysts the searches list (4 times in all).
    assert len(result.items) == len({i["jobPostingId"] for i in result.items}) == 10
    assert result.stats["secjobs/smartrecruiters/skipped_by_title"] == 4
    assert "Security Analyst" not in {i["jobTitle"] for i in result.items}
    # 3 totals, 16 search pages, 10 details (each once, though found 25 times), robots.txt.
    assert result.stats["downloader/request_count"] == 3 + 16 + 10 + 1
    assert result.stats["dupefilter/filtered"] == 15
    # Details carry validators and are stored; list pages carry none and are not.
    assert result.stats["httpcache/store"] == 10
    companies = {i["hiringOrganization"]["name"] for i in result.items}
    assert companies == {"Fabrikam Financial", "Litware Labs", "Trey Research"}
    [risk] = [
        i
        for i in result.items
        if i["jobTitle"] == "IT Security Manager" and i["remoteStatus"] == "remote"
    ]
    assert risk["hiringOrganization"]["name"] == "Trey Research"
    assert (risk["baseSalary"]["valueMin"], risk["baseSalary"]["valueMax"]) == (134_000, 201_000)
    assert risk["jobLocation"] == [{"raw": "San Francisco, CA, United States"}]
    assert sum(1 for i in result.items if i["payOrigin"] == "posted") == 3
