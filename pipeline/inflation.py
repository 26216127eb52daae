"""Restating a past dollar figure in today's dollars with CPI-U (pure functions, no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

CPI_U_SERIES = "CUUR0000SA0"  # CPI-U, US city average, all items, not seasonally adjusted
ARTICLE_MONTH = date(2022, 1, 1)


@dataclass(frozen=True)
class Restated:
    """``value`` (in ``base_month`` dollars) expressed in ``latest_month`` dollars."""

    value: float
    base_month: date
    latest_month: date
    base_index: float
    latest_index: float

    @property
    def inflation_pct(self) -> float:
        return 100 * (self.latest_index / self.base_index - 1)


def in_todays_dollars(
    value: float, index: Mapping[date, float], base_month: date = ARTICLE_MONTH
) -> Restated | None:
    """``value * CPI(latest month stored) / CPI(base_month)``; None without both index values.

    ``index`` maps the first day of a month to the index value. A latest month before the base
    month means the series stored is too old to say anything about today: None.
    """
    base_month = base_month.replace(day=1)
    base = index.get(base_month)
    if not base or not index:
        return None
    latest_month = max(index)
    if latest_month < base_month:
        return None
    latest = index[latest_month]
    return Restated(value * latest / base, base_month, latest_month, base, latest)


def beats_inflation(live: float | None, restated: Restated | None) -> bool | None:
    """Whether a live figure is above the old figure in today's dollars (None: cannot tell)."""
    if live is None or restated is None:
        return None
    return live > restated.value
