"""Comparably: each configured role's salary page (national average, range, cities)."""

from __future__ import annotations

from spiders.pages.comparably import ComparablySalaryPage
from spiders.pages.salary_common import SalaryPagesSpider


class ComparablySalarySpider(SalaryPagesSpider):
    name = "comparably"

    def parse_salary_page(self, response, page: ComparablySalaryPage, role: str):
        yield from page.observations(role)
