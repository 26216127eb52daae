"""Comparably salary pages (www.comparably.com/salaries/salaries-for-<role>).

Comparably publishes no Occupation JSON-LD or documented JSON state for its salary pages, so
the figures are read from the visible text, anchored on the sentences and labels the page
shows ("The average salary for a ... is $X", "Base Salary $L - $H", each city's row with
"N% above national average") rather than on CSS class names, which change with every build.
"""

from __future__ import annotations

import re
from string import ascii_lowercase, ascii_uppercase

import attrs

from spiders.items import PageFailure, SalaryFigure
from spiders.pages.base import SourcePage
from spiders.pages.salary_common import LAYOUT_CHANGED, US, geography, money, squash, text_of

_AVERAGE = re.compile(
    r"average (?:base )?salary for an? .+? is (?P<amount>\$[\d,.]+[kK]?)", re.IGNORECASE
)
_AMOUNT = r"\$[\d,.]+[kK]?"
_RANGE = re.compile(
    rf"(?P<label>Base Salary|Salary Range)\s*(?P<low>{_AMOUNT})\s*[-–]\s*(?P<high>{_AMOUNT})",
    re.IGNORECASE,
)
_SAMPLE = re.compile(r"based on (?P<count>[\d,]+) (?:salaries|salary reports)", re.IGNORECASE)
_VERSUS = re.compile(r"(?P<pct>\d+(?:\.\d+)?)%\s+(?P<dir>above|below)\s+national average", re.I)


def percent_versus_national(raw: str) -> float | None:
    """'46% above national average' -> 46.0, '12% below ...' -> -12.0, else None."""
    match = _VERSUS.search(raw)
    if not match:
        return None
    pct = float(match.group("pct"))
    return pct if match.group("dir").lower() == "above" else -pct


@attrs.define
class ComparablySalaryPage(SourcePage):
    """One role's salary page: the US average and base range, and the figures per city."""

    def observations(self, role: str) -> list[SalaryFigure | PageFailure]:
        url = str(self.url)
        # The headline block: the smallest element whose text states the national average.
        headline = None
        lowered = f"translate(normalize-space(.), '{ascii_uppercase}', '{ascii_lowercase}')"
        candidates = self.xpath(
            "//body//*[self::p or self::div or self::section or self::h2 or self::span]"
            f"[contains({lowered}, 'average salary for')"
            f" or contains({lowered}, 'average base salary for')]"
        )
        for node in candidates:
            text = text_of(node)
            if _AVERAGE.search(text) and (headline is None or len(text) < len(headline)):
                headline = text
        if headline is None:
            return [
                self.failure(LAYOUT_CHANGED, "no national average sentence", self.response.text)
            ]
        average = _AVERAGE.search(headline)
        summary = self._summary_text()
        sample = _SAMPLE.search(summary)
        sample_size = int(sample.group("count").replace(",", "")) if sample else None

        def obs(metric: str, value: float | None, raw: str, where: str = US):
            return SalaryFigure(
                url=url,
                roleQuery=role,
                geography=where,
                metric=metric,
                value=value,
                sampleSize=sample_size if where == US else None,
                raw=raw,
            )

        results: list[SalaryFigure | PageFailure] = [
            obs("average", money(average.group("amount")), headline)
        ]
        salary_range = _RANGE.search(summary)
        if salary_range:
            raw = squash(salary_range.group(0))
            results.append(obs("low", money(salary_range.group("low")), raw))
            results.append(obs("high", money(salary_range.group("high")), raw))
        results.extend(
            obs("average", value, raw, where) for where, value, raw in self.city_figures()
        )
        return results

    def _summary_text(self) -> str:
        """The text before the per-city section, where the range and sample size live."""
        text = squash(" ".join(self.css("body ::text").getall()))
        cut = re.search(r"salaries by (?:city|location)", text, re.IGNORECASE)
        return text[: cut.start()] if cut else text

    def city_figures(self) -> list[tuple[str, float, str]]:
        """(place, average, row text) for each row that compares a city to the national average."""
        figures = []
        for row in self.css("tr, li"):
            raw = text_of(row)
            if not _VERSUS.search(raw):
                continue
            place = squash(" ".join(row.css("a::text, th::text, td:first-child::text").getall()))
            amount = re.search(r"\$[\d,.]+[kK]?", raw)
            if place and amount:
                figures.append((geography(place), money(amount.group(0)), raw))
        return figures
