"""ECB reference rates: pay in euros, pounds or Canadian dollars is converted at a dated rate."""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.ecb import EcbRatesPage


class EcbFxSpider(SecjobsSpider):
    name = "ecb_fx"

    async def start(self):
        url = self.settings.get("ECB_FX_BASE_URL").rstrip("/") + self.settings.get("ECB_FX_PATH")
        yield scrapy.Request(url, callback=self.parse_rates)

    def parse_rates(self, response, page: EcbRatesPage):
        yield from page.rates()
