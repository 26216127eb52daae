"""Section 4, the distribution of posted pay: today's sample by seniority, metro and employer
(median, range, what a box plot draws), and the best-paid postings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.rules import ANNUAL, CLASSIFIED, P
from dashboards.sample import FamilyPay
from dashboards.sections.empty import first_reason

SENIORITY_ORDER = ("intern", "junior", "mid", "senior", "lead", "manager", "director", "executive")


@dataclass(frozen=True)
class BoxStats:
    """What a box plot draws, for a group too large to hand every value to the chart."""

    q1: float
    median: float
    q3: float
    lower_fence: float
    upper_fence: float
    outliers: tuple[float, ...]  # distinct values beyond the fences


@dataclass(frozen=True)
class GroupPay:
    """Pay of one group of postings (a metro, an employer, a seniority)."""

    label: str
    n: int
    median: float
    low: float
    high: float
    values: tuple[float, ...] = ()  # every value, sorted, up to box_values of them
    box: BoxStats | None = None  # instead of the values above that


@dataclass(frozen=True)
class Posting:
    """What the report shows of one posting."""

    source: str
    title: str
    company: str | None
    metro_code: str | None
    metro_name: str | None
    annual: float  # midpoint of the annual USD range


@dataclass(frozen=True)
class Distribution:
    pay: list[float]  # today's sample, sorted
    by_seniority: list[GroupPay]
    by_metro: list[GroupPay]
    by_employer: list[GroupPay]
    top_postings: list[Posting]


def load(session: Session, family: FamilyPay, sample: np.ndarray, box_values: int) -> Distribution:
    """``sample``: indices of today's sample in ``family``; groups of more than ``box_values``
    postings carry their box plot's figures instead of every value."""
    values = family.annual[sample]
    labels = family.labels
    by_seniority = _group_pay(values, family.seniority[sample], labels["seniority"], 20, box_values)
    rank = {name: i for i, name in enumerate(SENIORITY_ORDER)}
    return Distribution(
        pay=np.sort(values).tolist(),
        by_seniority=sorted(by_seniority, key=lambda g: (rank.get(g.label, len(rank)), g.label)),
        by_metro=_group_pay(values, family.metro[sample], labels["metro"], 10, box_values),
        by_employer=_group_pay(values, family.company[sample], labels["company"], 10, box_values),
        top_postings=_top_postings(session, family, sample),
    )


def why_empty(
    session: Session,
    postings_stored: int,
    family_postings: int,
    sample_size: int,
    include_parsed: bool,
) -> str | None:
    """Why today's sample holds no posting (``family_postings``: open security-manager
    postings, duplicates merged). The requirements section starts from it too."""
    kinds = "posted or parsed" if include_parsed else "posted"
    classified = session.scalar(select(P.id).where(CLASSIFIED).limit(1)) is not None
    return first_reason(
        (not postings_stored, "no postings stored yet"),
        (not classified, "postings are not classified by title family yet"),
        (not family_postings, "no open security-manager posting stored"),
        (not sample_size, f"no open security-manager posting has usable {kinds} annual USD pay"),
    )


def _box(ordered: np.ndarray) -> BoxStats:
    """The figures Plotly draws a box from (its default ``linear`` quartiles, whiskers to the
    last value within 1.5 IQR), and the distinct values beyond the whiskers."""
    n = len(ordered)

    def quantile(p: float) -> float:
        position = min(max(p * n - 0.5, 0), n - 1)
        low = int(position)
        high = min(low + 1, n - 1)
        return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))

    q1, median, q3 = quantile(0.25), quantile(0.5), quantile(0.75)
    iqr = q3 - q1
    inside = ordered[(ordered >= q1 - 1.5 * iqr) & (ordered <= q3 + 1.5 * iqr)]
    low = min(q1, float(inside[0])) if len(inside) else q1
    high = max(q3, float(inside[-1])) if len(inside) else q3
    outliers = np.unique(ordered[(ordered < low) | (ordered > high)])
    return BoxStats(q1, median, q3, low, high, tuple(outliers.tolist()))


def _group_pay(
    values: np.ndarray, codes: np.ndarray, labels: Sequence[str], limit: int, box_values: int
) -> list[GroupPay]:
    """Pay per group (codes of ``labels``; -1 is no group): the groups with most postings,
    then ranked by median pay (each shown with its n)."""
    grouped = codes >= 0
    codes, values = codes[grouped], values[grouped]
    if not len(codes):
        return []
    order = np.lexsort((values, codes))
    codes, values = codes[order], values[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    sizes = ends - starts
    medians = (values[starts + (sizes - 1) // 2] + values[starts + sizes // 2]) / 2
    ranked = sorted(
        zip(sizes.tolist(), medians.tolist(), range(len(starts)), strict=True),
        key=lambda g: (-g[0], -g[1], labels[codes[starts[g[2]]]]),
    )[:limit]
    rows = []
    for n, median, g in ranked:
        ordered = values[starts[g] : ends[g]]
        small = n <= box_values
        rows.append(
            GroupPay(
                labels[codes[starts[g]]],
                n,
                median,
                float(ordered[0]),
                float(ordered[-1]),
                tuple(ordered.tolist()) if small else (),
                None if small else _box(ordered),
            )
        )
    return sorted(rows, key=lambda g: (-g.median, -g.n, g.label))


def _top_postings(
    session: Session, family: FamilyPay, sample: np.ndarray, limit: int = 10
) -> list[Posting]:
    """The best-paid postings of the sample (ties by title), read back by id."""
    if not len(sample):
        return []
    annual = family.annual[sample]
    floor = np.sort(annual)[-min(limit, len(annual))]
    ids = family.ids[sample[annual >= floor]].tolist()
    columns = (P.id, P.source, P.title, P.company, P.metro_code, P.metro_name, ANNUAL)
    found: list[tuple[int, Posting]] = []
    for start in range(0, len(ids), 500):
        for id_, *values in session.execute(
            select(*columns).where(P.id.in_(ids[start : start + 500]))
        ):
            found.append((id_, Posting(*values)))
    found.sort(key=lambda f: (-f[1].annual, f[1].title, f[0]))  # ties in the order stored
    return [posting for _, posting in found[:limit]]
