"""BLS Consumer Price Index (CPI-U): monthly index values of one series, e.g. ``CUUR0000SA0``.

``CUUR0000SA0``: CU (CPI-U), U (not seasonally adjusted), R (monthly), 0000 (US city
average), SA0 (all items). Read from the flat file
``download.bls.gov/pub/time.series/cu/cu.data.1.AllItems`` (tab-separated, header
``series_id year period value footnote_codes``, series ids right-padded with spaces) or from
API v2. ``M13`` is the annual average, not a month: skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from spiders.items import PageFailure, PriceIndexObservation
from spiders.pages.base import SourcePage
from spiders.pages.bls import ApiResult, BlsApiPage, datum_raw

CPI_U_ALL_ITEMS = "CUUR0000SA0"
_MONTH = re.compile(r"^M(0[1-9]|1[0-2])$")
_HEADER = ["series_id", "year", "period", "value"]


def month_period(year: str, period: str) -> str | None:
    """``("2022", "M01")`` -> ``"2022-01"``; None for M13 (annual average) and the like."""
    match = _MONTH.match(period.strip())
    if not match or not year.strip().isdigit():
        return None
    return f"{int(year):04d}-{match.group(1)}"


def parse_index_value(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None  # "-": not published (e.g. a month the survey was not collected)
    return value if value > 0 else None


def flat_file_observations(
    text: str, url: str, series_ids: list[str]
) -> dict[str, list[PriceIndexObservation]]:
    """The months of each wanted series in a ``cu.data.*`` file; ValueError on another layout."""
    lines = text.splitlines()
    header = [h.strip().lower() for h in lines[0].split("\t")] if lines else []
    if header[:4] != _HEADER:
        raise ValueError(f"unexpected header {header[:5]}")
    wanted = set(series_ids)
    found: dict[str, list[PriceIndexObservation]] = {}
    for line in lines[1:]:
        fields = line.split("\t")
        series_id = fields[0].strip()
        if len(fields) < 4 or series_id not in wanted:
            continue
        period = month_period(fields[1], fields[2])
        value = parse_index_value(fields[3])
        if period is None or value is None:
            continue
        found.setdefault(series_id, []).append(
            PriceIndexObservation(
                url=url, seriesId=series_id, period=period, value=value, raw=line.rstrip("\r")
            )
        )
    return found


def api_observations(
    result: ApiResult, url: str, series_ids: list[str]
) -> list[PriceIndexObservation]:
    observations = []
    for series in result.series:
        if series.series_id not in series_ids:
            continue
        for datum in series.data:
            period = month_period(datum.year, datum.period)
            value = parse_index_value(datum.value)
            if period is None or value is None:
                continue
            observations.append(
                PriceIndexObservation(
                    url=url,
                    seriesId=series.series_id,
                    period=period,
                    value=value,
                    raw=datum_raw(series.series_id, datum),
                )
            )
    return sorted(observations, key=lambda o: (o.seriesId, o.period))


@attrs.define
class CpiFilePage(SourcePage):
    """A ``cu.data.*`` flat file."""

    def observations(self, series_ids: list[str]) -> list[PriceIndexObservation | PageFailure]:
        url = str(self.url)
        try:
            text = bytes(self.response.body).decode("utf-8-sig")
            by_series = flat_file_observations(text, url, series_ids)
        except (UnicodeDecodeError, ValueError) as exc:
            return [self.failure("layout_changed", str(exc))]
        results: list[PriceIndexObservation | PageFailure] = []
        for series_id in series_ids:
            found = by_series.get(series_id)
            if not found:
                results.append(self.failure("series_missing", f"no monthly values: {series_id}"))
            results.extend(found or [])
        return results


@attrs.define
class CpiApiPage(BlsApiPage):
    """An API v2 answer for CPI series."""

    def observations(self, series_ids: list[str]) -> Iterator[PriceIndexObservation | PageFailure]:
        result = self.result()
        if isinstance(result, PageFailure):
            yield result
            return
        observations = api_observations(result, str(self.url), series_ids)
        for series_id in sorted(set(series_ids) - {o.seriesId for o in observations}):
            detail = "; ".join(m for m in result.messages if series_id in m)
            yield self.failure("series_missing", detail or f"no monthly values: {series_id}")
        yield from observations
