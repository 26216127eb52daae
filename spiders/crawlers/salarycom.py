"""Salary.com: each configured role and city page (Occupation JSON-LD percentiles)."""

from __future__ import annotations

from spiders.crawlers.base import SalaryPagesSpider
from spiders.pages.salarycom import SalaryComSalaryPage


class SalaryComSalarySpider(SalaryPagesSpider):
    name = "salarycom"

    def parse_salary_page(self, response, page: SalaryComSalaryPage, role: str):
        yield from page.observations(role)
