"""Comparably: each configured role's salary page (national average, range, cities)."""

from __future__ import annotations

from spiders.crawlers.base import SalaryPagesSpider
from spiders.pages.comparably import ComparablySalaryPage


class ComparablySalarySpider(SalaryPagesSpider):
    name = "comparably"

    def parse_salary_page(self, response, page: ComparablySalaryPage, role: str):
        yield from page.observations(role)
