"""Lever Postings API under /lever: the recorded matchgroup site, generated sites, and every
shipped site of the registry (``sandbox/registry.py``: gone ones 404, rate-limited ones 429).

Mirrors https://github.com/lever/postings-api: ``GET /v0/postings/<site>?mode=json`` with
``skip``/``limit`` paging (a JSON array, no total), and ``GET /v0/postings/<site>/<id>``
for one posting, which answers conditional requests.
"""

from __future__ import annotations

import html
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
    date_modified,
    posting_uuid,
    slug,
)
from sandbox.http import conditional_json
from sandbox.registry import (
    GONE,
    RATE_LIMITED,
    RETRY_AFTER,
    board_plan,
    board_postings,
    too_many_requests,
)

RECORDED = Path(__file__).resolve().parent.parent / "recorded"
RECORDED_SITES = ("matchgroup",)
WORKPLACE = {"onsite": "on-site", "hybrid": "hybrid", "remote": "remote"}


def lever_posting(p: GeneratedPosting) -> dict:
    """One generated posting as the Lever Postings API returns it in JSON mode."""
    uid = posting_uuid("lever", p)
    site = quote(p.board, safe="")  # "1840&Company" is a site name too
    created = datetime.combine(p.date_posted, time(14, 30), tzinfo=UTC)
    description = p.description_html()
    opening = description.split("<h3>", 1)[0]
    posting: dict = {
        "additionalPlain": "We offer a 401(k) match and 20 weeks of parental leave.\n",
        "additional": "<div>We offer a 401(k) match and 20 weeks of parental leave.</div>",
        "categories": {
            "commitment": "Contract" if p.pay_period == "hour" else "Full-time",
            "department": "Security",
            "location": f"{p.city}, {p.state}",
            "team": "Information Security",
            "allLocations": [f"{p.city}, {p.state}"],
        },
        "createdAt": int(created.timestamp() * 1000),
        "descriptionPlain": html.unescape(opening.replace("</p>", "\n").replace("<p>", "")),
        "description": opening,
        "id": uid,
        "lists": [
            {
                "text": "What you bring",
                "content": description.split("<ul>", 1)[1].split("</ul>", 1)[0],
            }
        ],
        "text": p.title,
        "country": "US",
        "workplaceType": WORKPLACE[p.workplace],
        "opening": opening,
        "openingPlain": "",
        "descriptionBody": "",
        "descriptionBodyPlain": "",
        "hostedUrl": f"https://jobs.lever.co/{site}/{uid}",
        "applyUrl": f"https://jobs.lever.co/{site}/{uid}/apply",
    }
    if p.pay_display == "text":
        # Pay stated in the closing text only, as many Lever sites do.
        tail = html.escape(f"The base salary range for this role is {p.pay_text()}.")
        posting["additional"] = f"<div>{tail}</div>" + posting["additional"]
    if p.pay_display == "structured" and p.pay_min is not None:
        posting["salaryRange"] = {
            "interval": "per-hour-wage" if p.pay_period == "hour" else "per-year-salary",
            "currency": "USD",
            "min": p.pay_min,
            "max": p.pay_max,
        }
        note = "Pay within the range depends on location, experience and skills."
        posting["salaryDescription"] = f"<div>{note}</div>"
        posting["salaryDescriptionPlain"] = note
    return posting


def _not_found() -> web.Response:
    return web.json_response({"ok": False, "error": "Document not found"}, status=404)


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = {"matchgroup": json.loads((RECORDED / "lever_matchgroup_postings.json").read_text())}

    def registry_postings(site: str) -> list[dict] | web.Response:
        plan = board_plan("lever", site, market.seed)
        if plan is None or plan.fate == GONE:
            return _not_found()
        if plan.fate == RATE_LIMITED:
            return too_many_requests(RETRY_AFTER)
        return [lever_posting(p) for p in board_postings("lever", site, market.seed)]

    def site_postings(site: str) -> list[dict] | web.Response:
        if site in recorded:
            return recorded[site]
        postings = ats_postings(market, "lever", site)
        if postings is None:
            return registry_postings(site)
        return [lever_posting(p) for p in postings]

    async def postings(request: web.Request):
        listed = site_postings(request.match_info["site"])
        if isinstance(listed, web.Response):
            return listed
        skip = int(request.query.get("skip", 0))
        limit = request.query.get("limit")
        page = listed[skip : skip + int(limit)] if limit else listed[skip:]
        return web.json_response(page)

    async def posting(request: web.Request):
        site, uid = request.match_info["site"], request.match_info["posting_id"]
        postings = ats_postings(market, "lever", site)
        if postings is None and site not in recorded:
            plan = board_plan("lever", site, market.seed)
            if plan is not None and plan.fate == RATE_LIMITED:
                return too_many_requests(RETRY_AFTER)
            postings = board_postings("lever", site, market.seed)
        for p in postings or []:
            if posting_uuid("lever", p) == uid:
                return conditional_json(request, lever_posting(p), date_modified(p))
        return _not_found()

    router.add_get("/lever/v0/postings/{site}", postings)
    router.add_get("/lever/v0/postings/{site}/{posting_id}", posting)


def scrapy_settings(base_url: str) -> dict:
    sites = ats_accounts("lever")
    names = {slug(c): c for c in COMPANIES if slug(c) in sites}
    return {
        "LEVER_BASE_URL": f"{base_url}/lever",
        "LEVER_COMPANIES": [*RECORDED_SITES, *sites],
        "LEVER_NAMES": {"matchgroup": "Match Group", **names},
    }
