"""Glassdoor: each configured role's occupation salary page (Apollo cache figures)."""

from __future__ import annotations

from spiders.crawlers.base import SalaryPagesSpider
from spiders.pages.glassdoor import GlassdoorSalaryPage


class GlassdoorSalarySpider(SalaryPagesSpider):
    name = "glassdoor"

    def parse_salary_page(self, response, page: GlassdoorSalaryPage, role: str):
        yield from page.observations(role)
