"""Salary.com research pages under /salarycom: generated pages in the live pages' structure.

No recorded Salary.com page exists. The generated national and San Francisco pages carry
what the real ones publish for search engines: one schema.org ``Occupation`` JSON-LD block
with ``estimatedSalary`` (a MonetaryAmountDistribution with percentile10/25, median,
percentile75/90) and ``occupationLocation`` ("United States" / a City), plus the visible
sentence "The average ... salary is $X as of ..., but the range typically falls between
$P25 and $P75". Figures are fixed so tests can assert them exactly.
"""

from __future__ import annotations

import html
import json

from aiohttp import web

from sandbox.generator import Market

ROLE_SLUG = "cyber-security-manager-salary"
NATIONAL = {
    "percentile10": 118_730,
    "percentile25": 131_560,
    "median": 145_660,
    "percentile75": 160_120,
    "percentile90": 173_290,
}
# Salary.com scales national figures by a geographic differential; San Francisco's is 1.25.
CITIES = {"san-francisco-ca": ("San Francisco", "CA", 1.25)}


def _figures(factor: float) -> dict[str, int]:
    return {key: round(value * factor) for key, value in NATIONAL.items()}


def salary_page(role_title: str = "Cyber Security Manager", city: str | None = None) -> str:
    if city is None:
        place = {"@type": "Country", "name": "United States"}
        figures, where = NATIONAL, "the United States"
    else:
        name, region, factor = CITIES[city]
        place = {
            "@type": "City",
            "name": f"{name}, {region}",
            "address": {"@type": "PostalAddress", "addressLocality": name, "addressRegion": region},
        }
        figures, where = _figures(factor), f"{name}, {region}"
    jsonld = {
        "@context": "https://schema.org/",
        "@type": "Occupation",
        "name": role_title,
        "description": f"{role_title} leads the organization's information security program.",
        "mainEntityOfPage": {"@type": "WebPage", "lastReviewed": "2026-11-01T00:00:00-05:00"},
        "estimatedSalary": [
            {
                "@type": "MonetaryAmountDistribution",
                "name": "base",
                "currency": "USD",
                "duration": "P1Y",
                **figures,
            }
        ],
        "occupationLocation": [place],
    }
    title = html.escape(role_title)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} Salary in {html.escape(where)} | Salary.com</title>
<script type="application/ld+json">{json.dumps(jsonld)}</script></head>
<body><main class="sal-research">
<h1>{title} Salary in {html.escape(where)}</h1>
<p class="sal-summary">The average {title} salary in {html.escape(where)} is
${figures["median"]:,} as of November 01, 2026, but the range typically falls between
${figures["percentile25"]:,} and ${figures["percentile75"]:,}.</p>
</main></body></html>"""


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def national(_request: web.Request):
        return web.Response(text=salary_page(), content_type="text/html")

    async def city(request: web.Request):
        slug = request.match_info["city"]
        if slug not in CITIES:
            raise web.HTTPNotFound()
        return web.Response(text=salary_page(city=slug), content_type="text/html")

    router.add_get(f"/salarycom/research/salary/alternate/{ROLE_SLUG}", national)
    router.add_get(f"/salarycom/research/salary/alternate/{ROLE_SLUG}/{{city}}", city)


def scrapy_settings(base_url: str) -> dict:
    return {"SALARYCOM_BASE_URL": f"{base_url}/salarycom"}
