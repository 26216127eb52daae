"""BLS under /bls: API v2, the OEWS flat files and the CPI flat file, in the live URL layout.

The three live hosts' paths do not collide, so one prefix serves them all:

- POST ``api.bls.gov/publicAPI/v2/timeseries/data/`` -> POST ``/bls/publicAPI/v2/timeseries/data/``
- ``www.bls.gov/oes/special-requests/oesm<YY><kind>.zip`` (kind ``nat`` or ``ma``)
  -> ``/bls/oes/special-requests/oesm<YY><kind>.zip``
- ``download.bls.gov/pub/time.series/cu/cu.data.1.AllItems``
  -> ``/bls/pub/time.series/cu/cu.data.1.AllItems``

The zips hold ``oesm<YY><kind>/<national|MSA>_M<YYYY>_dl.xlsx`` as BLS ships them. Recorded real
data is served first, read in place from ``../shared/realdata``: the May 2023 national xlsx
(inside ``oesm23nat.zip`` and behind the API's national OEWS series), the CPI flat file (the
file itself and the API's CPI series) and the API's "End year is invalid." failure. Everything
else is generated and SYNTHETIC: metropolitan wages (national ones times a fixed area factor,
rounded to the thousand), other years, and everything when the recordings are absent.

Nothing here imports the spiders: API answers are the recorded cells themselves (read from
the xlsx with openpyxl below) or generated ones, so a crawl checks the spiders' parsers
against BLS's layout, never against their own output.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path

import openpyxl
from aiohttp import web

from sandbox.generator import Market
from sandbox.realdata import realdata_dir

OEWS_NATIONAL_XLSX = "html_salary/Dpride5_WGU-Stuff__bls_oews_national_M2023_dl.xlsx"
OEWS_RECORDED_YEAR = 2023
CPI_FLAT_FILE = "bls/pujaroy280_DATA608Story2__bls_cpi_cu.data.1.AllItems_2024-01.txt"
API_FAILURE = "bls/associatedpress_bls_api__bls_v2_request_failed_bad_end_year.json"
# OEWS API series hold only the latest release; here that is the recorded one.
OEWS_API_YEAR = OEWS_RECORDED_YEAR

COLUMNS = [
    "AREA",
    "AREA_TITLE",
    "AREA_TYPE",
    "PRIM_STATE",
    "NAICS",
    "NAICS_TITLE",
    "I_GROUP",
    "OWN_CODE",
    "OCC_CODE",
    "OCC_TITLE",
    "O_GROUP",
    "TOT_EMP",
    "EMP_PRSE",
    "JOBS_1000",
    "LOC_QUOTIENT",
    "PCT_TOTAL",
    "PCT_RPT",
    "H_MEAN",
    "A_MEAN",
    "MEAN_PRSE",
    "H_PCT10",
    "H_PCT25",
    "H_MEDIAN",
    "H_PCT75",
    "H_PCT90",
    "A_PCT10",
    "A_PCT25",
    "A_MEDIAN",
    "A_PCT75",
    "A_PCT90",
    "ANNUAL",
    "HOURLY",
]
# OEWS API data type -> the flat files' column: annual mean, 10th/25th/50th/75th/90th percentile.
DATATYPE_COLUMNS = {
    "04": "A_MEAN",
    "11": "A_PCT10",
    "12": "A_PCT25",
    "13": "A_MEDIAN",
    "14": "A_PCT75",
    "15": "A_PCT90",
}
WAGE_COLUMNS = list(DATATYPE_COLUMNS.values())
# OEU + area type + 7-digit area + 6-digit industry + SOC code without its dash + data type.
OEWS_SERIES = re.compile(
    r"OEU(?P<area_type>[NSM])(?P<area>\d{7})(?P<industry>\d{6})(?P<soc>\d{6})(?P<datatype>\d{2})"
)
TOP_CODE = {year: 208_000 for year in range(2018, 2022)} | {
    year: 239_200 for year in range(2022, 2031)
}
TOP_CODE_HOURLY = {year: 100.0 for year in range(2018, 2022)} | {
    year: 115.0 for year in range(2022, 2031)
}
# SYNTHETIC May 2023 national wages (round thousands: never mistaken for BLS figures).
SYNTHETIC_NATIONAL = {
    "00-0000": ("All Occupations", "total", (65_000, 29_000, 36_000, 48_000, 77_000, 121_000)),
    "11-3021": (
        "Computer and Information Systems Managers",
        "detailed",
        (181_000, 102_000, 132_000, 170_000, 214_000, None),
    ),
    "15-1212": (
        "Information Security Analysts",
        "detailed",
        (125_000, 69_000, 90_000, 120_000, 154_000, 182_000),
    ),
}
# SYNTHETIC metropolitan areas: (AREA, title, state, factor on national wages).
SYNTHETIC_MSAS = (
    ("41860", "San Francisco-Oakland-Berkeley, CA", "CA", 1.32),
    ("42660", "Seattle-Tacoma-Bellevue, WA", "WA", 1.18),
)


def _root() -> Path | None:
    return realdata_dir()


def _recorded(relative: str) -> Path | None:
    root = _root()
    path = root / relative if root else None
    return path if path is not None and path.exists() else None


# --- OEWS ---------------------------------------------------------------------------------


def recorded_rows(path: Path) -> list[dict]:
    """The data sheet of a recorded OEWS xlsx: one dict per row, keyed by the header row."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() for cell in next(rows)]
        return [
            dict(zip(header, (c.strip() if isinstance(c, str) else c for c in row), strict=False))
            for row in rows
        ]
    finally:
        workbook.close()


def _top_code(value: float | None, year: int) -> object:
    if value is None:
        return "*"
    return "#" if value >= TOP_CODE[year] else value


@lru_cache(maxsize=8)
def national_rows(year: int) -> dict[str, dict]:
    """OCC_CODE -> national row: the recorded file's for its year, else SYNTHETIC ones."""
    recorded = _recorded(OEWS_NATIONAL_XLSX) if year == OEWS_RECORDED_YEAR else None
    if recorded is not None:
        return {row["OCC_CODE"]: row for row in recorded_rows(recorded) if row.get("OCC_CODE")}
    growth = 1.03 ** (year - 2023)
    rows = {}
    for occupation, (title, group, wages) in SYNTHETIC_NATIONAL.items():
        row = {"AREA": "99", "AREA_TITLE": "U.S.", "AREA_TYPE": "1", "PRIM_STATE": "US"}
        row |= {"NAICS": "000000", "NAICS_TITLE": "Cross-industry", "I_GROUP": "cross-industry"}
        row |= {"OWN_CODE": "1235", "OCC_CODE": occupation, "OCC_TITLE": title, "O_GROUP": group}
        for column, wage in zip(WAGE_COLUMNS, wages, strict=True):
            value = None if wage is None else round(wage * growth, -3)
            row[column] = "#" if wage is None else _top_code(value, year)
        rows[occupation] = row
    return rows


@lru_cache(maxsize=8)
def msa_rows(year: int) -> dict[tuple[str, str], dict]:
    """(AREA, OCC_CODE) -> SYNTHETIC metropolitan row: national wages times the area factor."""
    rows = {}
    for area, title, state, factor in SYNTHETIC_MSAS:
        for occupation, national in national_rows(year).items():
            if occupation not in SYNTHETIC_NATIONAL:
                continue
            row = {**national, "AREA": area, "AREA_TITLE": title, "AREA_TYPE": "4"}
            row["PRIM_STATE"] = state
            for column in WAGE_COLUMNS:
                cell = national.get(column)
                if isinstance(cell, int | float):
                    row[column] = _top_code(round(cell * factor, -3), year)
            rows[(area, occupation)] = row
    return rows


def _notes(year: int, synthetic: bool) -> list[str]:
    notes = [
        f"May {year} OEWS Estimates",
        "*  = indicates that a wage estimate is not available",
        "#  = indicates a wage equal to or greater than "
        f"${TOP_CODE_HOURLY[year]:.2f} per hour or ${TOP_CODE[year]:,} per year ",
    ]
    if synthetic:
        notes.insert(1, "SYNTHETIC: generated by the secjobs sandbox, not BLS estimates")
    return notes


def build_xlsx(sheet: str, rows: list[dict], notes: list[str]) -> bytes:
    """A workbook in the layout BLS distributes: the data sheet, then field descriptions."""
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = sheet
    data.append(COLUMNS)
    for row in rows:
        data.append([row.get(column) for column in COLUMNS])
    descriptions = workbook.create_sheet("Field Descriptions")
    for note in notes:
        descriptions.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(member: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def oews_zip(year: int, kind: str) -> bytes:
    folder = f"oesm{year % 100:02d}{kind}"
    if kind == "nat":
        recorded = _recorded(OEWS_NATIONAL_XLSX) if year == OEWS_RECORDED_YEAR else None
        if recorded is not None:
            data = recorded.read_bytes()
        else:
            rows = list(national_rows(year).values())
            data = build_xlsx(f"national_M{year}_dl", rows, _notes(year, synthetic=True))
        return _zip(f"{folder}/national_M{year}_dl.xlsx", data)
    rows = list(msa_rows(year).values())
    data = build_xlsx(f"MSA_M{year}_dl", rows, _notes(year, synthetic=True))
    return _zip(f"{folder}/MSA_M{year}_dl.xlsx", data)


def _oews_row(area_type: str, area_code: str, occupation: str, year: int) -> dict | None:
    if area_type == "N" and area_code == "0000000":
        return national_rows(year).get(occupation)
    if area_type == "M":
        return msa_rows(year).get((area_code.lstrip("0"), occupation))
    return None


def _oews_datum(cell: object, year: int) -> dict:
    datum = {"year": str(year), "period": "A01", "periodName": "Annual", "latest": "true"}
    if isinstance(cell, int | float):
        return datum | {"value": f"{cell:.0f}", "footnotes": [{}]}
    if cell == "#":
        text = (
            f"This wage is equal to or greater than ${TOP_CODE_HOURLY[year]:.2f} per hour "
            f"or ${TOP_CODE[year]:,} per year."
        )
        return datum | {"value": "-", "footnotes": [{"code": "5", "text": text}]}
    return datum | {"value": "-", "footnotes": [{"code": "8", "text": "Estimate not released."}]}


def oews_series_data(series_id: str, start: int, end: int) -> list[dict] | None:
    """The datum list of an OEWS series, [] outside its year, None if there is no such series."""
    key = OEWS_SERIES.fullmatch(series_id)
    if key is None or key["datatype"] not in DATATYPE_COLUMNS or key["industry"] != "000000":
        return None
    occupation = f"{key['soc'][:2]}-{key['soc'][2:]}"
    row = _oews_row(key["area_type"], key["area"], occupation, OEWS_API_YEAR)
    if row is None:
        return None
    if not start <= OEWS_API_YEAR <= end:
        return []
    return [_oews_datum(row.get(DATATYPE_COLUMNS[key["datatype"]]), OEWS_API_YEAR)]


# --- CPI ----------------------------------------------------------------------------------

_MONTHS = "January February March April May June July August September October November December"
MONTH_NAMES = dict(zip([f"M{m:02d}" for m in range(1, 13)], _MONTHS.split(), strict=True))
MONTH_NAMES["M13"] = "Annual"


def synthetic_cpi_file() -> str:
    """A SYNTHETIC ``cu.data.1.AllItems`` in the real layout: smooth made-up values."""
    lines = ["series_id        \tyear\tperiod\t       value\tfootnote_codes"]
    for series, base in (("CUSR0000SA0", 238.0), ("CUUR0000SA0", 237.5)):
        for year in range(2015, 2025):
            values = [round(base * 1.0025 ** ((year - 2015) * 12 + m), 3) for m in range(12)]
            if year == 2024:
                values = values[:1]  # like the recording: through January 2024
            for month, value in enumerate(values, 1):
                lines.append(f"{series:<17}\t{year}\tM{month:02d}\t{value:>12.3f}\t")
            if len(values) == 12 and series.startswith("CUUR"):
                lines.append(f"{series:<17}\t{year}\tM13\t{sum(values) / 12:>12.3f}\t")
    return "\r\n".join(lines) + "\r\n"


@lru_cache(maxsize=1)
def cpi_file_bytes() -> bytes:
    recorded = _recorded(CPI_FLAT_FILE)
    return recorded.read_bytes() if recorded else synthetic_cpi_file().encode()


@lru_cache(maxsize=1)
def cpi_values() -> dict[str, dict[tuple[int, str], str]]:
    """series -> (year, period) -> value as printed, from the same file the sandbox serves."""
    values: dict[str, dict[tuple[int, str], str]] = {}
    for line in cpi_file_bytes().decode().splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) >= 4 and fields[1].strip().isdigit():
            series = values.setdefault(fields[0].strip(), {})
            series[(int(fields[1]), fields[2].strip())] = fields[3].strip()
    return values


def cpi_series_data(series_id: str, start: int, end: int, annual: bool) -> list[dict] | None:
    series = cpi_values().get(series_id)
    if series is None:
        return None
    keys = sorted(
        (k for k in series if start <= k[0] <= end and (annual or k[1] != "M13")), reverse=True
    )
    data = []
    for year, period in keys:
        datum = {"year": str(year), "period": period, "periodName": MONTH_NAMES.get(period, "")}
        if not data:
            datum["latest"] = "true"
        data.append(datum | {"value": series[(year, period)], "footnotes": [{}]})
    return data


# --- the API ------------------------------------------------------------------------------


def _answer(status: str, messages: list[str], series: list[dict] | None = None) -> dict:
    results = {"series": series} if series is not None else {}
    return {"status": status, "responseTime": 7, "message": messages, "Results": results}


def _year(value, default: int) -> int | None:
    if value in (None, ""):
        return default
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def api_answer(payload: object, this_year: int) -> dict | bytes:
    """The API v2 answer to one POSTed query (bytes: the recorded real answer itself)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("seriesid"), list):
        return _answer("REQUEST_NOT_PROCESSED", ["Sandbox: no seriesid list in the request."])
    end = _year(payload.get("endyear"), this_year)
    start = _year(payload.get("startyear"), (end or this_year) - 2)
    if end is None or start is None or end < start:
        recorded = _recorded(API_FAILURE)
        if recorded is not None:
            return recorded.read_bytes()
        return _answer("REQUEST_FAILED_INVALID_PARAMETERS", ["End year is invalid."])
    registered = bool(payload.get("registrationkey"))
    limit = 50 if registered else 25
    series_ids = [str(s).strip().upper() for s in payload["seriesid"]]
    if len(series_ids) > limit:
        return _answer(
            "REQUEST_NOT_PROCESSED",
            [
                f"Sandbox: at most {limit} series per query {'with' if registered else 'without'} "
                "a registration key."
            ],
        )
    annual = str(payload.get("annualaverage", "")).lower() == "true"
    messages, series = [], []
    for series_id in series_ids:
        if series_id.startswith("OEU"):
            data = oews_series_data(series_id, start, end)
        else:
            data = cpi_series_data(series_id, start, end, annual)
        if data is None:
            messages.append(f"Series does not exist for Series {series_id}")
            data = []
        elif not data:
            messages.append(f"No Data Available for Series {series_id} Year: {end}")
        series.append({"seriesID": series_id, "data": data})
    return _answer("REQUEST_SUCCEEDED", messages, series)


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def api(request: web.Request):
        try:
            payload = json.loads(await request.read())
        except ValueError:
            payload = None
        answer = api_answer(payload, date.today().year)
        if isinstance(answer, bytes):
            return web.Response(body=answer, content_type="application/json")
        return web.json_response(answer)

    async def oews_file(request: web.Request):
        match = re.fullmatch(r"oesm(\d{2})(nat|ma)\.zip", request.match_info["name"])
        if not match:
            return web.Response(status=404, text="Not Found")
        body = oews_zip(2000 + int(match.group(1)), match.group(2))
        return web.Response(body=body, content_type="application/zip")

    async def cpi_file(_request: web.Request):
        return web.Response(body=cpi_file_bytes(), content_type="text/plain")

    router.add_post("/bls/publicAPI/v2/timeseries/data/", api)
    router.add_get("/bls/oes/special-requests/{name}", oews_file)
    router.add_get("/bls/pub/time.series/cu/cu.data.1.AllItems", cpi_file)


def scrapy_settings(base_url: str) -> dict:
    return {
        "BLS_OEWS_API_BASE": f"{base_url}/bls",
        "BLS_OEWS_FILES_BASE": f"{base_url}/bls",
        "BLS_OEWS_API_START_YEAR": OEWS_API_YEAR - 1,
        "BLS_OEWS_API_END_YEAR": OEWS_API_YEAR,
        "BLS_OEWS_FILE_YEARS": [OEWS_RECORDED_YEAR],
        "BLS_OEWS_FILE_KINDS": ["nat", "ma"],
        "BLS_CPI_FILE_URL": f"{base_url}/bls/pub/time.series/cu/cu.data.1.AllItems",
        "BLS_CPI_API_BASE": f"{base_url}/bls",
        "BLS_CPI_API_START_YEAR": 2021,
        "BLS_CPI_API_END_YEAR": 2024,
    }
