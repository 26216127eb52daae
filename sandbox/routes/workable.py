"""Workable public account API under /workable, generated (no recording exists).

Mirrors the job widget API Workable documents (workable.readme.io, "jobs" of
``GET https://www.workable.com/api/accounts/<subdomain>``): ``{"name", "description",
"jobs": [...]}`` where each job has title, shortcode, code, employment_type, telecommuting,
department, url, shortlink, application_url, published_on, created_at, country, city, state,
education, experience, function, industry and locations [{country, countryCode, city,
region, hidden}]; ``?details=true`` adds each job's HTML ``description``. There is no pay
field: employers state pay in the description, so every generated range is written there.
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


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def account(request: web.Request):
        subdomain = request.match_info["subdomain"]
        postings = ats_postings(market, "workable", subdomain)
        if postings is None:
            return web.json_response({"error": "Not found"}, status=404)
        details = request.query.get("details") == "true"
        company = next(c for c in COMPANIES if slug(c) == subdomain)
        return web.json_response(
            {
                "name": company,
                "description": f"<p>{html.escape(company)} careers</p>",
                "jobs": [workable_job(p, subdomain, details) for p in postings],
            }
        )

    router.add_get("/workable/api/accounts/{subdomain}", account)


def scrapy_settings(base_url: str) -> dict:
    return {
        "WORKABLE_BASE_URL": f"{base_url}/workable",
        "WORKABLE_ACCOUNTS": ats_accounts("workable"),
    }
