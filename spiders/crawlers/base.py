"""What every secjobs spider shares: a run id that names its staged feed, credentials, skipping;
and the spider every salary site's crawler is (``SalaryPagesSpider``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import scrapy

from spiders.rendering import rendering_settings


class SecjobsSpider(scrapy.Spider):
    def __init__(self, *args, run_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The staged feed and stats file are named after the run (FEEDS uses %(run_id)s).
        self.run_id = run_id or datetime.now(UTC).strftime("adhoc-%Y%m%dT%H%M%SZ")

    def credentials(self, prefix: str, *names: str) -> dict[str, str] | None:
        """``<PREFIX>_<NAME>`` settings (the sandbox sets dummies), else the environment
        variables named by ``<PREFIX>_<NAME>_ENV``. Any missing: the crawl is skipped, saying which.
        """
        found, missing = {}, []
        for name in names:
            variable = self.settings.get(f"{prefix}_{name}_ENV")
            value = self.settings.get(f"{prefix}_{name}") or (
                os.environ.get(variable) if variable else None
            )
            if value:
                found[name] = value
            else:
                missing.append(variable or f"{prefix}_{name}")
        if missing:
            self.skip(f"{' and '.join(missing)} not set")
            return None
        return found

    def skip(self, reason: str) -> None:
        """Yield nothing and say why: the run reports the source as skipped, not empty."""
        self.crawler.stats.set_value("secjobs/skipped", 1)
        self.crawler.stats.set_value("secjobs/skipped_reason", reason)

    def page_lost(self, failure):
        """Errback (set by LostPageMiddleware): a page lost on the way is a PageFailure item."""
        from spiders.middlewares import lost_page

        failure_item = lost_page(failure, self.crawler.stats)
        if failure_item is not None:
            yield failure_item


class SalaryPagesSpider(SecjobsSpider):
    """A spider that fetches each configured ``(role, path)`` salary page of one source.

    Settings (from ``spiders/sources/<name>.toml``): ``<NAME>_BASE_URL``, ``<NAME>_PAGES``
    (a list of ``{role, path}`` tables) and ``<NAME>_RENDER`` (default false): when true the
    requests go through a headless Chromium, for when a site starts rendering its figures
    client-side only. The default path needs no browser.
    """

    callback_name = "parse_salary_page"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        if settings.getbool(f"{cls.name.upper()}_RENDER"):
            settings.setdict(rendering_settings(), priority="spider")

    def rendering(self) -> bool:
        return self.settings.getbool(f"{self.name.upper()}_RENDER")

    def page_requests(self) -> Iterator[scrapy.Request]:
        prefix = self.name.upper()
        base_url = self.settings.get(f"{prefix}_BASE_URL", "").rstrip("/")
        meta = {"playwright": True} if self.rendering() else {}
        for page in self.settings.getlist(f"{prefix}_PAGES"):
            yield scrapy.Request(
                f"{base_url}{page['path']}",
                callback=getattr(self, self.callback_name),
                cb_kwargs={"role": page["role"]},
                meta=dict(meta),
            )

    async def start(self):
        for request in self.page_requests():
            yield request
