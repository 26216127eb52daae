"""Read stored postings' requirements again when the extractor changes.

Each row's ``requirements`` JSON carries the ``version`` of the extractor that read it
(``pipeline.requirements.REQUIREMENTS_VERSION``); a row from an older one is read again from
its stored description, without a crawl. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from pipeline.models import JobPostingRecord as P
from pipeline.postings import json_column
from pipeline.requirements import REQUIREMENTS_VERSION, extract_requirements

BATCH = 2_000


def _stale():
    version = P.requirements["version"].as_integer()
    return P.description.is_not(None) & or_(
        P.requirements.is_(None), version.is_(None), version < REQUIREMENTS_VERSION
    )


def count_stale(session: Session) -> int:
    return session.scalar(select(func.count()).where(_stale())) or 0


def rederive_requirements(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Extract requirements again for every posting read by an older extractor; returns
    how many. ``progress`` is called with the running count after each batch."""
    done, last_id = 0, 0
    while True:
        rows = session.execute(
            select(P.id, P.description).where(_stale(), P.id > last_id).order_by(P.id).limit(BATCH)
        ).all()
        if not rows:
            return done
        session.execute(
            update(P),
            [
                {"id": id_, "requirements": json_column(extract_requirements(text).as_dict())}
                for id_, text in rows
            ],
        )
        done += len(rows)
        last_id = rows[-1].id
        if progress:
            progress(done)
