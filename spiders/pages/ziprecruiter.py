"""ZipRecruiter salary pages (www.ziprecruiter.com/Salaries/<Role>-Salary).

The page's most stable layer is its two HTML tables, whose row and column labels have stayed
the same for years: the percentile table (rows "Top Earners", "75th Percentile", "Average",
"25th Percentile"; columns "Annual Salary", "Monthly Pay", "Weekly Pay", "Hourly Wage") and
the "Highest Paying Cities" table (a city per row, the same pay columns). Tables are found
by those labels, not by CSS classes.

The article's ZipRecruiter "high" is the "Top Earners" row: ZipRecruiter's own summary
sentence calls it the 90th percentile ("top earners (90th percentile) making $X annually"),
so that row is emitted twice, as ``p90`` and as ``high``. The sentence's "as high as" figure
is the largest salary seen, not a statistic, and is not emitted.
"""

from __future__ import annotations

import re

import attrs
from parsel import Selector

from spiders.items import PageFailure, SalaryFigure
from spiders.pages.base import SourcePage
from spiders.pages.salary_common import (
    LAYOUT_CHANGED,
    US,
    annual_last,
    geography,
    money,
    squash,
    text_of,
)

COLUMN_PERIODS = {
    "annual salary": "year",
    "monthly pay": "month",
    "weekly pay": "week",
    "hourly wage": "hour",
}
ROW_METRICS = {
    "top earners": ("p90", "high"),
    "90th percentile": ("p90", "high"),
    "75th percentile": ("p75",),
    "average": ("average",),
    "median": ("median",),
    "25th percentile": ("p25",),
    "10th percentile": ("p10",),
}


def _periods(table: Selector) -> list[str | None]:
    """The period of each column, from the header row's labels."""
    header = table.css("thead tr") or table.css("tr")[:1]
    if not header:
        return []
    cells = header[0].css("th, td")
    return [COLUMN_PERIODS.get(text_of(cell).lower()) for cell in cells]


def _rows(table: Selector) -> list[list[str]]:
    rows = table.css("tbody tr") or table.css("tr")[1:]
    return [[text_of(cell) for cell in row.css("th, td")] for row in rows]


@attrs.define
class ZipRecruiterSalaryPage(SourcePage):
    """One role's salary page: pay percentiles per period, and the highest-paying cities."""

    def observations(self, role: str) -> list[SalaryFigure | PageFailure]:
        url = str(self.url)
        percentiles, cities = None, None
        for table in self.css("table"):
            periods = _periods(table)
            if not any(periods):
                continue
            first_cells = {row[0].lower() for row in _rows(table) if row}
            if first_cells & ROW_METRICS.keys():
                percentiles = (table, periods)
            elif cities is None:
                cities = (table, periods)
        if percentiles is None:
            return [self.failure(LAYOUT_CHANGED, "no percentile table", self.response.text)]

        results: list[SalaryFigure | PageFailure] = []
        table, periods = percentiles
        for row in _rows(table):
            metrics = ROW_METRICS.get(row[0].lower()) if row else None
            for metric in metrics or ():
                results.extend(self._cells(url, role, US, metric, row, periods))
        if cities is not None:
            table, periods = cities
            for row in _rows(table):
                if row and re.search(r",\s*[A-Z]{2}$", row[0]):
                    results.extend(
                        self._cells(url, role, geography(row[0]), "average", row, periods)
                    )
        return annual_last(results)

    @staticmethod
    def _cells(url, role, where, metric, row, periods) -> list[SalaryFigure]:
        found = []
        for index, period in enumerate(periods):
            if period is None or index >= len(row):
                continue
            value = money(row[index])
            if value is None:
                continue
            found.append(
                SalaryFigure(
                    url=url,
                    roleQuery=role,
                    geography=where,
                    metric=metric,
                    value=value,
                    period=period,
                    raw=squash(f"{row[0]} | {row[index]} ({period})"),
                )
            )
        return found
