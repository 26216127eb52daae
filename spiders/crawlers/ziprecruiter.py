"""ZipRecruiter: each configured role's salary page (percentiles per period, cities)."""

from __future__ import annotations

from spiders.crawlers.base import SalaryPagesSpider
from spiders.pages.ziprecruiter import ZipRecruiterSalaryPage


class ZipRecruiterSalarySpider(SalaryPagesSpider):
    name = "ziprecruiter"

    def parse_salary_page(self, response, page: ZipRecruiterSalaryPage, role: str):
        yield from page.observations(role)
