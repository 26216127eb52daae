"""Workable public account API under /workable, generated (no recording exists), for the
generated employers and every shipped account of the registry (``sandbox/registry.py``).

Mirrors the job widget API Workable documents (workable.readme.io, "jobs" of
``GET https://www.workable.com/api/accounts/<subdomain>``): ``{"name", "description",
"jobs": [...]}`` where each job has title, shortcode, code, employment_type, telecommuting,
department, url, shortlink, application_url, published_on, created_at, country, city, state,
education, experience, function, industry and locations [{country, countryCode, city,
region, hidden}]; ``?details=true`` adds each job's HTML ``description``. There is no pay
field: employers state pay in the description, so every generated range is written there.
A gone shipped account answers an HTML page, not JSON, and a rate-limited one a 429 asking to
wait hours, as Workable does.
"""

from __future__ import annotations

import hashlib
import html

from aiohttp import web

from sandbox.generator import (
    COMPANIES,
    GeneratedPosting,
    Market,
    ats_accounts,
    ats_postings,
    slug,
)
from sandbox.registry import (
    GONE,
    RATE_LIMITED,
    BoardPlan,
    board_plan,
    board_postings,
    fictional_name,
    too_many_requests,
)

# An account Workable does not know: its site's "not found" page, not the API's JSON.
GONE_PAGE = (
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Page not found - "
    "Workable</title></head><body><h1>Page not found</h1><p>The page you are looking for "
    "does not exist or has been moved.</p></body></html>"
)


def shortcode(p: GeneratedPosting) -> str:
    return hashlib.blake2b(f"workable:{p.index}".encode(), digest_size=5).hexdigest().upper()


def workable_job(p: GeneratedPosting, subdomain: str, details: bool) -> dict:
    code = shortcode(p)
    job: dict = {
        "title": p.title,
        "shortcode": code,
        "code": "",
        "employment_type": "Contract" if p.pay_period == "hour" else "Full-time",
        "telecommuting": p.workplace == "remote",
        "department": "Information Security",
        "url": f"https://apply.workable.com/{subdomain}/j/{code}/",
        "shortlink": f"https://apply.workable.com/j/{code}",
        "application_url": f"https://apply.workable.com/{subdomain}/j/{code}/apply",
        "published_on": p.date_posted.isoformat(),
        "created_at": p.date_posted.isoformat(),
        "country": "United States",
        "city": p.city,
        "state": p.state,
        "education": "Bachelor's Degree" if p.degree_line else "",
        "experience": "Mid-Senior level",
        "function": "Information Technology",
        "industry": "Computer & Network Security",
        "locations": [
            {
                "country": "United States",
                "countryCode": "US",
                "city": p.city,
                "region": p.state,
                "hidden": False,
            }
        ],
    }
    if details:
        description = p.description_html()
        if p.pay_display == "structured" and p.pay_min is not None:
            # Workable has no pay field: employers write the range into the ad.
            label = "Hourly pay range" if p.pay_period == "hour" else "Salary range"
            description += f"<p><strong>{label}:</strong> {html.escape(p.pay_text())}</p>"
        job["description"] = description
    return job


def retry_after(plan: BoardPlan) -> int:
    """Seconds a rate-limited account asks to wait: Workable's windows are hours long."""
    return 3600 + int(plan.choice * 10_800)


def _account(company: str, subdomain: str, postings, details: bool) -> web.Response:
    return web.json_response(
        {
            "name": company,
            "description": f"<p>{html.escape(company)} careers</p>",
            "jobs": [workable_job(p, subdomain, details) for p in postings],
        }
    )


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def account(request: web.Request):
        subdomain = request.match_info["subdomain"]
        details = request.query.get("details") == "true"
        postings = ats_postings(market, "workable", subdomain)
        if postings is not None:
            company = next(c for c in COMPANIES if slug(c) == subdomain)
            return _account(company, subdomain, postings, details)
        plan = board_plan("workable", subdomain, market.seed)
        if plan is None:
            return web.json_response({"error": "Not found"}, status=404)
        if plan.fate == GONE:
            return web.Response(status=404, text=GONE_PAGE, content_type="text/html")
        if plan.fate == RATE_LIMITED:
            return too_many_requests(retry_after(plan))
        postings = board_postings("workable", subdomain, market.seed)
        return _account(fictional_name("workable", plan.board), subdomain, postings, details)

    router.add_get("/workable/api/accounts/{subdomain}", account)


def scrapy_settings(base_url: str) -> dict:
    return {
        "WORKABLE_BASE_URL": f"{base_url}/workable",
        "WORKABLE_ACCOUNTS": ats_accounts("workable"),
    }
