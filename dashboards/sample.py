"""The pay sample: security-manager postings with usable pay, read once into NumPy arrays.

Postings are counted, grouped and sorted in SQL. Only security-manager postings with usable
pay (open or closed) are read one by one, from ix_job_posting_report_family, and shared by
every section that computes a statistic of pay (article vs today, premium, trend,
distribution): the report of a million stored postings holds a few megabytes of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Integer, String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from dashboards.columns import Codes, read_columns
from dashboards.rules import (
    ANNUAL,
    FAMILY_OPEN,
    IN_SF,
    IN_US,
    OPEN,
    SECURITY_MANAGER,
    P,
    first_ids_of_clusters,
    usable_pay,
)


@dataclass
class FamilyPay:
    """Security-manager postings with usable pay, open or closed, in the order stored."""

    annual: np.ndarray  # annual USD, midpoint of the range
    open: np.ndarray  # bool
    first_of_cluster: np.ndarray  # bool: stays when open duplicates are merged
    in_us: np.ndarray  # bool
    in_sf: np.ndarray  # bool: the San Francisco metro
    first_seen: np.ndarray  # datetime64[us], naive UTC
    closed_at: np.ndarray  # datetime64[us], NaT while open
    ids: np.ndarray
    cluster: np.ndarray  # codes of cluster_id
    seniority: np.ndarray  # codes; labels in ``labels``
    company: np.ndarray
    metro: np.ndarray  # codes of the metro's name, else its CBSA code
    labels: dict[str, list[str]]

    def sample(self) -> np.ndarray:
        """Indices of today's sample: open, duplicates merged."""
        return np.flatnonzero(self.open & self.first_of_cluster)

    def us_pay(self, rows: np.ndarray) -> np.ndarray:
        return self.annual[rows[self.in_us[rows]]]

    def sf_pay(self, rows: np.ndarray) -> np.ndarray:
        return self.annual[rows[self.in_sf[rows]]]


def read_family_pay(session: Session, origins: frozenset[str]) -> FamilyPay:
    family = and_(SECURITY_MANAGER, usable_pay(origins))
    codes = {key: Codes() for key in ("cluster", "seniority", "company", "metro")}
    # Every column here is in ix_job_posting_report_family, so the database reads the index
    # alone. Not ordered by id: NumPy sorts them.
    columns = read_columns(
        session,
        select(
            P.id,
            ANNUAL,
            type_coerce(OPEN, Integer),  # flags as integers: no conversion per value
            type_coerce(IN_US, Integer),
            type_coerce(IN_SF, Integer),
            type_coerce(P.first_seen, String),  # see columns.datetimes
            type_coerce(P.closed_at, String),
            P.cluster_id,
            P.seniority,
            func.coalesce(func.nullif(P.metro_name, ""), P.metro_code),
        ).where(family),
        (np.int64, float, bool, bool, bool, "datetime", "datetime")
        + (codes["cluster"], codes["seniority"], codes["metro"]),
    )
    stored = np.argsort(columns[0], kind="stable")  # in the order stored (by id)
    ids, annual, open_, in_us, in_sf, first_seen, closed_at, cluster, seniority, metro = (
        column[stored] for column in columns
    )
    # Employers (scraped text of any length, kept out of the index) of the open ones.
    company_ids, company_codes = read_columns(
        session,
        select(P.id, P.company).where(family, OPEN),
        (np.int64, codes["company"]),
    )
    company = np.full(len(ids), codes["company"].missing, dtype=np.int64)
    at = np.searchsorted(ids, company_ids)
    found = at < len(ids)  # a posting stored between the two queries is left out
    found[found] = ids[at[found]] == company_ids[found]
    company[at[found]] = company_codes[found]
    labels = {}
    cluster, labels["cluster"] = codes["cluster"].finish(cluster)
    seniority, labels["seniority"] = codes["seniority"].finish(seniority)
    company, labels["company"] = codes["company"].finish(company)
    metro, labels["metro"] = codes["metro"].finish(metro)
    # Which open postings stay when duplicates are merged: the first of each cluster among
    # all open security-manager postings, with or without usable pay (rules.first_of_cluster).
    (firsts,) = read_columns(session, first_ids_of_clusters(FAMILY_OPEN), (np.int64,))
    first_of_cluster = (cluster < 0) | np.isin(ids, firsts)
    return FamilyPay(
        annual,
        open_,
        first_of_cluster,
        in_us,
        in_sf,
        first_seen,
        closed_at,
        ids,
        cluster,
        seniority,
        company,
        metro,
        labels,
    )
