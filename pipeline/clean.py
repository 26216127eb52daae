"""Route staged records to their cleaner by kind; whatever cannot be cleaned is quarantined."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import fx
from pipeline.boards import clean_board_check, clean_board_link, clean_board_listing
from pipeline.observations import clean_fx_rate, clean_observation, clean_price_index
from pipeline.postings import Rejected, clean_posting, fingerprint, stable_payload
from pipeline.staging import BadLine

CLEANERS: dict[str, Callable[[dict], dict[str, Any]]] = {
    "job_posting": clean_posting,
    "salary_observation": clean_observation,
    "price_index": clean_price_index,
    "fx_rate": clean_fx_rate,
    "board_check": clean_board_check,
    "board_link": clean_board_link,
    "board_listing": clean_board_listing,
}


KINDS = (
    "postings",
    "observations",
    "price_index",
    "fx_rates",
    "quarantined",
    "board_checks",
    "board_links",
    "board_listings",
)


@dataclass
class Cleaned:
    postings: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    price_index: list[dict[str, Any]] = field(default_factory=list)
    fx_rates: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    board_checks: list[dict[str, Any]] = field(default_factory=list)
    board_links: list[dict[str, Any]] = field(default_factory=list)
    board_listings: list[dict[str, Any]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    # Records per origin their crawl stamped (pipeline.origin; None: a feed from before).
    origins: Counter = field(default_factory=Counter)

    def extend(self, other: Cleaned) -> None:
        """Append ``other``'s rows and reasons after this one's."""
        for kind in KINDS:
            getattr(self, kind).extend(getattr(other, kind))
        self.reasons.update(other.reasons)
        self.origins.update(other.origins)

    def rows(self, kind: str) -> list[dict[str, Any]]:
        return {
            "job_posting": self.postings,
            "salary_observation": self.observations,
            "price_index": self.price_index,
            "fx_rate": self.fx_rates,
            "board_check": self.board_checks,
            "board_link": self.board_links,
            "board_listing": self.board_listings,
        }[kind]


def _quarantine_row(
    source: str, stage: str, reason: str, detail: str, payload: str, key: str
) -> dict[str, Any]:
    return {
        "source": source,
        "stage": stage,
        "reason": reason[:128],
        "detail": detail,
        "payload": payload,
        "fingerprint": key,
    }


def clean_records(
    records: Iterable[dict | BadLine], known_rates: Iterable[fx.Rate] = ()
) -> Cleaned:
    """Clean every record; exchange rates first, so this run's rates convert this run's pay.

    ``known_rates``: rates stored by earlier runs (the ``fx_rate`` table), used beside the
    bundled ``pipeline/data/fx_rates.csv``.
    """
    records = list(records)
    out = Cleaned()
    rates = [is_rate(r) for r in records]
    for record, rate in zip(records, rates, strict=True):
        if rate:
            clean_one(record, out, None)
    table = fx.RateTable(rates_for_pay(known_rates, out.fx_rates))
    for record, rate in zip(records, rates, strict=True):
        if not rate:
            clean_one(record, out, table)
    return out


def rates_for_pay(known_rates: Iterable[fx.Rate], cleaned_rates: list[dict]) -> list[fx.Rate]:
    """The rates pay is converted with: bundled, stored by earlier runs, and this run's."""
    return [
        *fx.read_rates(),
        *known_rates,
        *(
            fx.Rate(r["currency"], r["rate_date"], r["usd_per_unit"], r["source"])
            for r in cleaned_rates
        ),
    ]


def is_rate(record: dict | BadLine) -> bool:
    return isinstance(record, dict) and record.get("kind") == "fx_rate"


def clean_one(record: dict | BadLine, out: Cleaned, table: fx.RateTable | None) -> None:
    if isinstance(record, BadLine):
        reason = record.reason.split(":")[0]
        key = hashlib.sha256(record.text.encode()).hexdigest()
        out.quarantined.append(
            _quarantine_row(
                Path(record.path).parent.name, "load", reason, record.reason, record.text, key
            )
        )
        out.reasons[reason] += 1
        return
    out.origins[record.get("origin")] += 1
    kind = record.get("kind")
    kind = kind if kind in CLEANERS else "job_posting"  # clean_posting rejects unknown kinds
    try:
        if kind == "job_posting":  # nearly every record: no lookup
            out.postings.append(clean_posting(record, table))
        else:
            out.rows(kind).append(CLEANERS[kind](record))
    except Rejected as rejected:
        stage = "crawl" if rejected.reason.startswith("page_failure") else "clean"
        out.quarantined.append(
            _quarantine_row(
                str(record.get("source") or "unknown"),
                stage,
                rejected.reason,
                rejected.detail,
                stable_payload(record),
                fingerprint(record),
            )
        )
        out.reasons[rejected.reason] += 1
