"""SmartRecruiters Posting API under /smartrecruiters, generated (no recording exists), for the
generated employers and every shipped company of the registry (``sandbox/registry.py``).

Mirrors the documented structure at developers.smartrecruiters.com (Posting API,
"Endpoints" and "Objects"): ``GET /v1/companies/<company>/postings?offset=&limit=`` returns a
ListResult ``{"offset", "limit", "totalFound", "content": [Posting...]}`` whose Posting objects
carry id, uuid, name, refNumber, company {identifier, name}, releasedDate, location {city,
region, country, remote, fullLocation}, industry/department/function/typeOfEmployment/
experienceLevel {id, label}, customField, ref and creator; ``GET .../postings/<id>`` returns
the full Posting plus jobAd.sections {companyDescription, jobDescription, qualifications,
additionalInformation: {title, text}}, postingUrl and applyUrl. ``compensation`` {min, max,
currency} is not in the Posting API's documented objects; it follows the Job Board API's
``compensation`` object and appears only on postings with a structured pay range, as an
optional field would. Details answer conditional requests (ETag / Last-Modified, 304).
Any company identifier answers 200 (``totalFound: 0`` when it has no postings), as the real
API does: a gone company looks exactly like an empty one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

from aiohttp import web

from sandbox.generator import (
    GeneratedPosting,
    Market,
    ats_accounts,
    ats_postings,
    date_modified,
)
from sandbox.http import conditional_json
from sandbox.registry import (
    RATE_LIMITED,
    RETRY_AFTER,
    board_plan,
    board_postings,
    too_many_requests,
)

MAX_LIMIT = 100  # documented maximum of `limit`


def posting_id(p: GeneratedPosting) -> str:
    return str(744_000_000_000 + p.index)


def _url_slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def sr_posting(p: GeneratedPosting, company_id: str, detail: bool) -> dict:
    """One generated posting as a Posting object (list entry, or detail with its job ad)."""
    pid = posting_id(p)
    released = datetime.combine(p.date_posted, time(13, 2, 41), tzinfo=UTC)
    posting: dict = {
        "id": pid,
        "uuid": f"5f4727d2-0078-4099-b072-{p.index:012d}",
        "name": p.title,
        "jobAdId": f"106f35bc-a0e6-4e55-96f9-{p.index:012d}",
        "defaultJobAd": True,
        "refNumber": f"REF{p.index:05d}",
        "company": {"identifier": company_id, "name": p.company},
        "releasedDate": released.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "location": {
            "city": p.city,
            "region": p.state,
            "country": "us",
            "remote": p.workplace == "remote",
            "hybrid": p.workplace == "hybrid",
            "fullLocation": f"{p.city}, {p.state}, United States",
        },
        "industry": {"id": "computer_network_security", "label": "Computer & Network Security"},
        "department": {"id": "18554", "label": "Information Security"},
        "function": {"id": "information_technology", "label": "Information Technology"},
        "typeOfEmployment": {
            "id": "contract" if p.pay_period == "hour" else "permanent",
            "label": "Contract" if p.pay_period == "hour" else "Full-time",
        },
        "experienceLevel": {"id": "mid_senior_level", "label": "Mid-Senior Level"},
        "customField": [],
        "visibility": "PUBLIC",
        "ref": f"https://api.smartrecruiters.com/v1/companies/{company_id}/postings/{pid}",
        "creator": {"name": "Recruiting Team"},
        "language": {"code": "en", "label": "English", "labelNative": "English (US)"},
    }
    if not detail:
        return posting
    body = p.description_html()
    intro, rest = body.split("<h3>What you bring</h3>", 1)
    qualifications, closing = rest.split("</ul>", 1)
    posting["jobAd"] = {
        "sections": {
            "companyDescription": {
                "title": "Company Description",
                "text": f"<p>{p.company} builds and secures systems people rely on.</p>",
            },
            "jobDescription": {"title": "Job Description", "text": intro},
            "qualifications": {"title": "Qualifications", "text": qualifications + "</ul>"},
            "additionalInformation": {"title": "Additional Information", "text": closing},
        }
    }
    page = f"{company_id}/{pid}-{_url_slug(p.title)}"
    posting["postingUrl"] = f"https://jobs.smartrecruiters.com/{page}"
    posting["applyUrl"] = f"https://jobs.smartrecruiters.com/{page}?oga=true"
    if p.pay_display == "structured" and p.pay_min is not None:
        posting["compensation"] = {"min": p.pay_min, "max": p.pay_max, "currency": "USD"}
    return posting


def _searchable(p: GeneratedPosting) -> str:
    return f"{p.title} {p.description_html()}".lower()


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    def company_postings(company: str) -> list[GeneratedPosting] | web.Response:
        listed = ats_postings(market, "smartrecruiters", company)
        if listed is not None:
            return listed
        plan = board_plan("smartrecruiters", company, market.seed)
        if plan is not None and plan.fate == RATE_LIMITED:
            return too_many_requests(RETRY_AFTER)
        # The real API answers an unknown company with an empty list, not a 404.
        return list(board_postings("smartrecruiters", company, market.seed))

    async def postings(request: web.Request):
        company = request.match_info["company"]
        listed = company_postings(company)
        if isinstance(listed, web.Response):
            return listed
        # The keyword search (q), over the posting's text as the real one: here, postings
        # whose title and description hold every word of it.
        words = request.query.get("q", "").lower().split()
        if words:
            listed = [p for p in listed if all(w in _searchable(p) for w in words)]
        offset = int(request.query.get("offset", 0))
        limit = min(int(request.query.get("limit", MAX_LIMIT)), MAX_LIMIT)
        page = listed[offset : offset + limit]
        return web.json_response(
            {
                "offset": offset,
                "limit": limit,
                "totalFound": len(listed),
                "content": [sr_posting(p, company, detail=False) for p in page],
            }
        )

    async def posting(request: web.Request):
        company, pid = request.match_info["company"], request.match_info["posting_id"]
        listed = company_postings(company)
        if isinstance(listed, web.Response):
            return listed
        for p in listed:
            if posting_id(p) == pid:
                return conditional_json(request, sr_posting(p, company, True), date_modified(p))
        return web.json_response(
            {"code": "NOT_FOUND", "message": f"Posting {pid} not found"}, status=404
        )

    router.add_get("/smartrecruiters/v1/companies/{company}/postings", postings)
    router.add_get("/smartrecruiters/v1/companies/{company}/postings/{posting_id}", posting)


def scrapy_settings(base_url: str) -> dict:
    return {
        "SMARTRECRUITERS_BASE_URL": f"{base_url}/smartrecruiters",
        "SMARTRECRUITERS_COMPANIES": ats_accounts("smartrecruiters"),
    }
