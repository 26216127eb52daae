"""Ashby public job posting API under /ashby: the recorded linear board plus generated boards.

Mirrors ``GET /posting-api/job-board/<board>?includeCompensation=true`` as documented at
developers.ashbyhq.com and recorded from the linear board: ``{"jobs": [...], "apiVersion":
"1"}``; ``compensation`` (tier summary, tiers, ``summaryComponents``) only when asked for.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path

from aiohttp import web

from sandbox.generator import (
    COMPANIES,
    GeneratedPosting,
    Market,
    ats_accounts,
    ats_postings,
    posting_uuid,
    slug,
)

RECORDED = Path(__file__).resolve().parent.parent / "recorded"
RECORDED_BOARDS = ("linear",)
WORKPLACE = {"onsite": "OnSite", "hybrid": "Hybrid", "remote": "Remote"}


def _k(amount: int) -> str:
    return f"${amount / 1000:g}K"


def ashby_compensation(p: GeneratedPosting) -> dict:
    """Ashby's compensation block: a salary component, and equity for some employers."""
    empty = {
        "compensationTierSummary": None,
        "scrapeableCompensationSalarySummary": None,
        "compensationTiers": [],
        "summaryComponents": [],
    }
    if p.pay_display != "structured" or p.pay_min is None:
        return empty
    hourly = p.pay_period == "hour"
    salary = {
        "compensationType": "Salary",
        "interval": "1 HOUR" if hourly else "1 YEAR",
        "currencyCode": "USD",
        "minValue": p.pay_min,
        "maxValue": p.pay_max,
    }
    band = (
        f"${p.pay_min} – ${p.pay_max} per hour" if hourly else f"{_k(p.pay_min)} – {_k(p.pay_max)}"
    )
    components = [salary]
    summary = band
    if p.index % 2:  # half of the structured postings also offer equity
        components.append(
            {
                "compensationType": "EquityPercentage",
                "interval": "NONE",
                "currencyCode": None,
                "minValue": 0.01,
                "maxValue": 0.05,
            }
        )
        summary += " • Offers Equity"
    return {
        "compensationTierSummary": summary,
        "scrapeableCompensationSalarySummary": band,
        "compensationTiers": [
            {
                "id": posting_uuid("ashby-tier", p),
                "tierSummary": summary,
                "title": "United States",
                "additionalInformation": None,
                "components": [
                    {"id": posting_uuid(f"ashby-c{n}", p), "summary": summary, **component}
                    for n, component in enumerate(components)
                ],
            }
        ],
        "summaryComponents": components,
    }


def ashby_job(p: GeneratedPosting, compensation: bool) -> dict:
    """One generated posting as the job posting API lists it."""
    uid = posting_uuid("ashby", p)
    published = datetime.combine(p.date_posted, time(16, 5, 12), tzinfo=UTC)
    job: dict = {
        "id": uid,
        "title": p.title,
        "department": "Security",
        "team": "Information Security",
        "employmentType": "Contract" if p.pay_period == "hour" else "FullTime",
        "location": f"{p.city}, {p.state}",
        "shouldDisplayCompensationOnJobPostings": p.pay_display == "structured",
        "secondaryLocations": [],
        "publishedAt": published.isoformat(timespec="milliseconds"),
        "isListed": True,
        "isRemote": p.workplace == "remote",
        "workplaceType": WORKPLACE[p.workplace],
        "address": {
            "postalAddress": {
                "addressLocality": p.city,
                "addressRegion": p.state,
                "addressCountry": "United States",
            }
        },
        "jobUrl": f"https://jobs.ashbyhq.com/{p.board}/{uid}",
        "applyUrl": f"https://jobs.ashbyhq.com/{p.board}/{uid}/application",
        "descriptionHtml": p.description_html(),
        "descriptionPlain": _plain(p),
    }
    if compensation:
        job["compensation"] = ashby_compensation(p)
    return job


def _plain(p: GeneratedPosting) -> str:
    lines = [
        f"{p.company} is hiring a {p.title} to lead our security program, manage incident "
        "response and own risk reporting to leadership.",
        "What you bring",
        f"• {p.years_experience}+ years of experience in information security.",
    ]
    lines += [f"• {line}" for line in (p.degree_line, p.cert_line) if line]
    if p.pay_display == "text":
        lines.append(
            f"The base salary range for this role is {p.pay_text()}, plus bonus and equity."
        )
    lines.append("We offer a 401(k) match and 20 weeks of parental leave.")
    return "\n\n".join(lines)


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = {"linear": (RECORDED / "ashby_linear_job_board.json").read_bytes()}

    async def job_board(request: web.Request):
        board = request.match_info["board"]
        if board in recorded:
            return web.Response(body=recorded[board], content_type="application/json")
        postings = ats_postings(market, "ashby", board)
        if postings is None:
            return web.json_response(
                {"success": False, "errors": ["Job board not found"]}, status=404
            )
        compensation = request.query.get("includeCompensation") == "true"
        jobs = [ashby_job(p, compensation) for p in postings]
        return web.Response(
            text=json.dumps({"jobs": jobs, "apiVersion": "1"}), content_type="application/json"
        )

    router.add_get("/ashby/posting-api/job-board/{board}", job_board)


def scrapy_settings(base_url: str) -> dict:
    boards = ats_accounts("ashby")
    return {
        "ASHBY_BASE_URL": f"{base_url}/ashby",
        "ASHBY_BOARDS": [*RECORDED_BOARDS, *boards],
        "ASHBY_NAMES": {"linear": "Linear", **{slug(c): c for c in COMPANIES if slug(c) in boards}},
    }
