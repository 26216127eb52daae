"""Section 5, what employers ask for: the requirements of the open security-manager postings,
duplicates merged (the shares themselves: ``dashboards.requirements``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from dashboards.requirements import RequirementsSummary, summarize_counted
from dashboards.rules import FAMILY_OPEN, FIRST_OF_FAMILY_CLUSTER, P
from dashboards.sections.empty import first_reason


@dataclass(frozen=True)
class Requirements:
    family_postings: int  # open security-manager postings, duplicates merged
    summary: RequirementsSummary | None


def load(session: Session) -> Requirements:
    """Each distinct stored requirements document is read once, with the number of postings
    that have it."""
    document = cast(P.requirements, Text)  # JSON has no equality in PostgreSQL; its text has
    rows = session.execute(
        select(document, func.count())
        .where(FAMILY_OPEN, FIRST_OF_FAMILY_CLUSTER)
        .group_by(document)
    ).all()
    postings = sum(n for _, n in rows)
    if not postings:
        return Requirements(0, None)
    documents = ((None if text is None else json.loads(text), n) for text, n in rows)
    return Requirements(postings, summarize_counted(documents))


def why_empty(requirements: Requirements, postings_reason: str | None) -> str | None:
    """``postings_reason``: why the distribution section is empty."""
    summary = requirements.summary
    return first_reason(
        (
            not requirements.family_postings,
            postings_reason or "no open security-manager posting stored",
        ),
        (
            summary is not None and not summary.analysed,
            "requirements have not been extracted from these postings yet",
        ),
    )
