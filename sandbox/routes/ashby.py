"""Ashby public job posting API under /ashby: the recorded linear board, generated boards, and
every shipped board of the registry (``sandbox/registry.py``).

Mirrors ``GET /posting-api/job-board/<board>?includeCompensation=true`` as documented at
developers.ashbyhq.com and recorded from the linear board: ``{"jobs": [...], "apiVersion":
"1"}``; ``compensation`` (tier summary, tiers, ``summaryComponents``) only when asked for.
An unknown board answers either 404 or 200 with an empty list, as the real API does, so a
gone shipped board answers one or the other (half of them each, fixed per board).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path
from urllib.parse import quote

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
from sandbox.registry import (
    GONE,
    RATE_LIMITED,
    RETRY_AFTER,
    BoardPlan,
    RegistryPosting,
    board_plan,
    board_postings,
    too_many_requests,
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
    board = quote(p.board, safe="")  # 50 shipped board names hold spaces
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
        "jobUrl": f"https://jobs.ashbyhq.com/{board}/{uid}",
        "applyUrl": f"https://jobs.ashbyhq.com/{board}/{uid}/application",
        "descriptionHtml": p.description_html(),
        "descriptionPlain": p.description_plain() if isinstance(p, RegistryPosting) else _plain(p),
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


def gone_answers_404(plan: BoardPlan) -> bool:
    """Whether a gone board answers 404 (else 200 with no jobs): fixed per board."""
    return plan.choice < 0.5


def _not_found() -> web.Response:
    return web.json_response({"success": False, "errors": ["Job board not found"]}, status=404)


def _job_board(postings, compensation: bool) -> web.Response:
    jobs = [ashby_job(p, compensation) for p in postings]
    return web.Response(
        text=json.dumps({"jobs": jobs, "apiVersion": "1"}), content_type="application/json"
    )


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = {"linear": (RECORDED / "ashby_linear_job_board.json").read_bytes()}

    async def job_board(request: web.Request):
        board = request.match_info["board"]
        if board in recorded:
            return web.Response(body=recorded[board], content_type="application/json")
        compensation = request.query.get("includeCompensation") == "true"
        postings = ats_postings(market, "ashby", board)
        if postings is not None:
            return _job_board(postings, compensation)
        plan = board_plan("ashby", board, market.seed)
        if plan is None or (plan.fate == GONE and gone_answers_404(plan)):
            return _not_found()
        if plan.fate == RATE_LIMITED:
            return too_many_requests(RETRY_AFTER)
        return _job_board(board_postings("ashby", board, market.seed), compensation)

    router.add_get("/ashby/posting-api/job-board/{board}", job_board)


def scrapy_settings(base_url: str) -> dict:
    boards = ats_accounts("ashby")
    return {
        "ASHBY_BASE_URL": f"{base_url}/ashby",
        "ASHBY_BOARDS": [*RECORDED_BOARDS, *boards],
        "ASHBY_NAMES": {"linear": "Linear", **{slug(c): c for c in COMPANIES if slug(c) in boards}},
    }
