"""BLS CPI-U: monthly index values of the configured series, from the flat file and API v2.

What to ask for lives in ``spiders/sources/bls_cpi.toml``; the optional API key and the
contact e-mail for the User-Agent come from the environment variables named there.
"""

from __future__ import annotations

from datetime import date

import scrapy
from scrapy.http import JsonRequest

from spiders.crawlers.bls_oews import BlsSpider, _env
from spiders.pages.bls import api_batches, api_payload, api_url, year_range
from spiders.pages.bls_cpi import CpiApiPage, CpiFilePage


class BlsCpiSpider(BlsSpider):
    name = "bls_cpi"
    prefix = "BLS_CPI"

    async def start(self):
        settings = self.settings
        if self._anonymous():
            return
        self.series = [s.strip() for s in settings.getlist("BLS_CPI_SERIES")]
        routes = settings.getlist("BLS_CPI_ROUTES")
        if "file" in routes:
            yield scrapy.Request(settings.get("BLS_CPI_FILE_URL"), callback=self.parse_file)
        if "api" in routes:
            key = _env(settings, "BLS_CPI_API_KEY_ENV")
            start, end = year_range(
                settings.getint("BLS_CPI_API_START_YEAR"),
                settings.getint("BLS_CPI_API_END_YEAR"),
                date.today().year,
                3,
            )
            url = api_url(settings.get("BLS_CPI_API_BASE"))
            for batch, first, last in api_batches(self.series, start, end, registered=bool(key)):
                yield JsonRequest(
                    url,
                    data=api_payload(batch, first, last, key),
                    callback=self.parse_api,
                    cb_kwargs={"series": batch},
                    dont_filter=True,
                )

    def parse_file(self, response, page: CpiFilePage):
        yield from page.observations(self.series)

    def parse_api(self, response, page: CpiApiPage, series: list[str]):
        yield from page.observations(series)
