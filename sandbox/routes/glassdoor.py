"""Glassdoor salary pages under /glassdoor: a generated occupation page shaped like the real one.

No recorded Glassdoor salary HTML exists. The generated page mirrors how glassdoor.com ships
its data (Next.js with an Apollo GraphQL cache): ``<script id="__NEXT_DATA__">`` holding
``props.pageProps.apolloCache``, a normalised cache whose ``ROOT_QUERY`` entry points by
``__ref`` at ``JobTitle``, ``Location`` and ``Currency`` objects, with pay statistics as
``{"percentiles": [{"ident": "P10", "value": ...}]}``: the shape of the recorded
``scrapfly__glassdoor_salaries.json`` (jobTitle, salaryCount, basePayStatistics.percentiles)
and of Glassdoor's GraphQL salary queries (totalPayStatistics, ``currency.code``). The visible
markup repeats a few figures as text, as the real page does. Figures are fixed.
"""

from __future__ import annotations

import html
import json

from aiohttp import web

from sandbox.generator import Market

ROLE_PATH = "/Salaries/cyber-security-manager-salary-SRCH_KO0,22.htm"

SALARY_COUNT = 4_817
BASE_PAY = {"P10": 109_000, "P25": 126_400, "P50": 146_500, "P75": 171_200, "P90": 198_000}
ADDITIONAL_PAY = {"P10": 6_100, "P25": 12_000, "P50": 21_300, "P75": 33_500, "P90": 51_000}
TOTAL_PAY = {"P10": 122_000, "P25": 141_900, "P50": 167_800, "P75": 201_700, "P90": 239_000}


def _statistics(values: dict[str, int]) -> dict:
    return {
        "__typename": "SalaryStatistics",
        "percentiles": [
            {"__typename": "SalaryPercentile", "ident": ident, "value": float(value)}
            for ident, value in values.items()
        ],
    }


def apollo_cache(role_title: str = "Cyber Security Manager") -> dict:
    query = (
        'occSalaryEstimates({"countryId":1,"jobTitle":"'
        + role_title.lower()
        + '","locationId":1,"locationType":"N","payPeriod":"ANNUAL"})'
    )
    return {
        "ROOT_QUERY": {
            "__typename": "Query",
            query: {
                "__typename": "OccSalaryEstimate",
                "jobTitle": {"__ref": "JobTitle:38912"},
                "location": {"__ref": "Location:N:1"},
                "currency": {"__ref": "Currency:USD"},
                "payPeriod": "ANNUAL",
                "salaryCount": SALARY_COUNT,
                "salarySource": "GLASSDOOR_ESTIMATE",
                "basePayStatistics": _statistics(BASE_PAY),
                "additionalPayStatistics": _statistics(ADDITIONAL_PAY),
                "totalPayStatistics": _statistics(TOTAL_PAY),
                "lastUpdated": "2026-11-20",
            },
        },
        "JobTitle:38912": {"__typename": "JobTitle", "id": 38912, "text": role_title},
        "Location:N:1": {"__typename": "Location", "id": 1, "type": "N", "name": "United States"},
        "Currency:USD": {"__typename": "Currency", "code": "USD", "symbol": "$"},
    }


def salary_page(role_title: str = "Cyber Security Manager") -> str:
    title = html.escape(role_title)
    next_data = {
        "props": {"pageProps": {"apolloCache": apollo_cache(role_title)}},
        "page": "/Salaries/[occupationSalary]",
        "query": {},
        "buildId": "sandbox",
    }
    # Embedded as Next.js does: JSON inside a script element, "</" escaped.
    state = json.dumps(next_data, separators=(",", ":")).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Salary: {title} in United States 2026 | Glassdoor</title></head>
<body><div id="__next">
<main class="SalaryPage">
<h1>{title} salaries</h1>
<div data-test="total-pay">
  <p>${TOTAL_PAY["P50"]:,}/yr <span>Total pay</span></p>
  <p>${BASE_PAY["P50"]:,}/yr <span>Base pay</span> + ${ADDITIONAL_PAY["P50"]:,}/yr
  <span>Additional pay</span></p>
  <p>Most Likely Range ${TOTAL_PAY["P25"] // 1000}K - ${TOTAL_PAY["P75"] // 1000}K/yr</p>
  <p>Glassdoor Est. Based on {SALARY_COUNT:,} salaries</p>
</div>
</main></div>
<script id="__NEXT_DATA__" type="application/json">{state}</script>
</body></html>"""


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def role_page(_request: web.Request):
        return web.Response(text=salary_page(), content_type="text/html")

    router.add_get(f"/glassdoor{ROLE_PATH}", role_page)


def scrapy_settings(base_url: str) -> dict:
    return {"GLASSDOOR_BASE_URL": f"{base_url}/glassdoor"}
