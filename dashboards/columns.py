"""Query rows streamed into NumPy arrays, one per column; strings as integer codes.

A million rows held as Python objects would cost hundreds of megabytes; as arrays they cost a
few. Strings (employers, metros) become codes in the order first seen, their labels kept once.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Select
from sqlalchemy.orm import Session

# Rows fetched from the database at a time.
PARTITION_ROWS = 20_000


def naive_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes, PostgreSQL aware ones: compare both as naive UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


class Codes:
    """Strings as integer codes, in the order first seen; -1 for a missing or empty one."""

    def __init__(self) -> None:
        self.index: dict[str | None, int] = {}

    def encode(self, values: Sequence[str | None]) -> np.ndarray:
        index = self.index
        return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)

    @property
    def missing(self) -> int:
        """A code that stands for no string (one past the last)."""
        return len(self.index)

    def finish(self, codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """(codes with -1 for missing or empty strings, labels of the codes)."""
        labels = list(self.index)
        present = np.array([bool(label) for label in labels] + [False])  # + ``missing``
        renumber = np.where(present, np.cumsum(present) - 1, -1)
        return renumber[codes], [label for label in labels if label]


def datetimes(values: Sequence[str | datetime | None]) -> np.ndarray:
    """Naive UTC datetimes. SQLite's stored text is parsed by NumPy (one datetime object per
    value would cost more than the query); PostgreSQL hands back aware datetimes."""
    if isinstance(next((v for v in values if v is not None), None), str):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # text with a UTC offset: parsed below
                return np.array(values, dtype="datetime64[us]")
        except (ValueError, UserWarning):
            values = [None if v is None else datetime.fromisoformat(v) for v in values]
    return np.array([naive_utc(v) for v in values], dtype="datetime64[us]")


def read_columns(session: Session, stmt: Select, kinds: Sequence[Any]) -> list[np.ndarray]:
    """Stream the rows of ``stmt`` into one NumPy array per column. A kind is a dtype,
    ``"datetime"`` (see ``datetimes``) or a ``Codes`` the strings are encoded with."""
    parts: list[list[np.ndarray]] = [[] for _ in kinds]
    result = session.connection().execute(stmt.execution_options(yield_per=PARTITION_ROWS))
    for rows in result.partitions():
        for part, kind, values in zip(parts, kinds, zip(*rows, strict=True), strict=True):
            if isinstance(kind, Codes):
                part.append(kind.encode(values))
            elif kind == "datetime":
                part.append(datetimes(values))
            else:
                part.append(np.array(values, dtype=kind))
    empty = {"datetime": "datetime64[us]"}
    return [
        np.concatenate(part)
        if part
        else np.array([], dtype=np.int64 if isinstance(kind, Codes) else empty.get(kind, kind))
        for part, kind in zip(parts, kinds, strict=True)
    ]
