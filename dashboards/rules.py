"""The rules the report counts postings and figures by, each defined once.

Every section builds its queries from these SQL expressions; the in-memory path (the pay sample
read into NumPy, see ``dashboards.sample``) uses the NumPy forms below them, which apply the
same rule to arrays.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from pipeline.models import JobPostingRecord
from pipeline.postings import UNUSABLE_PAY_FLAGS

P = JobPostingRecord
FAMILY = "security_manager"  # the title family the article is about
SF_METRO = "41860"  # San Francisco-Oakland-Fremont, CA (CBSA)
SF_GEOGRAPHY = "San Francisco, CA"
US_COUNTRIES = frozenset({"US", "USA", "United States", "United States of America"})
US_GEOGRAPHIES = frozenset({"US", "USA", "U.S.", "United States", "National"})
# The order in which a source's "average"-like figure is taken for a premium.
AVERAGE_METRICS = ("average", "mean", "median")

# An open posting: not closed yet (it was seen on its source's last complete crawl).
OPEN = P.status == "open"
SECURITY_MANAGER = P.title_family == FAMILY
FAMILY_OPEN = and_(SECURITY_MANAGER, OPEN)
CLASSIFIED = and_(P.title_family.is_not(None), P.title_family != "")
PAY_FLAGGED = and_(P.pay_flag.is_not(None), P.pay_flag != "")

# In the US: cleaning may not have set the country yet; pay in annual USD is then taken as US.
IN_US = or_(P.country.is_(None), P.country.in_(sorted(US_COUNTRIES)))
IN_SF = func.coalesce(P.metro_code == SF_METRO, False)

# A posting's annual pay: the midpoint of its annual USD range, or the one end stated.
ANNUAL = case(
    (
        and_(P.annual_min_usd.is_not(None), P.annual_max_usd.is_not(None)),
        (P.annual_min_usd + P.annual_max_usd) / 2.0,
    ),
    else_=func.coalesce(P.annual_min_usd, P.annual_max_usd),
)


def pay_origins(include_parsed: bool) -> frozenset[str]:
    """The pay origins counted: what the posting states, and with ``include_parsed`` what was
    read out of its description. Platform estimates never count."""
    return frozenset({"posted", "parsed"} if include_parsed else {"posted"})


def usable_pay(origins: frozenset[str]) -> ColumnElement[bool]:
    """Pay that is averaged: annual USD, of an origin counted, not flagged unusable."""
    return and_(
        or_(P.annual_min_usd.is_not(None), P.annual_max_usd.is_not(None)),
        P.pay_origin.in_(sorted(origins)),
        or_(P.pay_flag.is_(None), P.pay_flag.not_in(sorted(UNUSABLE_PAY_FLAGS))),
    )


CLUSTERED = and_(P.cluster_id.is_not(None), P.cluster_id != "")


def first_ids_of_clusters(among: ColumnElement[bool]) -> Select:
    """The first stored (lowest id) posting of each dedupe cluster, of the postings ``among``."""
    return select(func.min(P.id)).where(among, CLUSTERED).group_by(P.cluster_id)


def first_of_cluster(among: ColumnElement[bool]) -> ColumnElement[bool]:
    """Duplicates merged: of the postings ``among`` in one cluster the first stored stays;
    postings without a cluster all stay."""
    return or_(P.cluster_id.is_(None), P.cluster_id == "", P.id.in_(first_ids_of_clusters(among)))


# Duplicates are merged among the open security-manager postings, with or without usable pay.
FIRST_OF_FAMILY_CLUSTER = first_of_cluster(FAMILY_OPEN)


def open_at(first_seen: np.ndarray, closed_at: np.ndarray, when: np.datetime64) -> np.ndarray:
    """``OPEN`` as it stood at ``when``: seen by then and not closed by then (NaT: open)."""
    return (first_seen <= when) & (np.isnat(closed_at) | (closed_at > when))


def first_of_clusters(rows: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    """``first_of_cluster`` in memory: ``rows`` (indices in the order stored) with duplicates
    merged, given each row's cluster code (-1: no cluster)."""
    codes = cluster[rows]
    keep = codes < 0
    keep[np.unique(codes, return_index=True)[1]] = True
    return rows[keep]


def is_us(geography: str) -> bool:
    """A salary figure's geography (free text) that stands for the whole US."""
    return geography in US_GEOGRAPHIES


def is_sf(geography: str) -> bool:
    """A salary figure's geography that is San Francisco (its name or its CBSA code)."""
    return geography == SF_GEOGRAPHY or "San Francisco" in geography or SF_METRO in geography
