"""ECB reference rates: the page object, a real crawl of the sandbox, and pay converted with them.

The sandbox's rates are synthetic (it cannot reach the ECB); the XML layout is the ECB's
eurofxref format (gesmes:Envelope, Cube time=..., Cube currency=... rate=...).
"""

from __future__ import annotations

from web_poet import HttpResponse

from pipeline.clean import clean_records
from sandbox.routes.ecb_fx import ecb_xml, fixings
from spiders.items import PageFailure
from spiders.pages.ecb import EcbRatesPage
from tests.spiders.crawl import run_crawl


def page(body: bytes) -> EcbRatesPage:
    url = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
    return EcbRatesPage(response=HttpResponse(url, body=body))


def test_rates_are_crossed_through_the_dollar():
    day, per_eur = next(fixings())
    rates = {(r.currency, r.date): r.usdPerUnit for r in page(ecb_xml().encode()).rates()}
    assert rates[("EUR", day.isoformat())] == per_eur["USD"]
    assert rates[("GBP", day.isoformat())] == round(per_eur["USD"] / per_eur["GBP"], 8)
    assert ("USD", day.isoformat()) not in rates  # the dollar is the unit, not a rate


def test_broken_or_reshaped_files_are_failures():
    [broken] = page(b"<gesmes:Envelope><Cube").rates()
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_xml"
    [empty] = page(b'<?xml version="1.0"?><Envelope><Cube/></Envelope>').rates()
    assert empty.reason == "layout_changed"


def test_crawl_and_convert_euro_pay(sandbox_url, tmp_path):
    result = run_crawl("ecb_fx", sandbox_url, tmp_path)
    assert result.returncode == 0, result.log_tail
    rates = [r for r in result.observations if r["kind"] == "fx_rate"]
    assert {r["currency"] for r in rates} >= {"EUR", "GBP", "CAD"}
    day, per_eur = next(fixings())
    posting = {
        "kind": "job_posting",
        "source": "remotive",
        "url": "https://x/1",
        "jobPostingId": "1",
        "jobTitle": "Information Security Manager",
        "datePublished": day.isoformat(),
        "payOrigin": "posted",
        "baseSalary": {"raw": "€80k-€110k"},
    }
    cleaned = clean_records([*rates, posting])
    [row] = cleaned.postings
    assert row["fx_rate_date"] == day
    assert row["annual_min_usd"] == 80_000 * per_eur["USD"]
    assert row["pay_flag"] == "period_inferred"  # "€80k" states no period: a year is assumed
    assert len(cleaned.fx_rates) == len(rates)
    # Without this run's rates the same pay stays unconverted, never treated as dollars.
    [unconverted] = clean_records([posting]).postings
    assert unconverted["pay_flag"] == "not_converted:EUR" and unconverted["annual_min_usd"] is None
