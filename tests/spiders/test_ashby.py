"""Ashby job posting API: the page object on the recorded real response, and a real crawl."""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from spiders.items import JobPosting, PageFailure
from spiders.pages.ashby import AshbyJobBoardPage, job_board_url, pay_from_compensation
from tests.spiders.crawl import run_crawl

RECORDED = Path(__file__).resolve().parents[2] / "sandbox" / "recorded"


def board_page(body: bytes, board: str = "linear") -> AshbyJobBoardPage:
    return AshbyJobBoardPage(
        response=HttpResponse(
            job_board_url("https://api.ashbyhq.com", board),
            body=body,
            headers={"Content-Type": "application/json"},
        )
    )


def test_recorded_linear_board():
    page = board_page((RECORDED / "ashby_linear_job_board.json").read_bytes())
    europe, america = page.postings("linear", "Linear")

    assert europe.jobTitle == america.jobTitle == "Senior / Staff Fullstack Engineer"
    assert europe.jobPostingId == "d3bc1ced-3ce4-4086-a050-555055dbb1ff"
    assert europe.url == "https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff"
    assert europe.hiringOrganization.name == "Linear"
    assert europe.jobLocation[0].raw == "Europe"
    assert america.jobLocation[0].raw == "North America"
    assert europe.remoteStatus == america.remoteStatus == "remote"
    assert europe.employmentType == "FullTime"
    assert america.datePublished == "2021-08-18T20:48:26.891+00:00"
    assert europe.description.startswith("At Linear, we're building the product development")
    # Linear publishes no compensation on these postings (empty summaryComponents).
    assert europe.baseSalary is None and europe.payOrigin is None
    assert america.baseSalary is None and america.payOrigin is None


def test_salary_component_only_equity_and_bonus_are_not_pay():
    compensation = {
        "compensationTierSummary": "€90K – €120K • Offers Equity • Offers Bonus",
        "summaryComponents": [
            {
                "compensationType": "EquityPercentage",
                "interval": "NONE",
                "currencyCode": None,
                "minValue": 0.05,
                "maxValue": 0.1,
            },
            {
                "compensationType": "Bonus",
                "interval": "1 YEAR",
                "currencyCode": "EUR",
                "minValue": 5000,
                "maxValue": 10000,
            },
            {
                "compensationType": "Salary",
                "interval": "1 YEAR",
                "currencyCode": "EUR",
                "minValue": 90000,
                "maxValue": 120000,
            },
        ],
    }
    salary = pay_from_compensation(compensation)
    assert (salary.valueMin, salary.valueMax, salary.currency, salary.rateType) == (
        90_000,
        120_000,
        "EUR",
        "1 YEAR",
    )
    assert salary.raw == "€90K – €120K • Offers Equity • Offers Bonus"
    assert (
        pay_from_compensation({"summaryComponents": compensation["summaryComponents"][:2]}) is None
    )
    assert pay_from_compensation(None) is None


def test_malformed_and_unexpected_bodies_become_failures():
    [broken] = board_page(b'{"jobs": [{"id": "x", "title": "Trunc').postings("acme")
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = board_page(b'{"success": false}').postings("acme")
    assert changed.reason == "layout_changed"
    body = {"jobs": ["x", {"id": "a", "title": "CISO"}, {"id": "b", "isListed": False}]}
    results = board_page(json.dumps(body).encode()).postings("acme")
    assert [type(r) for r in results] == [PageFailure, JobPosting]


def test_crawl_sandbox_ashby(sandbox_url, tmp_path):
    result = run_crawl("ashby", sandbox_url, tmp_path, f"HTTPCACHE_DIR={tmp_path}/cache")

    assert result.returncode == 0, result.log_tail
    assert not result.failures
    # 2 recorded (linear) + 8 generated (contosohealth 2, adatumcloud 2, lamnaenergy 4).
    assert len(result.items) == 10
    assert result.stats["secjobs/items/job_posting"] == 10
    assert result.stats["downloader/request_count"] == 4 + 1  # four boards and robots.txt

    # Generated posting 1: Manager, Security Operations at Contoso Health, New York; odd
    # index, so its compensation also lists equity, which must not become the salary.
    [manager] = [i for i in result.items if i["jobTitle"] == "Manager, Security Operations"]
    assert manager["hiringOrganization"]["name"] == "Contoso Health"
    assert manager["jobLocation"] == [{"raw": "New York, NY"}]
    assert manager["remoteStatus"] == "onsite"
    assert manager["datePublished"] == "2026-10-24T16:05:12.000+00:00"
    salary = manager["baseSalary"]
    assert (salary["valueMin"], salary["valueMax"], salary["currency"]) == (167_000, 227_000, "USD")
    assert salary["rateType"] == "1 YEAR"
    assert salary["raw"] == "$167K – $227K • Offers Equity"
    assert manager["payOrigin"] == "posted"
    # Posting 117 states pay in its description only; posting 21 states none.
    [engineer] = [i for i in result.items if i["jobTitle"] == "Senior Security Engineer"]
    assert engineer["baseSalary"] is None
    assert "$149,000—$198,000 USD" in engineer["description"]
    with_pay = [i for i in result.items if i["payOrigin"] == "posted"]
    assert len(with_pay) == 6
