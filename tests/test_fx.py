"""Dated conversion to USD and the ECB reference-rate XML reader."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.fx import RateTable, convert, parse_ecb_xml, read_rates, refresh

# The ECB eurofxref layout (namespaces and nesting as published); the rate values here are
# made up for the test, not real fixings.
ECB_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time="2024-03-04">
      <Cube currency="USD" rate="1.25"/>
      <Cube currency="GBP" rate="0.5"/>
      <Cube currency="CAD" rate="2.5"/>
    </Cube>
    <Cube time="2024-03-01">
      <Cube currency="USD" rate="1.2"/>
      <Cube currency="GBP" rate="0.6"/>
    </Cube>
  </Cube>
</gesmes:Envelope>"""


def test_parse_ecb_xml_crosses_through_the_dollar():
    rows = {(r.currency, r.date): r.usd_per_unit for r in parse_ecb_xml(ECB_XML)}
    assert rows[("EUR", date(2024, 3, 4))] == 1.25
    assert rows[("GBP", date(2024, 3, 4))] == pytest.approx(2.5)
    assert rows[("CAD", date(2024, 3, 4))] == pytest.approx(0.5)
    assert rows[("GBP", date(2024, 3, 1))] == pytest.approx(2.0)
    assert ("USD", date(2024, 3, 4)) not in rows


def test_convert_uses_the_latest_rate_on_or_before_the_date():
    table = RateTable(parse_ecb_xml(ECB_XML))
    assert convert(100, "GBP", date(2024, 3, 3), table) == (pytest.approx(200), date(2024, 3, 1))
    assert convert(100, "GBP", date(2024, 3, 4), table) == (pytest.approx(250), date(2024, 3, 4))
    assert convert(100, "GBP", date(2024, 2, 29), table) is None  # never a later rate
    assert convert(100, "JPY", date(2024, 3, 4), table) is None
    assert convert(100, "USD", date(2024, 3, 4), table) == (100, date(2024, 3, 4))


def test_refresh_merges_into_the_rate_file(tmp_path):
    path = tmp_path / "fx_rates.csv"
    path.write_text("# header kept\ncurrency,date,usd_per_unit,source\n", encoding="utf-8")
    assert refresh(ECB_XML, path) == 5
    assert refresh(ECB_XML, path) == 0  # idempotent
    assert path.read_text(encoding="utf-8").startswith("# header kept\n")
    assert {(r.currency, r.date) for r in read_rates(path)} >= {("CAD", date(2024, 3, 4))}


def test_shipped_rate_file_reads():
    for rate in read_rates():
        assert rate.usd_per_unit > 0 and rate.source
