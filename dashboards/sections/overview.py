"""The figures above the sections: the run the report is of, and the median pay of every open
posting with usable pay, whatever its role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from dashboards.rules import ANNUAL, OPEN, usable_pay
from pipeline.models import PipelineRun


@dataclass(frozen=True)
class Overview:
    run_id: str | None  # the latest run
    run_started: datetime | None
    median_annual_usd: float | None


def load(
    session: Session, runs: Sequence[PipelineRun], origins: frozenset[str], with_pay: int
) -> Overview:
    """``runs`` oldest first; ``with_pay``: how many open postings have usable pay."""
    latest = runs[-1] if runs else None
    return Overview(
        run_id=latest.run_id if latest else None,
        run_started=latest.started_at if latest else None,
        median_annual_usd=_median_pay(session, and_(OPEN, usable_pay(origins)), with_pay),
    )


def _median_pay(session: Session, where: ColumnElement[bool], n: int) -> float | None:
    """The median annual pay of the ``n`` postings matching ``where``, sorted by the database."""
    if not n:
        return None
    middle = session.scalars(
        select(ANNUAL).where(where).order_by(ANNUAL).offset((n - 1) // 2).limit(2 - n % 2)
    ).all()
    return middle[0] if n % 2 else (middle[0] + middle[1]) / 2
