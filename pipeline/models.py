"""SQLAlchemy 2.x typed models: postings, crawl runs, quarantine, baselines, salary figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[dict[str, Any]]: JSON,
        datetime: DateTime(timezone=True),
    }


class PipelineRun(Base):
    """One run of the pipeline (crawl, clean, store, report)."""

    __tablename__ = "pipeline_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # live | sandbox (pipeline.origin): a database holds runs of one kind only.
    origin: Mapped[str] = mapped_column(String(8), default="live", server_default="live")


class SourceCrawl(Base):
    """One spider's crawl within a run, with its final Scrapy stats."""

    __tablename__ = "source_crawl"
    __table_args__ = (UniqueConstraint("run_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("pipeline_run.run_id"), index=True)
    source: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # ok | partial | blocked | failed | empty
    reason: Mapped[str | None] = mapped_column(Text)
    items: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)


class JobPostingRecord(Base):
    """A posting as one source published it; unique per (source, source_id)."""

    __tablename__ = "job_posting"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        # The report (dashboards.data) counts postings and reads security-manager pay from
        # these indexes without reading the rows, whose descriptions run to kilobytes. Scraped
        # free text (title, company) stays out: PostgreSQL refuses index entries over 2.7 kB.
        Index(
            "ix_job_posting_report_source",
            "source",
            "status",
            "pay_origin",
            "pay_flag",
            "annual_min_usd",
            "annual_max_usd",
        ),
        Index(
            "ix_job_posting_report_family",
            "title_family",
            "status",
            "cluster_id",
            "pay_origin",
            "pay_flag",
            "annual_min_usd",
            "annual_max_usd",
            "country",
            "metro_code",
            "metro_name",  # a CBSA title from pipeline/data/cbsa.csv, never scraped text
            "seniority",
            "first_seen",
            "closed_at",
            "id",  # SQLite has the row id in every index; PostgreSQL needs it named
        ),
        # A board's postings, refreshed together when its listing is unchanged.
        Index("ix_job_posting_board", "source", "board"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(512))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    company: Mapped[str | None] = mapped_column(Text)
    company_parent: Mapped[str | None] = mapped_column(Text)  # a federal agency's department
    location_raw: Mapped[str | None] = mapped_column(Text)
    remote_status: Mapped[str | None] = mapped_column(String(16))
    description: Mapped[str | None] = mapped_column(Text)
    date_posted: Mapped[date | None] = mapped_column(Date)
    pay_raw: Mapped[str | None] = mapped_column(Text)
    pay_origin: Mapped[str | None] = mapped_column(String(16))  # posted | parsed | estimate
    pay_min: Mapped[float | None] = mapped_column(Float)
    pay_max: Mapped[float | None] = mapped_column(Float)
    pay_currency: Mapped[str | None] = mapped_column(String(3))
    pay_period: Mapped[str | None] = mapped_column(String(16))  # a key of PERIODS_PER_YEAR
    annual_min_usd: Mapped[float | None] = mapped_column(Float)
    annual_max_usd: Mapped[float | None] = mapped_column(Float)
    pay_flag: Mapped[str | None] = mapped_column(String(64))  # why pay is not usable
    fx_rate_date: Mapped[date | None] = mapped_column(Date)  # rate used for annual_*_usd
    # Cleaning (pipeline.titles, .locations, .requirements, .dedupe)
    title_family: Mapped[str | None] = mapped_column(String(32), index=True)
    seniority: Mapped[str | None] = mapped_column(String(16))
    soc_code: Mapped[str | None] = mapped_column(String(8))
    city: Mapped[str | None] = mapped_column(String(128))
    state: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(64))
    metro_code: Mapped[str | None] = mapped_column(String(8), index=True)  # CBSA
    metro_name: Mapped[str | None] = mapped_column(Text)
    workplace: Mapped[str | None] = mapped_column(String(16))  # remote | hybrid | onsite
    locations: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    requirements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    cluster_id: Mapped[str | None] = mapped_column(String(64), index=True)  # dedupe group
    # The employer's board on an ATS it was listed on, as the ATS spells it (the registry's
    # ``board.identifier``); None for sources without boards.
    board: Mapped[str | None] = mapped_column(String(255))
    # Lifecycle: a posting missing from a complete crawl of its source is closed.
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    closed_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_run_id: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(8), default="live", server_default="live")


class QuarantineRecord(Base):
    """A record that could not become a posting, kept whole with the reason."""

    __tablename__ = "quarantine"
    __table_args__ = (UniqueConstraint("source", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))  # crawl | load | clean
    reason: Mapped[str] = mapped_column(String(128), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_run_id: Mapped[str | None] = mapped_column(String(64))
    times_seen: Mapped[int] = mapped_column(Integer, default=1)


class Baseline(Base):
    """A published figure the report compares live data with (the January 2022 article)."""

    __tablename__ = "baseline"
    __table_args__ = (UniqueConstraint("dataset", "source", "metric", "geography"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset: Mapped[str] = mapped_column(String(64))  # versioned file the row came from
    source: Mapped[str] = mapped_column(String(64))
    metric: Mapped[str] = mapped_column(String(32))  # average | high | ...
    geography: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    period: Mapped[str] = mapped_column(String(8))
    as_of: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    cited_in: Mapped[str | None] = mapped_column(Text)


class SalaryObservation(Base):
    """A figure read off a salary site (Comparably, ZipRecruiter, ...) on a given day."""

    __tablename__ = "salary_observation"
    __table_args__ = (
        # A site publishes the same statistic per year and per hour: period is part of the key.
        UniqueConstraint("source", "role_query", "geography", "metric", "period", "observed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    role_query: Mapped[str] = mapped_column(String(128))
    geography: Mapped[str] = mapped_column(String(64))
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    period: Mapped[str] = mapped_column(String(16))  # a key of PERIODS_PER_YEAR
    sample_size: Mapped[int | None] = mapped_column(Integer)
    observed_on: Mapped[date] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)
    is_estimate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    qualifier: Mapped[str | None] = mapped_column(String(8))  # ">=" for top-coded figures
    last_run_id: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(8), default="live", server_default="live")


class PriceIndex(Base):
    """Monthly price index values (CPI-U), to restate 2022 dollars in today's."""

    __tablename__ = "price_index"
    __table_args__ = (UniqueConstraint("series_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[str] = mapped_column(String(32))
    period: Mapped[date] = mapped_column(Date)  # first day of the month
    value: Mapped[float] = mapped_column(Float)
    source_url: Mapped[str | None] = mapped_column(Text)


class FxRate(Base):
    """Dated exchange rates: USD per one unit of ``currency`` on ``rate_date``."""

    __tablename__ = "fx_rate"
    __table_args__ = (UniqueConstraint("currency", "rate_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate_date: Mapped[date] = mapped_column(Date)
    usd_per_unit: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(128))


class StagedFeed(Base):
    """A staged JSON Lines feed whose records are stored: written in the same transaction as
    its records, so a feed without a row here (a crash mid-store) is loaded by the next run."""

    __tablename__ = "staged_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1024), unique=True)
    source: Mapped[str] = mapped_column(String(64))
    crawl_run_id: Mapped[str] = mapped_column(String(64))
    records: Mapped[int]
    stored_at: Mapped[datetime]
    stored_by_run: Mapped[str] = mapped_column(String(64))


class Board(Base):
    """An employer's job board on an applicant-tracking system (pipeline.boards): where it
    came from, and what crawling it has shown (``status``)."""

    __tablename__ = "board"
    __table_args__ = (
        UniqueConstraint("ats", "identifier"),
        Index("ix_board_ats_status", "ats", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ats: Mapped[str] = mapped_column(String(32))
    # As the ATS spells it ("hamming ai", "1840&Company", "<tenant>/<site>" on Workday);
    # URL-encoded only where it goes into a URL.
    identifier: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(Text)
    careers_url: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))  # shipped | discovered | configured
    # unchecked | active | empty | gone | deferred (pipeline.boards.next_state)
    status: Mapped[str] = mapped_column(String(16), default="unchecked")
    first_seen: Mapped[datetime]
    last_crawled: Mapped[datetime | None]
    last_with_jobs: Mapped[datetime | None]  # when it last answered with jobs
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    open_postings: Mapped[int | None] = mapped_column(Integer)
    security_postings: Mapped[int | None] = mapped_column(Integer)
    # What the last crawl said, for the operator: "404", "Retry-After 7200 s", "0 jobs".
    last_outcome: Mapped[str | None] = mapped_column(Text)
    # Where it was discovered (a posting's or page's URL), or the list it was imported from.
    found_in: Mapped[str | None] = mapped_column(Text)
    # Its listing's digest at the last crawl that read the listing whole and stored all it led
    # to, and the run whose postings of it are current: a crawl that finds the same digest
    # does not read it again (pipeline.boards.record_listings). None: read it next time.
    listing_digest: Mapped[str | None] = mapped_column(String(64))
    listing_run_id: Mapped[str | None] = mapped_column(String(64))


class BoardList(Base):
    """A list of boards loaded into the registry (a shipped file or a user's CSV), by its
    content: the shipped lists are loaded again only when they change."""

    __tablename__ = "board_list"
    __table_args__ = (UniqueConstraint("ats", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ats: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    loaded_at: Mapped[datetime]
