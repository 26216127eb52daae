"""Adzuna API under /adzuna: a recorded real search page plus generated searches, salary
histograms and monthly salary history.

Requests without ``app_id``/``app_key`` are refused as the live API refuses them.
"""

from __future__ import annotations

import html
import re

from aiohttp import web

from sandbox.generator import EPOCH, TITLES, GeneratedPosting, Market
from sandbox.realdata import realdata_dir

# The recorded page (api.adzuna.com/v1/api/jobs/us/search, 2020-08, "Software Engineer") is
# served for this query's first page. The recording is cut off mid-result, as stored.
RECORDED_QUERY = "software engineer"
RECORDED_FILE = "api_json/subhradeepbiswas__adzuna_search_response.json"
SANDBOX_APP_ID = "sandbox-app"
SANDBOX_APP_KEY = "sandbox-key"
SANDBOX_QUERIES = ["cybersecurity manager", "information security manager"]
MIDPOINT = {title: midpoint for title, _family, midpoint in TITLES}
HISTOGRAM_BAND = 20_000
HOURS_PER_YEAR = 2080


def recorded_body() -> bytes | None:
    root = realdata_dir()
    path = root / RECORDED_FILE if root else None
    return path.read_bytes() if path is not None and path.exists() else None


def adzuna_id(p: GeneratedPosting) -> str:
    return str(3_000_000_000 + p.index)


def _text(p: GeneratedPosting) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(p.description_html())).split())


def matches(p: GeneratedPosting, what: str) -> bool:
    text = f"{p.title} {_text(p)}".lower()
    return all(word in text for word in what.lower().split())


def _highlight(text: str, what: str) -> str:
    """Adzuna wraps the query's words in <strong> in titles and snippets."""
    escaped = html.escape(text)
    for word in sorted(set(what.lower().split()), key=len, reverse=True):
        escaped = re.sub(
            rf"\b({re.escape(word)})\b", r"<strong>\1</strong>", escaped, flags=re.IGNORECASE
        )
    return escaped


def annual_pay(p: GeneratedPosting) -> tuple[int, int] | None:
    """The posting's stated pay as Adzuna lists it: annual amounts."""
    if p.pay_min is None or p.pay_max is None:
        return None
    if p.pay_period == "hour":
        return p.pay_min * HOURS_PER_YEAR, p.pay_max * HOURS_PER_YEAR
    return p.pay_min, p.pay_max


def adzuna_job(p: GeneratedPosting, what: str) -> dict:
    """One element of a search response's ``results``."""
    job: dict = {
        "__CLASS__": "Adzuna::API::Response::Job",
        "id": adzuna_id(p),
        "adref": f"sandbox-{p.index}",
        "title": _highlight(p.title, what),
        "description": _highlight(_text(p)[:280], what) + " ...",
        "created": f"{p.date_posted.isoformat()}T09:00:00Z",
        "company": {"__CLASS__": "Adzuna::API::Response::Company", "display_name": p.company},
        "location": {
            "__CLASS__": "Adzuna::API::Response::Location",
            "display_name": f"{p.city}, {p.state}",
            "area": ["US", p.state, p.city],
        },
        "category": {
            "__CLASS__": "Adzuna::API::Response::Category",
            "tag": "it-jobs",
            "label": "IT Jobs",
        },
        "redirect_url": f"https://www.adzuna.com/land/ad/{adzuna_id(p)}?se=sandbox&utm_medium=api",
        "contract_time": "full_time",
        "salary_is_predicted": "0",
    }
    if p.pay_period == "hour":
        job["contract_type"] = "contract"
    pay = annual_pay(p)
    if pay is not None:
        job["salary_min"], job["salary_max"] = pay
    elif p.index % 2 == 0:
        # No stated pay: Adzuna shows its own prediction, one figure, flagged as such.
        predicted = round(MIDPOINT.get(p.title, 100_000) * 0.97, -2)
        job.update(salary_min=predicted, salary_max=predicted, salary_is_predicted="1")
    return job


def histogram(found: list[GeneratedPosting]) -> dict[str, str]:
    """Vacancies per 20,000 band of stated (not predicted) pay midpoints; counts as strings."""
    counts: dict[int, int] = {}
    for p in found:
        pay = annual_pay(p)
        if pay is None:
            continue
        band = int((pay[0] + pay[1]) / 2 // HISTOGRAM_BAND * HISTOGRAM_BAND)
        counts[band] = counts.get(band, 0) + 1
    return {str(band): str(n) for band, n in sorted(counts.items())}


def history(found: list[GeneratedPosting], months: int) -> dict[str, float]:
    """Average advertised salary per month, drifting up ~0.3% a month towards today."""
    pays = [sum(pay) / 2 for pay in map(annual_pay, found) if pay is not None]
    if not pays:
        return {}
    latest = sum(pays) / len(pays)
    series: dict[str, float] = {}
    year, month = EPOCH.year, EPOCH.month
    for back in range(months):
        series[f"{year:04d}-{month:02d}"] = round(latest * (1 - 0.003 * back), 2)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return series


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_body()

    def authorised(request: web.Request) -> bool:
        return bool(request.query.get("app_id") and request.query.get("app_key"))

    def refused() -> web.Response:
        return web.json_response(
            {
                "__CLASS__": "Adzuna::API::Response::Exception",
                "exception": "AUTH_FAIL",
                "display": "Authorisation failed",
            },
            status=401,
        )

    def found(request: web.Request) -> list[GeneratedPosting]:
        what = request.query.get("what", "")
        return [p for p in market if matches(p, what)]

    async def search(request: web.Request):
        if not authorised(request):
            return refused()
        what = request.query.get("what", "")
        page = int(request.match_info["page"])
        if what.lower() == RECORDED_QUERY and recorded is not None and page == 1:
            return web.Response(body=recorded, content_type="application/json")
        per_page = min(int(request.query.get("results_per_page", 10)), 50)
        hits = found(request)
        chunk = hits[(page - 1) * per_page : page * per_page]
        pays = [sum(pay) / 2 for pay in map(annual_pay, hits) if pay is not None]
        return web.json_response(
            {
                "__CLASS__": "Adzuna::API::Response::JobSearchResults",
                "count": len(hits),
                "mean": round(sum(pays) / len(pays), 2) if pays else 0,
                "results": [adzuna_job(p, what) for p in chunk],
            }
        )

    async def salary_histogram(request: web.Request):
        if not authorised(request):
            return refused()
        return web.json_response(
            {
                "__CLASS__": "Adzuna::API::Response::SalaryHistogram",
                "histogram": histogram(found(request)),
            }
        )

    async def salary_history(request: web.Request):
        if not authorised(request):
            return refused()
        months = min(int(request.query.get("months", 12)), 36)
        return web.json_response(
            {
                "__CLASS__": "Adzuna::API::Response::HistoricalSalary",
                "month": history(found(request), months),
            }
        )

    router.add_get("/adzuna/v1/api/jobs/{country}/search/{page:\\d+}", search)
    router.add_get("/adzuna/v1/api/jobs/{country}/histogram", salary_histogram)
    router.add_get("/adzuna/v1/api/jobs/{country}/history", salary_history)


def scrapy_settings(base_url: str) -> dict:
    queries = list(SANDBOX_QUERIES)
    if recorded_body() is not None:
        queries.append(RECORDED_QUERY)
    return {
        "ADZUNA_BASE_URL": f"{base_url}/adzuna",
        "ADZUNA_APP_ID": SANDBOX_APP_ID,
        "ADZUNA_APP_KEY": SANDBOX_APP_KEY,
        "ADZUNA_QUERIES": queries,
    }
