"""BLS Occupational Employment and Wage Statistics (OEWS): annual wages by occupation and area.

Two ways in, the same figures out (annual mean and 10/25/50/75/90th percentile wages):

* API v2 series ``OEU`` + area type (N national, S state, M metropolitan) + area code (7 digits)
  + industry (6, ``000000`` cross-industry) + SOC code (6, no dash) + data type (2 digits:
  04 annual mean, 11..15 annual 10th/25th/median/75th/90th percentile). Period ``A01``.
* The yearly flat files, ``www.bls.gov/oes/special-requests/oesm<YY>nat.zip`` (national) and
  ``oesm<YY>ma.zip`` (metropolitan areas), each a zip holding ``<...>_M<YYYY>_dl.xlsx``; CSV
  exports of the same sheet (UTF-8 BOM, quoted "169,510") read the same way.

Top-coding: wages at or above a yearly threshold are published as ``#`` in the files and as
``-`` with footnote 5 ("This wage is equal to or greater than $115.00 per hour or $239,200 per
year.") in the API. They become the threshold with qualifier ``>=``, never a zero: the stated
threshold when the file or footnote states it, else the configured one for that year.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import attrs
import openpyxl

from spiders.items import PageFailure, SalaryFigure
from spiders.pages.base import SourcePage, page_failure
from spiders.pages.bls import ApiResult, BlsApiPage, datum_raw

# metric -> (API data type, flat-file column)
METRICS: dict[str, tuple[str, str]] = {
    "average": ("04", "A_MEAN"),
    "p10": ("11", "A_PCT10"),
    "p25": ("12", "A_PCT25"),
    "median": ("13", "A_MEDIAN"),
    "p75": ("14", "A_PCT75"),
    "p90": ("15", "A_PCT90"),
}
_METRIC_BY_DATATYPE = {datatype: metric for metric, (datatype, _) in METRICS.items()}
AREA_TYPES = {"N", "S", "M"}
CROSS_INDUSTRY = "000000"
_SERIES = re.compile(
    r"^OEU(?P<area_type>[NSM])(?P<area>\d{7})(?P<industry>\d{6})(?P<occupation>\d{6})"
    r"(?P<datatype>\d{2})$"
)
_SOC = re.compile(r"^\d{2}-?\d{4}$")
_THRESHOLD = re.compile(r"\$\s*([\d,]+(?:\.\d+)?)\s*per\s+year", re.IGNORECASE)
_NOT_AVAILABLE = {"", "*", "**", "-", "~"}
_REQUIRED_COLUMNS = {"AREA", "OCC_CODE"}


@dataclass(frozen=True)
class OewsArea:
    """An area as the API names it (type + 7-digit code) and as the files do (``AREA``)."""

    area_type: str  # "N" | "S" | "M"
    code: str  # 7 digits, "0000000" national, "0041860" San Francisco-Oakland-Berkeley MSA
    file_area: str  # the files' AREA column: "99" national, "41860" the MSA
    geography: str  # what observations say: "US", "San Francisco-Oakland-Berkeley, CA"

    @classmethod
    def from_config(cls, config: Mapping) -> OewsArea:
        area_type = str(config["type"]).upper()
        if area_type not in AREA_TYPES:
            raise ValueError(f"area type must be one of {sorted(AREA_TYPES)}: {area_type!r}")
        return cls(
            area_type=area_type,
            code=str(config["code"]).zfill(7),
            file_area=str(config["file_area"]),
            geography=str(config["geography"]),
        )


@dataclass(frozen=True)
class OewsSeriesKey:
    area_type: str
    area_code: str
    industry: str
    occupation: str  # "11-3021"
    datatype: str


def soc_digits(occupation: str) -> str:
    if not _SOC.match(occupation):
        raise ValueError(f"not a SOC code: {occupation!r}")
    return occupation.replace("-", "")


def oews_series_id(
    area_type: str,
    area_code: str,
    occupation: str,
    datatype: str,
    industry: str = CROSS_INDUSTRY,
) -> str:
    """``OEU`` + area type + 7-digit area + 6-digit industry + SOC (no dash) + data type."""
    if area_type not in AREA_TYPES:
        raise ValueError(f"area type must be one of {sorted(AREA_TYPES)}: {area_type!r}")
    area = str(area_code).zfill(7)
    if not re.fullmatch(r"\d{7}", area):
        raise ValueError(f"area code must be up to 7 digits: {area_code!r}")
    if not re.fullmatch(r"\d{6}", industry):
        raise ValueError(f"industry code must be 6 digits: {industry!r}")
    if not re.fullmatch(r"\d{2}", datatype):
        raise ValueError(f"data type must be 2 digits: {datatype!r}")
    return f"OEU{area_type}{area}{industry}{soc_digits(occupation)}{datatype}"


def parse_oews_series_id(series_id: str) -> OewsSeriesKey | None:
    match = _SERIES.match(series_id.strip())
    if not match:
        return None
    occupation = match["occupation"]
    return OewsSeriesKey(
        area_type=match["area_type"],
        area_code=match["area"],
        industry=match["industry"],
        occupation=f"{occupation[:2]}-{occupation[2:]}",
        datatype=match["datatype"],
    )


def oews_series_ids(areas: Iterable[OewsArea], occupations: Iterable[str]) -> list[str]:
    occupations = list(occupations)
    return [
        oews_series_id(area.area_type, area.code, occupation, datatype)
        for area in areas
        for occupation in occupations
        for datatype, _ in METRICS.values()
    ]


def oews_file_url(files_base: str, year: int, kind: str) -> str:
    """``kind``: ``nat`` (national), ``ma`` (metropolitan), ``st`` (states)."""
    return f"{files_base.rstrip('/')}/oes/special-requests/oesm{year % 100:02d}{kind}.zip"


def reference_date(year: int | str) -> str:
    """OEWS estimates refer to the May pay period of their year."""
    return f"{int(year):04d}-05-01"


def stated_threshold(texts: Iterable[str]) -> float | None:
    """The annual top-code threshold a BLS note states ("... or $239,200 per year")."""
    for text in texts:
        match = _THRESHOLD.search(text or "")
        if match:
            return float(match.group(1).replace(",", ""))
    return None


def parse_wage(cell) -> float | None:
    """A published wage cell: 169510, "169,510", "169510"; None when not available."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace(",", "")
    if text in _NOT_AVAILABLE:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def is_top_coded(cell) -> bool:
    return isinstance(cell, str) and cell.strip() == "#"


# --- reading the flat files ---------------------------------------------------------------


@dataclass
class Table:
    rows: list[dict]
    notes: list[str]  # free text BLS ships with the data (the xlsx "Field Descriptions")
    name: str


def _clean(value) -> object:
    return value.strip() if isinstance(value, str) else value


def _read_xlsx(data: bytes, name: str) -> Table:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header = [str(h).strip().upper() if h is not None else "" for h in next(rows_iter, ())]
        rows = [dict(zip(header, map(_clean, row), strict=False)) for row in rows_iter]
        notes = [
            str(cell)
            for other in workbook.worksheets[1:]
            for row in other.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, str)
        ]
    finally:
        workbook.close()
    return Table(rows=rows, notes=notes, name=name)


def _read_csv(data: bytes, name: str) -> Table:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().upper() for h in next(reader, [])]
    rows = [dict(zip(header, map(_clean, row), strict=False)) for row in reader if row]
    return Table(rows=rows, notes=[], name=name)


def _is_xlsx(archive: zipfile.ZipFile) -> bool:
    return "[Content_Types].xml" in archive.namelist()


def read_oews_table(data: bytes, name: str = "") -> Table:
    """The data sheet of an OEWS download: the zip BLS serves, the xlsx in it, or a CSV."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _is_xlsx(archive):
                return _read_xlsx(data, name)
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith((".xlsx", ".csv")) and not m.startswith("__MACOSX")
            ]
            # The data sheet is "<...>_dl.xlsx"; a zip may also carry field descriptions.
            members.sort(key=lambda m: (not m.lower().endswith("_dl.xlsx"), m))
            if not members:
                raise ValueError(f"no .xlsx or .csv in {archive.namelist()}")
            member = members[0]
            return read_oews_table(archive.read(member), member)
    return _read_csv(data, name)


# --- observations -------------------------------------------------------------------------


def _observation(
    url: str,
    occupation: str,
    area: OewsArea,
    metric: str,
    year: int,
    value: float,
    raw: str,
    qualifier: str | None = None,
) -> SalaryFigure:
    return SalaryFigure(
        url=url,
        roleQuery=occupation,
        geography=area.geography,
        metric=metric,
        value=value,
        currency="USD",
        period="year",
        qualifier=qualifier,
        raw=raw,
        observedOn=reference_date(year),
    )


def table_observations(
    table: Table,
    url: str,
    occupations: Iterable[str],
    areas: Iterable[OewsArea],
    year: int,
    top_codes: Mapping[int, float],
) -> list[SalaryFigure | PageFailure]:
    """The configured occupations' wages in the configured areas this file covers."""
    occupations = list(occupations)
    if not table.rows or not set(table.rows[0]) >= _REQUIRED_COLUMNS:
        return [page_failure(url, "layout_changed", f"no AREA/OCC_CODE columns in {table.name}")]
    columns = set(table.rows[0])
    missing = [column for _, column in METRICS.values() if column not in columns]
    if missing:
        return [page_failure(url, "layout_changed", f"columns missing in {table.name}: {missing}")]
    threshold = stated_threshold(n for n in table.notes if "#" in n) or top_codes.get(year)
    by_file_area = {area.file_area: area for area in areas}
    wanted = set(occupations)
    found: dict[tuple[str, str], dict] = {}
    for row in table.rows:
        area = by_file_area.get(str(row.get("AREA") or "").strip())
        occupation = str(row.get("OCC_CODE") or "").strip()
        if area is None or occupation not in wanted:
            continue
        # All-data files repeat an occupation per industry; the cross-industry row is the one.
        if row.get("NAICS") not in (None, "", CROSS_INDUSTRY):
            continue
        found.setdefault((area.file_area, occupation), row)
    covered = {area_code for area_code, _ in found}
    if not covered:
        return [page_failure(url, "no_matching_rows", f"{table.name}: none of {occupations}")]
    results: list[SalaryFigure | PageFailure] = []
    for area_code in sorted(covered):
        area = by_file_area[area_code]
        for occupation in occupations:
            row = found.get((area_code, occupation))
            if row is None:
                results.append(
                    page_failure(url, "occupation_missing", f"{occupation} in area {area_code}")
                )
                continue
            for metric, (_, column) in METRICS.items():
                cell = row.get(column)
                raw = f"{column}={'' if cell is None else cell}"
                if is_top_coded(cell):
                    if threshold is None:
                        results.append(
                            page_failure(url, "top_code_threshold_unknown", f"{year} {occupation}")
                        )
                        continue
                    results.append(
                        _observation(url, occupation, area, metric, year, threshold, raw, ">=")
                    )
                    continue
                value = parse_wage(cell)
                if value is not None:  # "*": BLS released no estimate; nothing to record
                    results.append(_observation(url, occupation, area, metric, year, value, raw))
    return results


def api_observations(
    result: ApiResult,
    url: str,
    areas: Iterable[OewsArea],
    top_codes: Mapping[int, float],
) -> list[SalaryFigure]:
    by_api_area = {(area.area_type, area.code): area for area in areas}
    observations = []
    for series in result.series:
        key = parse_oews_series_id(series.series_id)
        if key is None or key.datatype not in _METRIC_BY_DATATYPE:
            continue
        area = by_api_area.get((key.area_type, key.area_code))
        if area is None or key.industry != CROSS_INDUSTRY:
            continue
        metric = _METRIC_BY_DATATYPE[key.datatype]
        for datum in series.data:
            if not datum.year.isdigit():
                continue
            year = int(datum.year)
            raw = datum_raw(series.series_id, datum)
            value = parse_wage(datum.value)
            qualifier = None
            if value is None:
                # Footnote 5 states the threshold; "Estimate not released" (8) states none.
                stated = stated_threshold(datum.footnote_texts)
                top_coded = stated is not None or "5" in datum.footnote_codes
                if not top_coded:
                    continue
                value = stated or top_codes.get(year)
                if value is None:
                    continue
                qualifier = ">="
            observations.append(
                _observation(url, key.occupation, area, metric, year, value, raw, qualifier)
            )
    return observations


def top_codes_from_config(config: Mapping | None) -> dict[int, float]:
    return {int(year): float(value) for year, value in (config or {}).items()}


@attrs.define
class OewsFilePage(SourcePage):
    """An OEWS flat file (zip, xlsx or CSV)."""

    def observations(
        self,
        occupations: Iterable[str],
        areas: Iterable[OewsArea],
        year: int,
        top_codes: Mapping[int, float],
    ) -> list[SalaryFigure | PageFailure]:
        url = str(self.url)
        try:
            table = read_oews_table(bytes(self.response.body), url.rsplit("/", 1)[-1])
        except (ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            detail = f"{type(exc).__name__}: {exc}"[:500]
            return [self.failure("unreadable_file", detail, self.response.body[:200])]
        return table_observations(table, url, occupations, areas, year, top_codes)


@attrs.define
class OewsApiPage(BlsApiPage):
    """An API v2 answer for OEWS series."""

    def observations(
        self, areas: Iterable[OewsArea], top_codes: Mapping[int, float]
    ) -> Iterator[SalaryFigure | PageFailure]:
        result = self.result()
        if isinstance(result, PageFailure):
            yield result
            return
        yield from api_observations(result, str(self.url), areas, top_codes)
