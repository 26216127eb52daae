"""Stored records that several sections of the report read, each read once per report."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboards.columns import naive_utc
from pipeline.models import PipelineRun, SalaryObservation, SourceCrawl


def salary_figures(session: Session) -> list[SalaryObservation]:
    """Every figure read off salary sites and BLS, in date order (the last is the latest)."""
    return list(
        session.scalars(
            select(SalaryObservation).order_by(SalaryObservation.observed_on, SalaryObservation.id)
        )
    )


def latest_crawls(session: Session) -> dict[str, SourceCrawl]:
    """Each source's most recent crawl."""
    newest = (
        select(SourceCrawl.source, func.max(SourceCrawl.id).label("id"))
        .group_by(SourceCrawl.source)
        .subquery()
    )
    rows = session.scalars(select(SourceCrawl).join(newest, SourceCrawl.id == newest.c.id))
    return {row.source: row for row in rows}


def runs_in_order(session: Session) -> list[PipelineRun]:
    """Every pipeline run, oldest first."""
    runs = session.scalars(select(PipelineRun))
    return sorted(runs, key=lambda r: (naive_utc(r.started_at), r.id))
