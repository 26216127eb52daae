"""Workday career sites: each configured search on each site, page by page, then the detail
of each posting whose title is of a family worth it (a security manager's or leader's).

Every tenant is its own host. Requests name the tenant's host as their download slot, so
tenants crawl side by side under the sandbox too, where they all share one address.
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlsplit

import scrapy
from scrapy.http import JsonRequest

from spiders.crawlers.base import BoardSpider, board_values, setting_list
from spiders.items import PageFailure
from spiders.pages.workday import (
    HOST,
    MAX_PAGE_SIZE,
    BadSite,
    WorkdayListPage,
    WorkdayPostingPage,
    WorkdaySite,
    jobs_body,
    jobs_url,
    next_offset,
    parse_site_url,
    posting_url,
    title_family,
)


def configured_sites(settings) -> tuple[list[WorkdaySite], dict[str, str]]:
    """The sites (``WORKDAY_SITES`` and the run's registry boards), each once: the good
    ones, and why each bad one is."""
    base_url = settings.get("WORKDAY_BASE_URL")
    sites: dict[WorkdaySite, None] = {}  # in order, without repeats
    bad: dict[str, str] = {}
    for url in board_values(settings, "workday"):
        try:
            sites.setdefault(parse_site_url(url, base_url))
        except BadSite as error:
            bad[str(url)] = str(error)
    return list(sites), bad


class WorkdayJobsSpider(BoardSpider):
    name = "workday"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # [politeness] in workday.toml is the download slot of base_url's host, "{host}";
        # it is meant for each tenant's host, so each gets a slot of its own with its values.
        slots = settings.getdict("DOWNLOAD_SLOTS")
        template = slots.get(urlsplit(settings.get("WORKDAY_BASE_URL") or "").hostname or "")
        if not template:
            return  # the sandbox, or a base URL given with -s: the crawl's own defaults
        for site in configured_sites(settings)[0]:
            slots.setdefault(site.host, dict(template))
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    @cached_property
    def base_url(self) -> str:
        return self.settings.get("WORKDAY_BASE_URL")

    @cached_property
    def page_size(self) -> int:
        return min(self.settings.getint("WORKDAY_PAGE_SIZE", MAX_PAGE_SIZE), MAX_PAGE_SIZE)

    @cached_property
    def detail_families(self) -> frozenset[str]:
        return frozenset(setting_list(self.settings, "WORKDAY_DETAIL_FAMILIES"))

    async def start(self):
        if HOST not in (self.base_url or ""):
            self.logger.error(
                "WORKDAY_BASE_URL %r has no %s to put each host in", self.base_url, HOST
            )
            return
        sites, bad = configured_sites(self.settings)
        for url, why in bad.items():
            self.logger.warning("skipping Workday site %r: %s", url, why)
            self.crawler.stats.inc_value("secjobs/workday/bad_site")
        for site in sites:
            # First the site's whole list, one posting long: its total says whether the
            # site is alive and how many postings it has (the searches' totals are theirs).
            yield self.board_request(
                jobs_url(self.base_url, site),
                site.identifier,
                self.parse_site,
                request_class=JsonRequest,
                data=jobs_body("", 0, 1),
                cb_kwargs={"site": site},
                meta={"download_slot": site.host},
            )

    def parse_site(self, response, page: WorkdayListPage, site: WorkdaySite):
        total = page.total()
        if total is not None:
            yield self.board_checked(response.url, site.identifier, None, total)
        if not total:
            return  # nothing to search, or an answer that could not be read
        # No search at all lists every posting.
        for search in setting_list(self.settings, "WORKDAY_SEARCHES") or [""]:
            yield self._list_request(site, search, 0, None)

    def _list_request(
        self, site: WorkdaySite, search: str, offset: int, first_total: int | None
    ) -> scrapy.Request:
        return JsonRequest(
            jobs_url(self.base_url, site),
            data=jobs_body(search, offset, self.page_size),
            callback=self.parse_list,
            cb_kwargs={
                "site": site,
                "search": search,
                "offset": offset,
                "first_total": first_total,
            },
            meta={"download_slot": site.host, "secjobs_board": site.identifier},
        )

    def parse_list(
        self,
        response,
        page: WorkdayListPage,
        site: WorkdaySite,
        search: str,
        offset: int,
        first_total: int | None,
    ):
        for listing in page.listings():
            if isinstance(listing, PageFailure):
                yield listing
            elif title_family(listing.title) not in self.detail_families:
                self.crawler.stats.inc_value("secjobs/workday/skipped_by_title")
            else:
                yield scrapy.Request(
                    posting_url(self.base_url, site, listing.external_path),
                    headers={"Accept": "application/json"},
                    callback=self.parse_posting,
                    cb_kwargs={"site": site, "external_path": listing.external_path},
                    meta={
                        "download_slot": site.host,
                        "secjobs_board": site.identifier,
                    },
                )
        if offset == 0:
            first_total = page.total()  # later pages state 0
        following = next_offset(offset, page.count(), first_total, self.page_size)
        if following is not None:
            yield self._list_request(site, search, following, first_total)

    def parse_posting(
        self, response, page: WorkdayPostingPage, site: WorkdaySite, external_path: str
    ):
        yield page.posting(site, external_path)
