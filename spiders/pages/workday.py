"""Workday career sites' JSON API ("CXS"), the one each career site's own pages call.

``POST <host>/wday/cxs/<tenant>/<site>/jobs`` with a search text, ``offset`` and ``limit``
(at most 20) lists postings: title, ``externalPath``, location text. ``GET
<host>/wday/cxs/<tenant>/<site><externalPath>`` is one posting with its description. Workday
has no pay field: US postings state their range in the description, which the pipeline
parses (``payOrigin`` "parsed"), as for Workable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import attrs

from pipeline.sections import description_text
from pipeline.titles import classify_title
from spiders.items import HiringOrganization, JobLocation, JobPosting, PageFailure
from spiders.pages.base import SourcePage
from spiders.pages.text import remote_status

# Where the tenant's host goes in a base URL: live "https://{host}"; under the sandbox,
# which serves every tenant on one address, "http://127.0.0.1:<port>/workday/{host}".
HOST = "{host}"
LIVE_BASE_URL = f"https://{HOST}"
MAX_PAGE_SIZE = 20  # the API refuses larger pages
_WORKDAY_HOST = re.compile(r"(?P<tenant>[a-z0-9][a-z0-9-]*)\.wd\d{1,3}\.myworkdayjobs\.com")
# Shared links put the language before the site: /en-US/<site>.
_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
# remoteType as tenants name it; others ("Flex") say too little.
WORKPLACE = {"onsite": "onsite", "on-site": "onsite", "hybrid": "hybrid", "remote": "remote"}


class BadSite(ValueError):
    """A career-site URL that names no Workday tenant and site."""


@dataclass(frozen=True)
class WorkdaySite:
    """One career site: its host (``<tenant>.wd<N>.myworkdayjobs.com``), tenant and site."""

    host: str
    tenant: str
    site: str

    @property
    def identifier(self) -> str:
        """The board registry's name for it: ``<tenant>/<site>``."""
        return f"{self.tenant}/{self.site}"


@dataclass(frozen=True)
class WorkdayListing:
    """One entry of a list page: enough to decide whether its detail is worth a request."""

    title: str | None
    external_path: str


def parse_site_url(url: str, base_url: str = LIVE_BASE_URL) -> WorkdaySite:
    """The host, tenant and site of a career-site URL as board lists give it
    (``https://gdit.wd5.myworkdayjobs.com/External_Career_Site``), or of the same written
    under ``base_url`` (the sandbox's ``http://127.0.0.1:<port>/workday/<host>/<site>``).
    A ``/<language>/`` before the site and a final slash are allowed; the site is
    percent-decoded. Anything else raises ``BadSite`` saying what was expected."""
    expected = "expected https://<tenant>.wd<N>.myworkdayjobs.com/<site>"
    prefix, placeholder, suffix = base_url.partition(HOST)
    if not placeholder or suffix.strip("/"):
        raise BadSite(f"the base URL {base_url!r} has no {HOST} at its end")
    text = url.strip() if isinstance(url, str) else ""
    start = next((p for p in (prefix, "https://") if text.lower().startswith(p.lower())), None)
    if start is None:
        raise BadSite(f"not a Workday career-site URL: {url!r}; {expected}")
    rest = urlsplit("//" + text[len(start) :])
    match = _WORKDAY_HOST.fullmatch((rest.hostname or "").lower())
    if rest.port is not None or rest.username is not None or not match:
        raise BadSite(f"not a Workday host in {url!r}; {expected}")
    if rest.query or rest.fragment:
        raise BadSite(f"a career-site URL has no query or fragment: {url!r}; {expected}")
    segments = [s for s in rest.path.split("/") if s]
    if segments and _LOCALE.fullmatch(segments[0]):
        segments = segments[1:]
    if len(segments) != 1 or segments[0] in ("wday", "job"):
        raise BadSite(f"no single career site in {url!r}; {expected}")
    return WorkdaySite(host=match.group(0), tenant=match["tenant"], site=unquote(segments[0]))


def site_api_url(base_url: str, site: WorkdaySite) -> str:
    """The API root of one career site: ``<base>/wday/cxs/<tenant>/<site>``."""
    root = base_url.replace(HOST, site.host).rstrip("/")
    return f"{root}/wday/cxs/{quote(site.tenant, safe='')}/{quote(site.site, safe='')}"


def jobs_url(base_url: str, site: WorkdaySite) -> str:
    return f"{site_api_url(base_url, site)}/jobs"


def jobs_body(search: str, offset: int, limit: int = MAX_PAGE_SIZE) -> dict:
    """The list request's JSON body: no facets, one page of ``limit`` from ``offset``."""
    return {"appliedFacets": {}, "limit": limit, "offset": offset, "searchText": search}


def _path(external_path: str) -> str:
    # The API's own path, already URL-shaped; only what cannot stand in a path is encoded.
    return quote(external_path, safe="/%-._~!$&'()*+,;=:@")


def posting_url(base_url: str, site: WorkdaySite, external_path: str) -> str:
    """One posting's detail. Every search that lists a posting gives the same URL, so Scrapy's
    duplicate filter requests it once."""
    return site_api_url(base_url, site) + _path(external_path)


def careers_url(site: WorkdaySite, external_path: str) -> str:
    """The posting's public page on the live career site."""
    return f"https://{site.host}/{quote(site.site, safe='')}{_path(external_path)}"


def title_family(title: str | None) -> str:
    """The title's family (pipeline/titles.py): whether the posting's detail is worth a request."""
    return classify_title(title).family


def next_offset(offset: int, listed: int, first_total: int | None, limit: int) -> int | None:
    """Where the next list page starts, or None after the last.

    Workday states the total on the first page only (later pages read 0), so the first
    page's total is what counts. An empty page ends the list whatever the total said; with
    no total to go by, a short page does."""
    if listed <= 0:
        return None
    following = offset + listed
    if first_total:
        return following if following < first_total else None
    return following if listed >= limit else None


def location_texts(info: dict) -> list[str]:
    """The posting's locations; the country is added to the first when it does not say it,
    so "Belfast" reads "Belfast, United Kingdom"."""
    first = info.get("location")
    country = info.get("country")
    country = country.get("descriptor") if isinstance(country, dict) else None
    places = []
    if isinstance(first, str) and first.strip():
        first = first.strip()
        if isinstance(country, str) and country and country.lower() not in first.lower():
            first = f"{first}, {country}"
        places.append(first)
    extra = info.get("additionalLocations")
    for place in extra if isinstance(extra, list) else []:
        if isinstance(place, str) and place.strip():
            places.append(place.strip())
    return places


def parse_posting(data: dict, site: WorkdaySite, external_path: str) -> JobPosting:
    """One detail answer: ``jobPostingInfo`` and ``hiringOrganization``."""
    info = data["jobPostingInfo"]
    description_html = info.get("jobDescription") or ""
    places = location_texts(info)
    organization = data.get("hiringOrganization") or {}
    company = organization.get("name") if isinstance(organization, dict) else None
    requisition = info.get("jobReqId") or info.get("jobPostingId") or info.get("id")
    workplace = WORKPLACE.get(str(info.get("remoteType") or "").lower())
    started = info.get("startDate")
    return JobPosting(
        url=info.get("externalUrl") or careers_url(site, external_path),
        # Requisition ids are the tenant's own ("R12345" at many employers).
        jobPostingId=f"{site.tenant}:{requisition}" if requisition else None,
        jobTitle=info.get("title"),
        datePublished=started,
        datePublishedRaw=started,
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=info.get("timeType"),
        remoteStatus=workplace or remote_status(*places, info.get("title")),
        jobLocation=[JobLocation(raw=place) for place in places],
        hiringOrganization=HiringOrganization(name=company or site.tenant, nameRaw=company),
        # Pay is in the description only: the pipeline parses it from there.
        baseSalary=None,
        payOrigin=None,
    )


@attrs.define
class WorkdayListPage(SourcePage):
    """One page of a career site's search results."""

    def listings(self) -> list[WorkdayListing | PageFailure]:
        found: list[WorkdayListing | PageFailure] = []
        for entry in self.json_records(path=("jobPostings",), id_field="externalPath"):
            if isinstance(entry, PageFailure):
                found.append(entry)
            elif not str(entry["externalPath"]).startswith("/"):
                found.append(self.failure("malformed_job", repr(entry)[:200]))
            else:
                title = entry.get("title")
                found.append(
                    WorkdayListing(
                        title=title if isinstance(title, str) else None,
                        external_path=str(entry["externalPath"]),
                    )
                )
        return found

    def count(self) -> int:
        """How many postings this page holds (none: the list has ended)."""
        data = self.json_body()  # a PageFailure when unreadable: not a dict below
        postings = data.get("jobPostings") if isinstance(data, dict) else None
        return len(postings) if isinstance(postings, list) else 0

    def total(self) -> int | None:
        """The total the page states; true on the first page only."""
        data = self.json_body()
        total = data.get("total") if isinstance(data, dict) else None
        return total if isinstance(total, int) and not isinstance(total, bool) else None


@attrs.define
class WorkdayPostingPage(SourcePage):
    """One posting's detail."""

    def posting(self, site: WorkdaySite, external_path: str) -> JobPosting | PageFailure:
        data = self.json_body()
        if isinstance(data, PageFailure):
            return data
        info = data.get("jobPostingInfo") if isinstance(data, dict) else None
        if not isinstance(info, dict) or not info.get("title"):
            return self.failure("layout_changed", "no jobPostingInfo with a title")
        return parse_posting(data, site, external_path)
