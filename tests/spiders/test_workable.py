"""Workable account API: the page object on generated responses in the documented shape
(no real recording exists), the pipeline reading pay from the description, and a real crawl."""

from __future__ import annotations

import dataclasses
import json

from web_poet import HttpResponse

from pipeline.postings import clean_posting
from sandbox.generator import Market
from sandbox.routes.workable import workable_job
from spiders.items import JobPosting, PageFailure
from spiders.pages.workable import WorkableAccountPage, account_url
from tests.spiders.crawl import run_crawl


def account_page(payload: object, subdomain: str = "prosewaresystems") -> WorkableAccountPage:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return WorkableAccountPage(
        response=HttpResponse(
            account_url("https://www.workable.com", subdomain),
            body=body,
            headers={"Content-Type": "application/json"},
        )
    )


def generated_account() -> dict:
    market = Market(size=120)
    jobs = [workable_job(market.posting(i), "prosewaresystems", True) for i in (31, 43)]
    return {"name": "Proseware Systems", "description": "", "jobs": jobs}


def test_generated_account_jobs():
    manager, remote = account_page(generated_account()).postings("prosewaresystems")

    # Posting 31: IT Security Manager, Seattle, on-site, a structured range written into the ad.
    assert manager.jobTitle == "IT Security Manager"
    assert manager.jobPostingId == "74B6A0B2DD"
    assert manager.url == "https://apply.workable.com/prosewaresystems/j/74B6A0B2DD/"
    assert manager.hiringOrganization.name == "Proseware Systems"
    assert manager.jobLocation[0].raw == "Seattle, WA, United States"
    assert manager.remoteStatus is None  # telecommuting false does not say on-site
    assert manager.datePublished == "2026-10-23"
    assert manager.employmentType == "Full-time"
    assert manager.baseSalary is None and manager.payOrigin is None
    assert "Salary range: $146,000—$199,000 USD" in manager.description
    # Posting 43: telecommuting, no pay stated.
    assert remote.jobTitle == "Cybersecurity Manager"
    assert remote.remoteStatus == "remote"
    assert "$" not in remote.description


def test_pipeline_parses_pay_from_the_description():
    manager, remote = account_page(generated_account()).postings("prosewaresystems")
    record = {**dataclasses.asdict(manager), "source": "workable"}
    row = clean_posting(record)
    assert (row["pay_min"], row["pay_max"], row["pay_currency"]) == (146_000, 199_000, "USD")
    assert row["pay_origin"] == "parsed"
    assert clean_posting({**dataclasses.asdict(remote), "source": "workable"})["pay_min"] is None


def test_malformed_and_unexpected_bodies_become_failures():
    [broken] = account_page(b'{"jobs": [{"shortcode": "AB').postings("acme")
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = account_page({"name": "Acme"}).postings("acme")
    assert changed.reason == "layout_changed"
    results = account_page({"jobs": [{"title": "x"}, {"shortcode": "A1", "title": "CISO"}]})
    first, second = results.postings("acme")
    assert isinstance(first, PageFailure) and isinstance(second, JobPosting)
    # Without an account name the subdomain stands in.
    assert second.hiringOrganization.name == "acme"


def test_crawl_sandbox_workable(sandbox_url, tmp_path):
    result = run_crawl("workable", sandbox_url, tmp_path, f"HTTPCACHE_DIR={tmp_path}/cache")

    assert result.returncode == 0, result.log_tail
    assert not result.failures
    # tailspinlogistics 2, prosewaresystems 6, margiestravel 5.
    assert len(result.items) == 13
    assert result.stats["downloader/request_count"] == 3 + 1
    assert all(i["baseSalary"] is None and i["payOrigin"] is None for i in result.items)
    [soc] = [
        i
        for i in result.items
        if i["jobTitle"] == "SOC Analyst II"
        and i["hiringOrganization"]["name"] == "Margie's Travel"
    ]
    assert soc["jobLocation"] == [{"raw": "Chicago, IL, United States"}]
    assert soc["datePublished"] == "2026-09-18"
    # Pay is in the description of every posting that states one (11 of 13).
    rows = [clean_posting(i) for i in result.items]
    assert sum(1 for r in rows if r["pay_origin"] == "parsed" and r["pay_min"]) == 11
