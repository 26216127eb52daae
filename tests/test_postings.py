"""Staged records to clean rows: validation, pay normalization and plausibility flags."""

from __future__ import annotations

import json

import pytest

from pipeline.postings import Rejected, clean_posting, fingerprint


def record(**overrides) -> dict:
    base = {
        "kind": "job_posting",
        "source": "greenhouse",
        "url": "https://job-boards.greenhouse.io/acme/jobs/1",
        "jobPostingId": "1",
        "jobTitle": "  Information Security   Manager ",
        "datePublished": "2026-10-02T09:00:00-04:00",
        "description": "Lead our security program.",
        "jobLocation": [{"raw": "San Francisco, CA"}, {"raw": "Remote - US"}],
        "hiringOrganization": {"name": "Acme"},
        "baseSalary": None,
        "payOrigin": None,
        "scrapedAt": "2026-11-25T10:00:00+00:00",
        "crawlRunId": "r1",
    }
    base.update(overrides)
    return base


def test_structured_annual_pay():
    row = clean_posting(
        record(
            baseSalary={
                "raw": "{...}",
                "valueMin": 140000,
                "valueMax": 180000,
                "rateType": "YEAR",
                "currency": "USD",
            },
            payOrigin="posted",
        )
    )
    assert row["title"] == "Information Security Manager"
    assert row["location_raw"] == "San Francisco, CA | Remote - US"
    assert str(row["date_posted"]) == "2026-10-02"
    assert (row["annual_min_usd"], row["annual_max_usd"], row["pay_origin"]) == (
        140000,
        180000,
        "posted",
    )
    assert row["pay_flag"] is None


@pytest.mark.parametrize(
    ("rate_type", "period", "annual"),
    [
        # USAJOBS RateIntervalCode "BW" (spiders.pages.usajobs.rate_type gives "BIWEEKLY")
        ("BIWEEKLY", "biweekly", (78_000, 117_000)),
        ("SEMI_MONTHLY", "semimonthly", (72_000, 108_000)),  # not monthly: paid 24 times
        ("MONTH", "month", (36_000, 54_000)),
    ],
)
def test_structured_pay_is_annualized_by_its_pay_periods(rate_type, period, annual):
    row = clean_posting(
        record(
            source="usajobs",
            baseSalary={
                "valueMin": 3_000,
                "valueMax": 4_500,
                "rateType": rate_type,
                "currency": "USD",
            },
            payOrigin="posted",
        )
    )
    assert row["pay_period"] == period
    assert (row["annual_min_usd"], row["annual_max_usd"]) == annual
    assert row["pay_flag"] is None


def test_raw_pay_text_is_parsed_and_kept():
    row = clean_posting(
        record(baseSalary={"raw": "Hourly Pay Range: $60 — $75 USD"}, payOrigin="posted")
    )
    assert row["pay_raw"] == "Hourly Pay Range: $60 — $75 USD"
    assert (row["pay_period"], row["annual_min_usd"], row["annual_max_usd"]) == (
        "hour",
        124_800,
        156_000,
    )


def test_pay_from_description_is_marked_parsed():
    row = clean_posting(record(description="The base salary range is $150,000 - $190,000 USD."))
    assert row["pay_origin"] == "parsed"
    assert row["pay_raw"] == "$150,000 - $190,000 USD"
    assert row["annual_min_usd"] == 150_000


@pytest.mark.parametrize(
    ("salary", "flag"),
    [
        (
            {"valueMin": 5, "valueMax": 6, "rateType": "YEAR", "currency": "USD"},
            "implausible_annual",
        ),
        (
            {"valueMin": 3_000_000, "valueMax": 4_000_000, "rateType": "YEAR", "currency": "USD"},
            "implausible_annual",
        ),
        (
            {"valueMin": 200_000, "valueMax": 100_000, "rateType": "YEAR", "currency": "USD"},
            "min_above_max",
        ),
        (
            {"valueMin": 90_000, "valueMax": 100_000, "rateType": "YEAR", "currency": None},
            "unknown_currency",
        ),
        (
            {"valueMin": 90_000, "valueMax": 100_000, "rateType": "YEAR", "currency": "EUR"},
            "not_converted:EUR",
        ),
        ({"raw": "Competitive, DOE"}, "unparsed_pay"),
    ],
)
def test_unusable_pay_is_kept_with_a_flag(salary, flag):
    row = clean_posting(record(baseSalary=salary, payOrigin="posted"))
    assert row["pay_flag"] == flag
    if flag.startswith(("not_converted", "unknown", "unparsed", "min_above")):
        assert row["annual_min_usd"] is None  # never silently treated as USD


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"jobTitle": "   "}, "missing_jobTitle"),
        ({"jobTitle": None}, "missing_jobTitle"),
        ({"url": None}, "missing_url"),
        ({"kind": "mystery"}, "unknown_kind"),
        ({"kind": "page_failure", "reason": "malformed_json"}, "page_failure:malformed_json"),
    ],
)
def test_records_that_cannot_be_postings_are_rejected_with_reason(overrides, reason):
    with pytest.raises(Rejected) as caught:
        clean_posting(record(**overrides))
    assert caught.value.reason == reason


def test_fingerprint_ignores_per_crawl_fields():
    assert fingerprint(record()) == fingerprint(record(scrapedAt="later", crawlRunId="r2"))
    assert fingerprint(record()) != fingerprint(record(jobTitle="CISO"))


def test_rows_carry_title_location_and_requirements():
    row = clean_posting(
        record(
            jobLocation=[{"raw": "Oakland, CA (Hybrid)"}, {"raw": "Remote - US"}],
            description=(
                "Minimum education: Bachelor’s degree or an equivalent combination of "
                "education, training, and/or experience. 7+ years of experience. CISSP or CISM."
            ),
        )
    )
    assert (row["title_family"], row["seniority"], row["soc_code"]) == (
        "security_manager",
        "manager",
        "11-3021",
    )
    assert (row["city"], row["state"], row["country"], row["metro_code"]) == (
        "Oakland",
        "CA",
        "US",
        "41860",
    )
    assert row["metro_name"] == "San Francisco-Oakland-Berkeley, CA"
    assert row["workplace"] == "hybrid"
    assert [loc["workplace"] for loc in json.loads(row["locations"])] == ["hybrid", "remote"]
    assert json.loads(row["requirements"]) == {
        "certifications": ["CISM", "CISSP"],
        "degree": "bachelor",
        "degree_required": True,
        "equivalent_experience_ok": True,
        "years_experience": 7,
        "degree_minimum": "bachelor",
        "degrees_accepted": [],
        "certification_classes": {"CISM": "one_of", "CISSP": "one_of"},  # either will do
        "structure": "flat",
        "version": 3,
    }
    assert row["location_raw"] == "Oakland, CA (Hybrid) | Remote - US"  # raw kept


def test_foreign_pay_is_converted_with_the_rate_of_its_date(monkeypatch):
    from datetime import date

    from pipeline import fx

    table = fx.RateTable(
        [
            fx.Rate("EUR", date(2026, 9, 30), 1.10, "test"),
            fx.Rate("EUR", date(2026, 10, 5), 1.20, "test"),  # after the posting: unused
        ]
    )
    monkeypatch.setattr(fx, "default_table", lambda: table)
    row = clean_posting(
        record(
            baseSalary={
                "valueMin": 70_000,
                "valueMax": 90_000,
                "rateType": "YEAR",
                "currency": "EUR",
            },
            payOrigin="posted",
        )
    )
    assert row["pay_flag"] is None
    assert (row["pay_min"], row["pay_currency"]) == (70_000, "EUR")  # stated values kept
    assert row["annual_min_usd"] == pytest.approx(77_000)
    assert row["annual_max_usd"] == pytest.approx(99_000)
    assert str(row["fx_rate_date"]) == "2026-09-30"


def test_hourly_pay_below_the_floor_is_flagged_after_annualizing():
    row = clean_posting(record(baseSalary={"raw": "$4 - $4.50 per hour"}, payOrigin="posted"))
    assert row["pay_flag"] == "implausible_annual"
