"""Salary figures and price-index values: nothing absurd, missing or unknown is stored."""

from __future__ import annotations

import pytest

from pipeline.observations import clean_observation, clean_price_index
from pipeline.postings import Rejected


def figure(**overrides) -> dict:
    base = {
        "source": "ziprecruiter",
        "url": "https://www.ziprecruiter.com/Salaries/x",
        "roleQuery": "cybersecurity manager",
        "geography": "US",
        "metric": "average",
        "value": 140_000,
        "currency": "USD",
        "period": "year",
        "isEstimate": False,
        "scrapedAt": "2026-11-25T08:00:00+00:00",
        "raw": "$140,000 /yr",
    }
    base.update(overrides)
    return base


def test_clean_figure():
    row = clean_observation(figure(value=67.31, period="hour"))
    assert (row["value"], row["period"], str(row["observed_on"])) == (67.31, "hour", "2026-11-25")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"value": None}, "missing_value"),
        ({"value": 0}, "implausible_value"),  # a blocked page must never become a zero
        ({"value": 5_000_000}, "implausible_value"),
        ({"value": float("nan")}, "missing_value"),
        ({"currency": "dollars"}, "unknown_currency"),
        ({"metric": "vibes"}, "unknown_metric"),
        ({"period": "fortnight"}, "unknown_period"),
        ({"geography": ""}, "missing_geography"),
    ],
)
def test_bad_figures_are_rejected_with_reason(overrides, reason):
    with pytest.raises(Rejected) as caught:
        clean_observation(figure(**overrides))
    assert caught.value.reason == reason


def test_price_index():
    row = clean_price_index({"seriesId": "CUUR0000SA0", "period": "2024-01", "value": 308.417})
    assert (str(row["period"]), row["value"]) == ("2024-01-01", 308.417)
    with pytest.raises(Rejected, match="bad_period"):
        clean_price_index({"seriesId": "CUUR0000SA0", "period": "2024-13", "value": 1.0})


def test_figure_dated_by_its_source():
    row = clean_observation(figure(observedOn="2024-03-01"))
    assert str(row["observed_on"]) == "2024-03-01"
