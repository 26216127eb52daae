"""ZipRecruiter salary pages under /ziprecruiter: a generated page in the live page's layout.

No recorded ZipRecruiter salary page exists (only a Cloudflare challenge, used for faults).
The generated page follows the public page's structure: the summary paragraphs ("the average
annual pay ... is $X a year ... approximately $Y an hour ... $Z/week or $W/month", "top
earners (90th percentile)"), the percentile table (Top Earners, 75th Percentile, Average,
25th Percentile by Annual Salary / Monthly Pay / Weekly Pay / Hourly Wage) and the "Highest
Paying Cities" table. Figures are fixed so tests can assert them exactly.
"""

from __future__ import annotations

import html

from aiohttp import web

from sandbox.generator import Market

ROLE_PATH = "/Salaries/Cyber-Security-Manager-Salary"

# Annual figures (plausible for 2026); the other periods are derived the way ZipRecruiter
# derives them (2,080 hours, 52 weeks, 12 months), rounded as the page shows them.
PERCENTILE_ROWS = [
    ("Top Earners", 201_500),
    ("75th Percentile", 176_000),
    ("Average", 152_340),
    ("25th Percentile", 128_500),
]
CITIES = [
    ("San Francisco, CA", 201_089),
    ("Berkeley, CA", 193_470),
    ("New York City, NY", 186_400),
    ("Seattle, WA", 178_950),
    ("Arlington, VA", 169_900),
]


def _cells(annual: int) -> list[str]:
    return [
        f"${annual:,}",
        f"${annual // 12:,}",
        f"${annual // 52:,}",
        f"${annual / 2080:,.2f}",
    ]


def _table_rows(rows: list[tuple[str, int]], head_tag: str) -> str:
    out = []
    for label, annual in rows:
        cells = "".join(f"<td>{c}</td>" for c in _cells(annual))
        out.append(f"<tr><{head_tag}>{html.escape(label)}</{head_tag}>{cells}</tr>")
    return "\n".join(out)


def salary_page(role_title: str = "Cyber Security Manager") -> str:
    title = html.escape(role_title)
    average = dict(PERCENTILE_ROWS)["Average"]
    p25, p75 = dict(PERCENTILE_ROWS)["25th Percentile"], dict(PERCENTILE_ROWS)["75th Percentile"]
    top = dict(PERCENTILE_ROWS)["Top Earners"]
    head = (
        "<thead><tr><th></th><th>Annual Salary</th><th>Monthly Pay</th>"
        "<th>Weekly Pay</th><th>Hourly Wage</th></tr></thead>"
    )
    city_head = head.replace("<th></th>", "<th>City</th>", 1)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Salary: {title} (Nov, 2026) United States</title></head>
<body>
<div class="salary_page">
<h1>{title} Salary</h1>
<section class="sal_summary">
<h2>How much does a {title} make?</h2>
<p>As of Nov 24, 2026, the average annual pay for a {title} in the United States is
${average:,} a year.</p>
<p>Just in case you need a simple salary calculator, that works out to be approximately
${average / 2080:,.2f} an hour. This is the equivalent of ${average // 52:,}/week or
${average // 12:,}/month.</p>
<p>While ZipRecruiter is seeing annual salaries as high as $238,000 and as low as $71,500,
the majority of {title} salaries currently range between ${p25:,} (25th percentile) to
${p75:,} (75th percentile) with top earners (90th percentile) making ${top:,} annually
across the United States.</p>
</section>
<section class="sal_table">
<table class="comparison_table">{head}<tbody>
{_table_rows(PERCENTILE_ROWS, "th")}
</tbody></table>
</section>
<section class="sal_cities">
<h2>What are Top 10 Highest Paying Cities for {title} Jobs</h2>
<table class="comparison_table">{city_head}<tbody>
{_table_rows(CITIES, "td")}
</tbody></table>
</section>
</div></body></html>"""


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def role_page(_request: web.Request):
        return web.Response(text=salary_page(), content_type="text/html")

    router.add_get(f"/ziprecruiter{ROLE_PATH}", role_page)


def scrapy_settings(base_url: str) -> dict:
    return {"ZIPRECRUITER_BASE_URL": f"{base_url}/ziprecruiter"}
