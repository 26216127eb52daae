"""Currency conversion to USD with dated reference rates, and a reader of ECB rate files.

Rates are kept as data (``pipeline/data/fx_rates.csv``: currency, date, usd_per_unit,
source). ``convert`` uses the latest rate on or before the posting's date, never a later one,
and says which date it used. The ECB publishes euro reference rates (units of each currency
per euro); ``parse_ecb_xml`` turns eurofxref-daily.xml / eurofxref-hist.xml into USD-per-unit
rows by crossing each currency with the USD rate of the same day.
"""

from __future__ import annotations

import bisect
import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

RATES_FILE = Path(__file__).with_name("data") / "fx_rates.csv"
ECB_SOURCE = "ECB euro foreign exchange reference rates"
_ECB_NS = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"


@dataclass(frozen=True)
class Rate:
    currency: str
    date: date
    usd_per_unit: float
    source: str


def read_rates(path: Path = RATES_FILE) -> list[Rate]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        Rate(r["currency"], date.fromisoformat(r["date"]), float(r["usd_per_unit"]), r["source"])
        for r in csv.DictReader(lines)
    ]


def write_rates(rates: list[Rate], path: Path = RATES_FILE, header: str = "") -> None:
    """Write rates sorted by currency and date (keeping the file's comment header)."""
    if not header and path.exists():
        header = "".join(line for line in path.open(encoding="utf-8") if line.startswith("#"))
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        writer = csv.writer(handle)
        writer.writerow(["currency", "date", "usd_per_unit", "source"])
        for r in sorted(rates, key=lambda r: (r.currency, r.date)):
            writer.writerow([r.currency, r.date.isoformat(), f"{r.usd_per_unit:.6f}", r.source])


class RateTable:
    """Rates by currency, for lookups by date."""

    def __init__(self, rates: list[Rate]) -> None:
        self._by_currency: dict[str, list[Rate]] = {}
        for rate in sorted(rates, key=lambda r: (r.currency, r.date)):
            self._by_currency.setdefault(rate.currency, []).append(rate)
        self._dates = {c: [r.date for r in rs] for c, rs in self._by_currency.items()}

    def rate(self, currency: str, on_date: date) -> Rate | None:
        """The latest rate for ``currency`` on or before ``on_date``."""
        if currency == "USD":
            return Rate("USD", on_date, 1.0, "identity")
        dates = self._dates.get(currency)
        if not dates:
            return None
        i = bisect.bisect_right(dates, on_date)
        return self._by_currency[currency][i - 1] if i else None


@cache
def default_table() -> RateTable:
    return RateTable(read_rates())


def convert(
    amount: float, currency: str, on_date: date, table: RateTable | None = None
) -> tuple[float, date] | None:
    """``amount`` of ``currency`` in USD and the date of the rate used; None if no rate."""
    rate = (table or default_table()).rate(currency.upper(), on_date)
    if rate is None:
        return None
    return amount * rate.usd_per_unit, rate.date


def parse_ecb_xml(xml_text: str | bytes) -> list[Rate]:
    """Rows from an ECB eurofxref XML (daily, 90-day or historical) file."""
    root = ET.fromstring(xml_text)
    rows: list[Rate] = []
    for day in root.iter(f"{_ECB_NS}Cube"):
        when = day.get("time")
        if not when:
            continue
        per_eur = {c.get("currency"): float(c.get("rate")) for c in day if c.get("currency")}
        usd = per_eur.get("USD")
        if not usd:
            continue  # without the dollar rate the day's rates cannot be crossed
        on = date.fromisoformat(when)
        rows.append(Rate("EUR", on, usd, ECB_SOURCE))
        rows.extend(
            Rate(code, on, usd / units, ECB_SOURCE)
            for code, units in per_eur.items()
            if code != "USD" and units > 0
        )
    return rows


def refresh(xml_text: str | bytes, path: Path = RATES_FILE) -> int:
    """Merge the rates of an ECB XML file into ``path``; returns how many rows are new."""
    current = {(r.currency, r.date): r for r in read_rates(path)}
    new = [r for r in parse_ecb_xml(xml_text) if (r.currency, r.date) not in current]
    current.update({(r.currency, r.date): r for r in new})
    write_rates(list(current.values()), path)
    default_table.cache_clear()
    return len(new)
