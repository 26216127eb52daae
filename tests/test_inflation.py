"""CPI-U restatement of the article's 2022 dollars, and the report's bootstrap."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards import stats
from pipeline.inflation import ARTICLE_MONTH, beats_inflation, in_todays_dollars

# CPI-U (CUUR0000SA0) as published for January 2022; a later month chosen for round figures.
INDEX = {date(2021, 12, 1): 278.802, date(2022, 1, 1): 281.148, date(2025, 9, 1): 337.3776}


def test_restates_with_the_latest_month_stored():
    restated = in_todays_dollars(117_580, INDEX)
    assert restated.latest_month == date(2025, 9, 1) and restated.base_month == ARTICLE_MONTH
    assert restated.value == pytest.approx(141_096.0)  # 117,580 * 1.2
    assert restated.inflation_pct == pytest.approx(20.0)


def test_base_month_is_the_first_of_its_month():
    assert in_todays_dollars(100, INDEX, date(2022, 1, 15)).value == pytest.approx(120.0)


def test_without_the_base_month_or_a_later_month_there_is_no_answer():
    assert in_todays_dollars(100, {}) is None
    assert in_todays_dollars(100, {date(2025, 9, 1): 337.3776}) is None
    assert in_todays_dollars(100, {date(2022, 1, 1): 281.148}).value == 100
    assert in_todays_dollars(100, INDEX, base_month=date(2026, 1, 1)) is None


def test_beats_inflation():
    restated = in_todays_dollars(117_580, INDEX)
    assert beats_inflation(141_097, restated) is True
    assert beats_inflation(131_000, restated) is False  # a nominal raise, a real cut
    assert beats_inflation(None, restated) is None
    assert beats_inflation(131_000, None) is None


def test_percentile_interpolates():
    assert stats.percentile([110, 120, 130, 150, 180, 200], 90) == 190
    assert stats.percentile([5], 50) == 5


def test_bootstrap_is_seeded_and_sane():
    values = [110_000, 120_000, 130_000, 150_000, 180_000, 200_000]
    first = stats.estimate(values, stats.mean)
    assert first == stats.estimate(values, stats.mean)
    assert first.n == 6 and first.value == pytest.approx(148_333.333)
    assert min(values) <= first.ci_low < first.value < first.ci_high <= max(values)
    assert stats.estimate(values, stats.mean, seed=1) != first
    same = stats.estimate([90_000] * 5, stats.median)
    assert (same.ci_low, same.ci_high) == (90_000, 90_000)
    assert stats.estimate([1.0], stats.mean) == stats.Estimate(1.0, 1, None, None)
    assert stats.estimate([], stats.mean) is None
