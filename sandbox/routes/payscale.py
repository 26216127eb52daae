"""PayScale salary research pages under /payscale: the recorded real page and a generated one.

``/payscale/research/US/Job=Data_Scientist/Salary`` serves the recorded 2020 PayScale page
(``html_salary/abdu95_web_scraping_2020__payscale.html``, read in place, never copied) when
the shared recordings are present. ``Job=Cyber_Security_Manager`` is generated in the same
structure: an ``OccupationAggregation`` JSON-LD block with ``estimatedSalary`` distributions
named total, base and bonus, and a ``__NEXT_DATA__`` state with the headline narratives.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from aiohttp import web

from sandbox.generator import Market
from sandbox.realdata import realdata_dir

RECORDED_JOB = "Job=Data_Scientist"
GENERATED_JOB = "Job=Cyber_Security_Manager"

SAMPLE_SIZE = 2_315
BASE = {
    "percentile10": "98420.15",
    "percentile25": "115870.40",
    "median": "136912.66",
    "percentile75": "158305.02",
    "percentile90": "181544.90",
}
TOTAL = {
    "percentile10": "101230.08",
    "percentile25": "121905.61",
    "median": "146018.33",
    "percentile75": "171660.47",
    "percentile90": "203118.72",
}
BONUS = {
    "percentile10": "2050.00",
    "percentile25": "5020.37",
    "median": "10250.50",
    "percentile75": "17400.00",
    "percentile90": "26880.12",
}


def recorded_page() -> Path | None:
    root = realdata_dir()
    if root is None:
        return None
    page = root / "html_salary" / "abdu95_web_scraping_2020__payscale.html"
    return page if page.exists() else None


def _distribution(name: str, values: dict[str, str]) -> dict:
    return {
        "currency": "USD",
        "unitText": "YEAR",
        **values,
        "description": None,
        "name": name,
        "url": None,
        "@type": "MonetaryAmountDistribution",
    }


def salary_page(role_title: str = "Cyber Security Manager") -> str:
    slug = role_title.replace(" ", "_")
    url = f"/research/US/Job={slug}/Salary"
    jsonld = {
        "@context": "http://schema.googleapis.com/",
        "@id": url,
        "occupationalCategory": "11-3021.00 - Computer and Information Systems Managers",
        "mainEntityOfPage": {"lastReviewed": "2026-11-18T09:12:40.11Z", "@type": "WebPage"},
        "occupationLocation": [{"name": "United States", "@type": "Country"}],
        "estimatedSalary": [
            _distribution("total", TOTAL),
            _distribution("base", BASE),
            _distribution("bonus", BONUS),
        ],
        "sampleSize": SAMPLE_SIZE,
        "name": role_title,
        "url": url,
        "@type": "OccupationAggregation",
    }
    average = round(float(BASE["median"]))
    next_data = {
        "props": {
            "pageProps": {
                "pageData": {
                    "country": "US",
                    "category": "Job",
                    "dimensions": {"job": role_title},
                    "reportType": "Salary",
                    "currencyCode": "USD",
                    "lastUpdated": "2026-11-18T09:12:40.11Z",
                    "narratives": {
                        "summaryHourly": f"The average pay for a {role_title} is $65.82 per hour.",
                        "summarySalary": (
                            f"The average pay for a {role_title} is ${average:,} per year."
                        ),
                    },
                }
            }
        },
        "page": "/job/pay",
        "query": {},
        "buildId": "app",
    }
    title = html.escape(role_title)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} Salary | PayScale</title>
<script crossorigin="anonymous" type="application/ld+json">{json.dumps(jsonld)}</script>
</head><body><div id="__next">
<div id="job-v2" style="display:none"><div class="lazyload-wrapper">
<div class="lazyload-placeholder"></div></div></div>
</div>
<script id="__NEXT_DATA__" type="application/json">{json.dumps(next_data)}</script>
</body></html>"""


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def research(request: web.Request):
        job = request.match_info["job"]
        if job == GENERATED_JOB:
            return web.Response(text=salary_page(), content_type="text/html")
        page = recorded_page()
        if job == RECORDED_JOB and page is not None:
            return web.Response(body=page.read_bytes(), content_type="text/html", charset="utf-8")
        raise web.HTTPNotFound()

    router.add_get("/payscale/research/US/{job}/Salary", research)


def scrapy_settings(base_url: str) -> dict:
    pages = [{"role": "cybersecurity manager", "path": f"/research/US/{GENERATED_JOB}/Salary"}]
    if recorded_page() is not None:
        pages.append({"role": "data scientist", "path": f"/research/US/{RECORDED_JOB}/Salary"})
    return {"PAYSCALE_BASE_URL": f"{base_url}/payscale", "PAYSCALE_PAGES": pages}
