"""Route staged records to their cleaner by kind; whatever cannot be cleaned is quarantined."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.observations import clean_observation, clean_price_index
from pipeline.postings import Rejected, clean_posting, fingerprint, stable_payload
from pipeline.staging import BadLine

CLEANERS: dict[str, Callable[[dict], dict[str, Any]]] = {
    "job_posting": clean_posting,
    "salary_observation": clean_observation,
    "price_index": clean_price_index,
}


@dataclass
class Cleaned:
    postings: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    price_index: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    def rows(self, kind: str) -> list[dict[str, Any]]:
        return {
            "job_posting": self.postings,
            "salary_observation": self.observations,
            "price_index": self.price_index,
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


def clean_records(records: Iterable[dict | BadLine]) -> Cleaned:
    out = Cleaned()
    for record in records:
        if isinstance(record, BadLine):
            reason = record.reason.split(":")[0]
            key = hashlib.sha256(record.text.encode()).hexdigest()
            out.quarantined.append(
                _quarantine_row(
                    Path(record.path).parent.name, "load", reason, record.reason, record.text, key
                )
            )
            out.reasons[reason] += 1
            continue
        kind = record.get("kind")
        cleaner = CLEANERS.get(kind, clean_posting)  # clean_posting rejects unknown kinds
        try:
            out.rows(kind if kind in CLEANERS else "job_posting").append(cleaner(record))
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
    return out
