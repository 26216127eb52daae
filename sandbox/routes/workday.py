"""Workday career sites' JSON API ("CXS") under /workday/<host>: two recorded real sites,
generated employers, and every career site of the shipped board registry.

Every Workday tenant is its own host (``<tenant>.wd<N>.myworkdayjobs.com``); the sandbox serves
them all on one address, so the host is the first segment of the path:
``POST /workday/<host>/wday/cxs/<tenant>/<site>/jobs`` with ``{"appliedFacets", "limit",
"offset", "searchText"}`` lists postings, ``GET /workday/<host>/wday/cxs/<tenant>/<site>/job/...``
(a listed ``externalPath``) is one posting. As the real API does, ``total`` is stated on the
first page only and reads 0 on the pages after it, and a ``limit`` above 20 is refused.

Recorded sites (sandbox/recorded/, MIT): General Dynamics IT and Workday itself, a first page
each, answered whatever the search (that page is all there is of them), then an empty page;
their recorded details at the recorded paths. Generated employers run the career sites
sandbox/routes/careers.py serves (their ``on_careers_site`` postings) on Workday; a search
matches a posting when every word of it is a word of the title or the description.

Registry sites (``sandbox/registry.py``: the shipped list's ``<tenant>/<site>`` at its own
host) answer as their fate says: an active or large one lists its generated postings, page by
page, each with a detail whose description states the pay when the posting has one (US
Workday postings write their range there); an empty one answers a list with ``total`` 0; a
gone one the API's 404 for a site it does not know; a rate-limited one 429 with Retry-After,
its details too.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from aiohttp import web

from sandbox.generator import COMPANIES, EPOCH, GeneratedPosting, Market, slug
from sandbox.registry import (
    GONE,
    INDEX_BLOCK,
    RATE_LIMITED,
    REGISTRY_INDEX_BASE,
    RETRY_AFTER,
    BoardPlan,
    board_plan,
    board_postings,
    too_many_requests,
)

RECORDED = Path(__file__).resolve().parent.parent / "recorded"
# (list page, the detail of one of its postings), both real answers of one site.
RECORDED_SITES = (
    ("workday_gdit_jobs.json", "workday_gdit_job_detail.json"),
    ("workday_workday_jobs.json", "workday_workday_job_detail.json"),
)
# Generated employers with a Workday career site: host -> (company, site).
GENERATED_SITES = {
    "woodgrovebank.wd1.myworkdayjobs.com": ("Woodgrove Bank", "WoodgroveCareers"),
    "contosohealth.wd5.myworkdayjobs.com": ("Contoso Health", "Contoso_Health_External"),
    "northwindsecurity.wd12.myworkdayjobs.com": ("Northwind Security", "External"),
}
MAX_LIMIT = 20
REQUISITION_BASE = 700_000  # generated requisition ids: "R" + this + the posting's index
WORKPLACE = {"onsite": "Onsite", "hybrid": "Hybrid", "remote": "Remote"}


@dataclass(frozen=True)
class RecordedSite:
    host: str
    site: str
    jobs: bytes
    details: dict[str, bytes]  # externalPath -> body


def recorded_sites() -> dict[tuple[str, str], RecordedSite]:
    """(host, site) -> the recorded answers, placed where the detail's ``externalUrl`` says."""
    found = {}
    for jobs_file, detail_file in RECORDED_SITES:
        detail = (RECORDED / detail_file).read_bytes()
        public = urlsplit(json.loads(detail)["jobPostingInfo"]["externalUrl"])
        _, site, external_path = public.path.split("/", 2)
        found[(public.hostname, site)] = RecordedSite(
            host=public.hostname,
            site=site,
            jobs=(RECORDED / jobs_file).read_bytes(),
            details={f"/{external_path}": detail},
        )
    return found


def requisition(p: GeneratedPosting) -> str:
    return f"R{REQUISITION_BASE + p.index}"


def _slug(text: str) -> str:
    # Workday's URL slugs keep letters and digits and turn every other character into "-".
    return re.sub(r"[^A-Za-z0-9]", "-", text)


def external_path(p: GeneratedPosting) -> str:
    return f"/job/{_slug(f'{p.city} {p.state}')}/{_slug(p.title)}_{requisition(p)}"


def posted_on(day: date) -> str:
    """The list's relative date, as of the generator's today (``EPOCH``)."""
    days = (EPOCH - day).days
    if days <= 0:
        return "Posted Today"
    if days == 1:
        return "Posted Yesterday"
    return "Posted 30+ Days Ago" if days > 30 else f"Posted {days} Days Ago"


def description_html(p: GeneratedPosting) -> str:
    """The job ad; pay the other sources publish in a field is a pay-transparency line here."""
    body = p.description_html()
    if p.pay_display == "structured" and p.pay_min is not None:
        if p.pay_period == "hour":
            line = f"Hourly Pay Range: ${p.pay_min:,} - ${p.pay_max:,} per hour"
        else:
            line = f"Base Pay Range: ${p.pay_min:,} USD - ${p.pay_max:,} USD"
        body += f"<p>{html.escape(line)}</p>"
    return body


def list_entry(p: GeneratedPosting) -> dict:
    return {
        "title": p.title,
        "externalPath": external_path(p),
        "locationsText": f"{p.city}, {p.state}",
        "postedOn": posted_on(p.date_posted),
        "remoteType": WORKPLACE[p.workplace],
        "bulletFields": [requisition(p)],
    }


def posting_detail(p: GeneratedPosting, host: str, site: str) -> dict:
    path = external_path(p)
    return {
        "jobPostingInfo": {
            "id": f"{p.index:032x}",
            "title": p.title,
            "jobDescription": description_html(p),
            "location": f"{p.city}, {p.state}",
            "postedOn": posted_on(p.date_posted),
            "startDate": p.date_posted.isoformat(),
            "timeType": "Full time",
            "jobReqId": requisition(p),
            "jobPostingId": path.rsplit("/", 1)[1],
            "jobPostingSiteId": site,
            "country": {"descriptor": "United States of America"},
            "canApply": True,
            "posted": True,
            "remoteType": WORKPLACE[p.workplace],
            "externalUrl": f"https://{host}/{quote(site, safe='')}{path}",
        },
        "hiringOrganization": {"name": p.company, "url": ""},
        "userAuthenticated": False,
    }


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()))


@lru_cache(maxsize=4096)
def _posting_words(p: GeneratedPosting) -> frozenset[str]:
    # A large registry site is searched three times, page by page: its words once.
    return _words(f"{p.title} {description_html(p)}")


def matches(p: GeneratedPosting, search: str) -> bool:
    wanted = _words(search)
    return not wanted or wanted <= _posting_words(p)


def site_postings(market: Market, company: str) -> list[GeneratedPosting]:
    """A generated employer's career-site postings, in index order."""
    company_no = COMPANIES.index(company)
    return [
        p
        for p in (market.posting(i) for i in range(company_no, market.size, len(COMPANIES)))
        if p.on_careers_site
    ]


def _not_found(what: str) -> web.Response:
    return web.json_response({"errorCode": "HTTP_404", "message": f"{what} not found"}, status=404)


def search_page(
    postings: list[GeneratedPosting], search: str, offset: int, limit: int
) -> web.Response:
    """One page of a search: ``total`` on the first page only, 0 after, as the real API."""
    found = [p for p in postings if matches(p, search)]
    return web.json_response(
        {
            "total": len(found) if offset == 0 else 0,
            "jobPostings": [list_entry(p) for p in found[offset : offset + limit]],
            "userAuthenticated": False,
        }
    )


def registry_site(host: str, tenant: str, site: str, seed: int) -> BoardPlan | None:
    """The plan of the shipped career site the path names at its own host, if any."""
    if host.split(".", 1)[0] != tenant:
        return None
    plan = board_plan("workday", f"{tenant}/{site}", seed)
    return plan if plan is not None and plan.board.host == host else None


def registry_posting(plan: BoardPlan, path: str, seed: int) -> GeneratedPosting | None:
    """The posting of a shipped site at ``path`` (its requisition gives its place on the site)."""
    number = re.search(r"_R(\d+)$", path)
    if number is None:
        return None
    first = REGISTRY_INDEX_BASE + plan.board.number * INDEX_BLOCK
    n = int(number.group(1)) - REQUISITION_BASE - first
    postings = board_postings("workday", plan.board.identifier, seed)
    if not 0 <= n < len(postings) or external_path(postings[n]) != path:
        return None
    return postings[n]


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_sites()

    def generated_site(request: web.Request) -> tuple[str, str] | None:
        """(company, site) of a generated employer's site, when the path names one."""
        host, tenant, site = (request.match_info[k] for k in ("host", "tenant", "site"))
        company, its_site = GENERATED_SITES.get(host, (None, None))
        if company is None or tenant != slug(company) or site != its_site:
            return None
        return company, site

    async def jobs(request: web.Request):
        try:
            query = await request.json()
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", MAX_LIMIT))
            search = str(query.get("searchText") or "")
        except (ValueError, TypeError, AttributeError):
            return web.json_response({"errorCode": "HTTP_400"}, status=400)
        if limit > MAX_LIMIT or limit < 1 or offset < 0:
            return web.json_response({"errorCode": "HTTP_400"}, status=400)
        host, tenant, site = (request.match_info[k] for k in ("host", "tenant", "site"))
        known = recorded.get((host, site))
        if known is not None and host.split(".", 1)[0] == tenant:
            if offset == 0:
                return web.Response(body=known.jobs, content_type="application/json")
            return web.json_response({"total": 0, "jobPostings": [], "userAuthenticated": False})
        generated = generated_site(request)
        if generated is not None:
            return search_page(site_postings(market, generated[0]), search, offset, limit)
        plan = registry_site(host, tenant, site, market.seed)
        if plan is None or plan.fate == GONE:
            return _not_found("career site")
        if plan.fate == RATE_LIMITED:
            return too_many_requests(RETRY_AFTER)
        postings = list(board_postings("workday", plan.board.identifier, market.seed))
        return search_page(postings, search, offset, limit)

    async def posting(request: web.Request):
        host, tenant, site = (request.match_info[k] for k in ("host", "tenant", "site"))
        path = f"/job/{request.match_info['rest']}"
        known = recorded.get((host, site))
        if known is not None and host.split(".", 1)[0] == tenant and path in known.details:
            return web.Response(body=known.details[path], content_type="application/json")
        generated = generated_site(request)
        if generated is not None:
            found = generated_posting(generated[0], path)
        else:
            plan = registry_site(host, tenant, site, market.seed)
            if plan is not None and plan.fate == RATE_LIMITED:
                return too_many_requests(RETRY_AFTER)
            found = None if plan is None else registry_posting(plan, path, market.seed)
        if found is None:
            return _not_found("job posting")
        return web.json_response(posting_detail(found, host, site))

    def generated_posting(company: str, path: str) -> GeneratedPosting | None:
        number = re.search(r"_R(\d+)$", path)
        index = -1 if number is None else int(number.group(1)) - REQUISITION_BASE
        p = market.posting(index) if 0 <= index < market.size else None
        if p is None or p.company != company or not p.on_careers_site:
            return None
        return p if external_path(p) == path else None

    base = "/workday/{host}/wday/cxs/{tenant}/{site}"
    router.add_post(f"{base}/jobs", jobs)
    router.add_get(base + "/job/{rest:.+}", posting)


def scrapy_settings(base_url: str) -> dict:
    served = [(s.host, s.site) for s in recorded_sites().values()]
    served += [(host, site) for host, (_company, site) in GENERATED_SITES.items()]
    return {
        "WORKDAY_BASE_URL": f"{base_url}/workday/{{host}}",
        "WORKDAY_SITES": [f"{base_url}/workday/{host}/{quote(site)}" for host, site in served],
    }
