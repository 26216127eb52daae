"""PayScale: each configured role's salary research page (Occupation JSON-LD percentiles)."""

from __future__ import annotations

from spiders.crawlers.base import SalaryPagesSpider
from spiders.pages.payscale import PayScaleSalaryPage


class PayScaleSalarySpider(SalaryPagesSpider):
    name = "payscale"

    def parse_salary_page(self, response, page: PayScaleSalaryPage, role: str):
        yield from page.observations(role)
