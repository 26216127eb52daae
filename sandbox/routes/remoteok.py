"""Remote OK API under /remoteok: the recorded real feed (2026-03) followed by generated jobs.

Like the live feed, the array starts with the legal notice; salaries are annual US dollars
with 0 for "not stated".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

from aiohttp import web

from sandbox.generator import TITLES, GeneratedPosting, Market, slug
from sandbox.realdata import realdata_dir

RECORDED_FILE = "api_json/JACKAS5_resume-helper__remoteok.json"
# Remote OK's notice as the live feed states it (facts, restated): what the spider must honour.
LEGAL_NOTICE = (
    "API Terms of Service: Please link back (with follow, and without nofollow!) to the URL on "
    "Remote OK and mention Remote OK as a source, so we get traffic back from your site. If "
    "you do not we'll have to suspend API access."
)
FAMILY = {title: family for title, family, _mid in TITLES}
TAGS = {
    "security_manager": ["security", "cybersecurity", "manager", "management"],
    "security_leader": ["security", "executive", "leader", "infosec"],
    "security_ic": ["security", "infosec", "engineer", "cloud"],
    "security_other_manager": ["manager", "operations", "non tech"],
    "other": ["sales", "saas", "non tech", "security"],
}


def recorded_feed() -> list | None:
    root = realdata_dir()
    path = root / RECORDED_FILE if root else None
    if path is None or not path.exists():
        return None
    return json.loads(path.read_bytes())


def on_remoteok(p: GeneratedPosting) -> bool:
    return p.index % 5 == 1


def remoteok_id(p: GeneratedPosting) -> int:
    return 2_000_000 + p.index


def remoteok_job(p: GeneratedPosting) -> dict:
    """One job of the feed. Hourly pay is not stated: Remote OK takes annual figures only."""
    job_id = remoteok_id(p)
    posted = datetime.combine(p.date_posted, time(8, 0), tzinfo=UTC)
    annual = p.pay_min is not None and p.pay_period == "year"
    path = f"remote-{slug(p.title)}-{slug(p.company)}-{job_id}"
    return {
        "slug": path,
        "id": str(job_id),
        "epoch": int(posted.timestamp()),
        "date": posted.isoformat(),
        "company": p.company,
        "company_logo": "",
        "position": p.title,
        "tags": TAGS[FAMILY.get(p.title, "other")],
        "logo": "",
        "description": p.description_html(),
        "location": "United States" if p.workplace == "remote" else f"{p.city}, {p.state}",
        "salary_min": p.pay_min if annual else 0,
        "salary_max": p.pay_max if annual else 0,
        "apply_url": f"https://remoteOK.com/remote-jobs/{path}",
        "url": f"https://remoteOK.com/remote-jobs/{path}",
    }


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_feed()

    async def feed(_request: web.Request):
        head = recorded or [{"last_updated": 1_793_000_000, "legal": LEGAL_NOTICE}]
        generated = [remoteok_job(p) for p in market if on_remoteok(p)]
        return web.json_response([*head, *generated])

    router.add_get("/remoteok/api", feed)


def scrapy_settings(base_url: str) -> dict:
    return {"REMOTEOK_BASE_URL": f"{base_url}/remoteok"}
