"""BLS OEWS: annual wages of the configured occupations and areas, from API v2 and flat files.

What to ask for lives in ``spiders/sources/bls_oews.toml``. The optional API key comes from the
environment variable named there; BLS's usage policy wants a User-Agent with a contact, so the
e-mail address in the variable named by ``contact_env`` is added to the project's USER_AGENT.
"""

from __future__ import annotations

import json
import os
from datetime import date

import scrapy
from scrapy.http import JsonRequest

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.bls import (
    api_batches,
    api_payload,
    api_url,
    has_contact,
    user_agent_with_contact,
    year_range,
)
from spiders.pages.bls_oews import (
    OewsApiPage,
    OewsArea,
    OewsFilePage,
    oews_file_url,
    oews_series_ids,
    top_codes_from_config,
)


def _env(settings, name: str) -> str | None:
    variable = settings.get(name)
    return os.environ.get(variable) or None if variable else None


def _config_list(settings, name: str) -> list:
    value = settings.get(name) or []
    if isinstance(value, str):  # -s BLS_OEWS_AREAS='[{...}]'
        value = json.loads(value) if value.lstrip().startswith(("[", "{")) else value.split(",")
    return list(value)


class BlsSpider(SecjobsSpider):
    """What the BLS spiders share: a User-Agent with a contact, or no crawl at all."""

    prefix = ""  # the spider's settings prefix, e.g. "BLS_OEWS"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        contact = _env(settings, f"{cls.prefix}_CONTACT_ENV")
        if contact:
            agent = user_agent_with_contact(settings.get("USER_AGENT"), contact)
            settings.set("USER_AGENT", agent, priority="spider")

    def _anonymous(self) -> bool:
        if has_contact(self.settings.get("USER_AGENT")):
            return False
        self.skip("USER_AGENT names no contact; BLS blocks anonymous clients")
        return True


class BlsOewsSpider(BlsSpider):
    name = "bls_oews"
    prefix = "BLS_OEWS"

    async def start(self):
        settings = self.settings
        if self._anonymous():
            return
        self.areas = [OewsArea.from_config(a) for a in _config_list(settings, "BLS_OEWS_AREAS")]
        self.occupations = [str(o).strip() for o in _config_list(settings, "BLS_OEWS_OCCUPATIONS")]
        self.top_codes = top_codes_from_config(settings.getdict("BLS_OEWS_TOP_CODE_ANNUAL"))
        routes = settings.getlist("BLS_OEWS_ROUTES")
        if "api" in routes:
            for request in self._api_requests():
                yield request
        if "file" in routes:
            base = settings.get("BLS_OEWS_FILES_BASE")
            for year in settings.getlist("BLS_OEWS_FILE_YEARS"):
                for kind in settings.getlist("BLS_OEWS_FILE_KINDS"):
                    yield scrapy.Request(
                        oews_file_url(base, int(year), kind),
                        callback=self.parse_file,
                        cb_kwargs={"year": int(year)},
                    )

    def _api_requests(self):
        settings = self.settings
        key = _env(settings, "BLS_OEWS_API_KEY_ENV")
        start, end = year_range(
            settings.getint("BLS_OEWS_API_START_YEAR"),
            settings.getint("BLS_OEWS_API_END_YEAR"),
            date.today().year,
            settings.getint("BLS_OEWS_API_YEARS", 3),
        )
        series = oews_series_ids(self.areas, self.occupations)
        url = api_url(settings.get("BLS_OEWS_API_BASE"))
        for batch, first, last in api_batches(series, start, end, registered=bool(key)):
            yield JsonRequest(
                url,
                data=api_payload(batch, first, last, key),
                callback=self.parse_api,
                dont_filter=True,
            )

    def parse_api(self, response, page: OewsApiPage):
        yield from page.observations(self.areas, self.top_codes)

    def parse_file(self, response, page: OewsFilePage, year: int):
        yield from page.observations(self.occupations, self.areas, year, self.top_codes)
