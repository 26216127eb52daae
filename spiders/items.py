"""Item types, mirroring zyte-common-items' ``JobPosting`` field names.

Raw text is kept beside every normalized value (``baseSalary.raw`` beside
``valueMin``/``valueMax``), so the pipeline can re-clean without re-crawling.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BaseSalary:
    raw: str | None = None
    valueMin: float | None = None
    valueMax: float | None = None
    rateType: str | None = None  # as published: "YEAR", "HOUR", "annual"...
    currency: str | None = None  # ISO 4217 when the source states it
    currencyRaw: str | None = None


@dataclass
class JobLocation:
    raw: str | None = None


@dataclass
class HiringOrganization:
    name: str | None = None
    nameRaw: str | None = None
    # schema.org parentOrganization: the department a federal agency belongs to. Other boards
    # may name either one, so duplicate merging compares both.
    parentName: str | None = None


# Where a posting's pay came from: a structured pay field, the description text,
# or a platform's estimate. Reports exclude estimates by default.
PAY_POSTED = "posted"
PAY_PARSED = "parsed"
PAY_ESTIMATE = "estimate"


@dataclass
class JobPosting:
    url: str
    jobPostingId: str | None = None
    jobTitle: str | None = None
    datePublished: str | None = None
    datePublishedRaw: str | None = None
    dateModified: str | None = None
    description: str | None = None
    descriptionHtml: str | None = None
    employmentType: str | None = None
    remoteStatus: str | None = None  # "remote" | "hybrid" | "onsite" when stated
    jobLocation: list[JobLocation] = field(default_factory=list)
    hiringOrganization: HiringOrganization | None = None
    baseSalary: BaseSalary | None = None
    payOrigin: str | None = None
    # The employer's board on an ATS it was listed on, as the ATS spells it: set by the
    # board spider that asked that board (spiders/crawlers/base.py), not by page objects.
    board: str | None = None
    # Filled by the item pipeline, not by page objects.
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "job_posting"


@dataclass
class PageFailure:
    """A response that could not be parsed: staged so it can be quarantined with its reason."""

    url: str
    reason: str
    detail: str = ""
    snippet: str = ""
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "page_failure"


@dataclass
class BoardCheck:
    """What crawling one employer's board on an ATS showed (pipeline.boards.Outcome): it
    listed jobs, answered with none, is unknown to the ATS, asked us to wait, or failed."""

    url: str
    ats: str
    board: str  # the identifier, as the ATS spells it
    outcome: str  # jobs | none | unknown | limited | error
    openPostings: int | None = None
    securityPostings: int | None = None  # security managers and leaders among them
    detail: str | None = None  # "404", "Retry-After 7200 s", "HTML instead of JSON"
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "board_check"


@dataclass
class BoardListing:
    """A board's listing by its digest (the response's bytes under the parsing code's key,
    spiders/crawlers/base.py). Either read whole, with every record it led to staged in
    this crawl (``unchangedSince`` None: the next crawl may skip it if it is the same), or
    the same as what run ``unchangedSince`` stored, so neither read nor followed again
    (pipeline.boards.record_listings)."""

    url: str
    ats: str
    board: str  # the identifier, as the ATS spells it
    digest: str
    unchangedSince: str | None = None  # the run whose postings of the board are current
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "board_listing"


@dataclass
class BoardLink:
    """A link to an employer's board on an ATS, found in a page a crawl fetched: the board
    registry adds it as ``discovered`` (pipeline.boards)."""

    url: str  # the page it was found in
    ats: str
    board: str  # the identifier, as the ATS spells it
    careersUrl: str | None = None
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "board_link"


@dataclass
class SalaryFigure:
    """One figure read off a salary site or statistics release (Comparably, BLS OEWS...).

    Staged as ``kind = "salary_observation"``; the store keeps it as a
    ``pipeline.models.SalaryObservation`` row.

    ``metric``: average | median | p10 | p25 | p75 | p90 | low | high | ...
    ``qualifier``: ">=" when the published figure is a floor (BLS top-coded ``#`` values).
    """

    url: str
    roleQuery: str  # the role searched or the SOC code, e.g. "cybersecurity manager", "11-3021"
    geography: str  # "US" or a place, e.g. "San Francisco, CA"
    metric: str
    value: float | None
    currency: str | None = "USD"
    period: str | None = "year"
    sampleSize: int | None = None
    isEstimate: bool = False
    qualifier: str | None = None
    raw: str | None = None  # the snippet the figure was read from
    observedOn: str | None = None  # ISO date the figure refers to, when not the crawl day
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "salary_observation"


@dataclass
class PriceIndexObservation:
    """One month of a price index series (BLS CPI-U ``CUUR0000SA0``)."""

    url: str
    seriesId: str
    period: str  # "YYYY-MM"
    value: float | None
    raw: str | None = None
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "price_index"


@dataclass
class FxRateObservation:
    """An exchange rate: USD per one unit of ``currency`` on ``date`` (from ECB reference rates)."""

    url: str
    currency: str
    date: str  # ISO date
    usdPerUnit: float | None
    raw: str | None = None
    source: str | None = None
    crawlRunId: str | None = None
    origin: str | None = None  # sandbox | live: the host it was read from (spiders/origin.py)
    scrapedAt: str | None = None
    kind: str = "fx_rate"
