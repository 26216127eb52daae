"""Read stored postings again when the cleaning rules change, without a crawl.

Requirements: each row's ``requirements`` JSON carries the ``version`` of the extractor that
read it (``pipeline.requirements.REQUIREMENTS_VERSION``); a row from an older one is read
again from its stored description. Titles: every stored title is classified again
(``pipeline.titles``), and rows whose family, seniority or SOC code changed are updated, so
postings that closed before a rule changed count in the report's history as new ones do.
Pay is not read again: a row does not say whether its pay was parsed from a pay field or
from the description. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import func, or_, select, true, update
from sqlalchemy.orm import Session

from pipeline.models import JobPostingRecord as P
from pipeline.postings import json_column
from pipeline.requirements import REQUIREMENTS_VERSION, extract_requirements
from pipeline.titles import classify_title, soc_code

BATCH = 2_000


def _stale():
    version = P.requirements["version"].as_integer()
    return P.description.is_not(None) & or_(
        P.requirements.is_(None), version.is_(None), version < REQUIREMENTS_VERSION
    )


def count_stale(session: Session) -> int:
    return session.scalar(select(func.count()).where(_stale())) or 0


def _batches(session: Session, *columns, where=None) -> Iterator[list]:
    """The rows of ``columns`` (the first is ``P.id``) that fit ``where``, a batch at a time
    in id order; each batch is read after the one before was handled (and updated)."""
    last_id = 0
    where = true() if where is None else where
    while rows := session.execute(
        select(*columns).where(where, P.id > last_id).order_by(P.id).limit(BATCH)
    ).all():
        yield rows
        last_id = rows[-1].id


def rederive_requirements(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Extract requirements again for every posting read by an older extractor; returns
    how many. ``progress`` is called with the running count after each batch."""
    done = 0
    for rows in _batches(session, P.id, P.description, where=_stale()):
        session.execute(
            update(P),
            [
                {"id": id_, "requirements": json_column(extract_requirements(text))}
                for id_, text in rows
            ],
        )
        done += len(rows)
        if progress:
            progress(done)
    return done


def rederive_titles(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Classify every stored posting's title again; returns how many rows changed.
    ``progress`` is called with the running count of rows read after each batch."""
    changed = read = 0
    for rows in _batches(session, P.id, P.title, P.title_family, P.seniority, P.soc_code):
        updates = []
        for row in rows:
            found = classify_title(row.title)
            now = (found.family, found.seniority, soc_code(found.family))
            if now != (row.title_family, row.seniority, row.soc_code):
                updates.append(
                    {"id": row.id, "title_family": now[0], "seniority": now[1], "soc_code": now[2]}
                )
        if updates:
            session.execute(update(P), updates)
        changed += len(updates)
        read += len(rows)
        if progress:
            progress(read)
    return changed
