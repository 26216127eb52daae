"""Remotive API under /remotive: two recorded real responses plus generated searches.

The recordings (2025-12 and 2026-07) answer the sandbox searches named in ``RECORDED``,
byte for byte (one starts with a UTF-8 byte order mark); any other search is answered from
the generated market, filtered like the live API (search in title and description,
category by name or slug, company_name, limit).
"""

from __future__ import annotations

import html
import re

from aiohttp import web

from sandbox.generator import TITLES, GeneratedPosting, Market, slug
from sandbox.realdata import realdata_dir

RECORDED = {
    "workverse-recording": "api_json/WorkVerse__remotive.json",
    "wall-street-playbook-recording": "api_json/Wall-Street-Playbook__remotive.json",
}
SANDBOX_SEARCHES = ({"search": "security manager"}, {"search": "cybersecurity"})
LEGAL_NOTICE = (
    "Please link back to the URL found on Remotive AND mention Remotive as a source in order "
    "to Remotive to get traffic from your listing."
)
FAMILY = {title: family for title, family, _mid in TITLES}
# (name, slug) of the Remotive category a generated job is filed under.
CATEGORY = {
    "security_ic": ("DevOps / Sysadmin", "devops"),
    "other": ("Sales / Business", "sales-business"),
}
DEFAULT_CATEGORY = ("All others", "all-others")


def recorded_bodies() -> dict[str, bytes]:
    root = realdata_dir()
    if root is None:
        return {}
    return {
        name: (root / path).read_bytes()
        for name, path in RECORDED.items()
        if (root / path).exists()
    }


def on_remotive(p: GeneratedPosting) -> bool:
    return p.index % 5 == 2


def remotive_id(p: GeneratedPosting) -> int:
    return 2_500_000 + p.index


def salary_text(p: GeneratedPosting) -> str:
    """Pay as Remotive employers type it: "$140k - $175k", "$55 - $77 /hour", or nothing."""
    if p.pay_display == "none" or p.pay_min is None:
        return ""
    if p.pay_period == "hour":
        return f"${p.pay_min} - ${p.pay_max} /hour"
    return f"${p.pay_min // 1000}k - ${p.pay_max // 1000}k"


def category(p: GeneratedPosting) -> tuple[str, str]:
    return CATEGORY.get(FAMILY.get(p.title, ""), DEFAULT_CATEGORY)


def remotive_job(p: GeneratedPosting) -> dict:
    job_id = remotive_id(p)
    name, category_slug = category(p)
    return {
        "id": job_id,
        "url": f"https://remotive.com/remote-jobs/{category_slug}/{slug(p.title)}-{job_id}",
        "title": p.title,
        "company_name": p.company,
        "company_logo": "",
        "category": name,
        "tags": ["security", "cissp"] if "security" in p.title.lower() else [],
        "job_type": "contract" if p.pay_period == "hour" else "full_time",
        "publication_date": f"{p.date_posted.isoformat()}T09:00:00",
        "candidate_required_location": "USA" if p.workplace == "remote" else f"USA ({p.state})",
        "salary": salary_text(p),
        "description": p.description_html(),
    }


def matches(p: GeneratedPosting, query) -> bool:
    text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(p.description_html())).split())
    search = (query.get("search") or "").lower()
    if search and search not in f"{p.title} {text}".lower():
        return False
    wanted = (query.get("category") or "").lower()
    if wanted and wanted not in (category(p)[0].lower(), category(p)[1]):
        return False
    company = (query.get("company_name") or "").lower()
    return not company or company in p.company.lower()


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_bodies()

    async def remote_jobs(request: web.Request):
        body = recorded.get(request.query.get("search", ""))
        if body is not None:
            return web.Response(body=body, content_type="application/json")
        jobs = [remotive_job(p) for p in market if on_remotive(p) and matches(p, request.query)]
        if request.query.get("limit", "").isdigit():
            jobs = jobs[: int(request.query["limit"])]
        return web.json_response(
            {
                "0-legal-notice": LEGAL_NOTICE,
                "job-count": len(jobs),
                "total-job-count": len(jobs),
                "jobs": jobs,
            }
        )

    router.add_get("/remotive/api/remote-jobs", remote_jobs)


def scrapy_settings(base_url: str) -> dict:
    searches = [dict(s) for s in SANDBOX_SEARCHES]
    searches += [{"search": name} for name in recorded_bodies()]
    return {"REMOTIVE_BASE_URL": f"{base_url}/remotive", "REMOTIVE_SEARCHES": searches}
