"""Comparably salary pages under /comparably: a generated page in the live page's layout.

No recorded Comparably page exists. The generated page follows the public page's structure:
a headline sentence with the national average, a "Base Salary" and "Total Comp" range with
the number of salaries it rests on, and a "Salaries by City" table whose rows compare each
city with the national average. Figures are fixed so tests can assert them exactly.
"""

from __future__ import annotations

import html

from aiohttp import web

from sandbox.generator import Market

ROLE_PATH = "/salaries/salaries-for-cybersecurity-manager"

# Plausible 2026 figures for a cybersecurity manager (fixed, not seeded).
NATIONAL_AVERAGE = 148_250
BASE_RANGE = (104_000, 212_000)
TOTAL_COMP_RANGE = (109_500, 236_800)
SALARY_COUNT = 1_214
# (city, average, percent versus the national average as the page rounds it)
CITIES = [
    ("San Francisco, CA", 207_550, "40% above"),
    ("New York, NY", 185_300, "25% above"),
    ("Seattle, WA", 177_900, "20% above"),
    ("Austin, TX", 151_200, "2% above"),
    ("Columbus, OH", 133_400, "10% below"),
]


def _usd(value: int) -> str:
    return f"${value:,}"


def salary_page(role_title: str = "Cybersecurity Manager") -> str:
    title = html.escape(role_title)
    rows = "\n".join(
        f'<tr class="cityRow"><td class="cityRow-name"><a href="/salaries/'
        f'{html.escape(city.split(",")[0].lower().replace(" ", "-"))}">{html.escape(city)}</a></td>'
        f'<td class="cityRow-salary">{_usd(avg)}</td>'
        f'<td class="cityRow-diff">{diff} national average</td></tr>'
        for city, avg, diff in CITIES
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} Salary | Comparably</title></head>
<body>
<header class="siteHeader"><a href="/">Comparably</a></header>
<main>
<section class="salaryHero">
  <h1>{title} Salary</h1>
  <p class="salaryHero-summary">The average salary for a {title} is
  {_usd(NATIONAL_AVERAGE)} in 2026</p>
  <div class="salaryHero-ranges">
    <div class="range range--base"><span class="range-label">Base Salary</span>
      <span class="range-low">{_usd(BASE_RANGE[0])}</span> -
      <span class="range-high">{_usd(BASE_RANGE[1])}</span></div>
    <div class="range range--total"><span class="range-label">Total Comp</span>
      <span class="range-low">{_usd(TOTAL_COMP_RANGE[0])}</span> -
      <span class="range-high">{_usd(TOTAL_COMP_RANGE[1])}</span></div>
  </div>
  <p class="salaryHero-source">Based on {SALARY_COUNT:,} salaries reported by employees.</p>
</section>
<section class="citySalaries">
  <h2>{title} Salaries by City</h2>
  <table><thead><tr><th>City</th><th>Average Salary</th><th>vs. National</th></tr></thead>
  <tbody>
{rows}
  </tbody></table>
</section>
</main></body></html>"""


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def role_page(_request: web.Request):
        return web.Response(text=salary_page(), content_type="text/html")

    router.add_get(f"/comparably{ROLE_PATH}", role_page)


def scrapy_settings(base_url: str) -> dict:
    return {"COMPARABLY_BASE_URL": f"{base_url}/comparably"}
