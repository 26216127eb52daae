"""Report statistics: percentiles, the statistic behind each metric, a seeded bootstrap.

Pure Python (``statistics`` and ``random``): the report must not depend on numpy being there,
and a seeded ``random.Random`` makes every interval reproducible to the cent.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

BOOTSTRAP_SEED = 20220101
BOOTSTRAP_RESAMPLES = 1000


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between order statistics."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    return percentile(values, 90)


# How each published metric is computed from a sample of posted pay. A salary site's "high"
# is the top of its typical range; the 90th percentile of posted pay is the closest analogue.
METRIC_STATISTICS: dict[str, tuple[str, Callable[[Sequence[float]], float]]] = {
    "average": ("mean", mean),
    "mean": ("mean", mean),
    "median": ("median", median),
    "high": ("90th percentile", p90),
    "p90": ("90th percentile", p90),
}


@dataclass(frozen=True)
class Estimate:
    """A statistic of a sample with its size and a bootstrap 95% interval (None below n=2)."""

    value: float
    n: int
    ci_low: float | None
    ci_high: float | None


def bootstrap_ci(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float],
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> tuple[float, float] | None:
    """Percentile bootstrap 95% interval of ``statistic``; None with fewer than two values."""
    if len(values) < 2:
        return None
    rng = random.Random(seed)
    data = list(values)
    estimates = sorted(statistic(rng.choices(data, k=len(data))) for _ in range(resamples))
    return percentile(estimates, 2.5), percentile(estimates, 97.5)


def estimate(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float],
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> Estimate | None:
    if not values:
        return None
    ci = bootstrap_ci(values, statistic, seed=seed, resamples=resamples)
    return Estimate(statistic(values), len(values), *(ci or (None, None)))


def ratio_estimate(
    numerator: Sequence[float],
    denominator: Sequence[float],
    statistic: Callable[[Sequence[float]], float] = mean,
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> Estimate | None:
    """Premium in percent, ``100 * (stat(numerator) / stat(denominator) - 1)``, with a bootstrap
    interval resampling both samples independently; n is the numerator's size."""
    if not numerator or not denominator:
        return None

    def premium(top: Sequence[float], bottom: Sequence[float]) -> float:
        return 100 * (statistic(top) / statistic(bottom) - 1)

    value = premium(numerator, denominator)
    if len(numerator) < 2 or len(denominator) < 2:
        return Estimate(value, len(numerator), None, None)
    rng = random.Random(seed)
    top, bottom = list(numerator), list(denominator)
    draws = sorted(
        premium(rng.choices(top, k=len(top)), rng.choices(bottom, k=len(bottom)))
        for _ in range(resamples)
    )
    return Estimate(value, len(numerator), percentile(draws, 2.5), percentile(draws, 97.5))
