"""Report statistics: percentiles, the statistic behind each metric, a seeded bootstrap.

Point estimates are plain Python (``statistics``, ``math.fsum``). The bootstrap is seeded, so
every interval is reproducible to the cent, and runs on NumPy arrays (NumPy comes with
``datasketch``, a direct dependency). Up to ``EXACT_LIMIT`` values it draws exactly what
``random.Random(seed).choices`` draws: the Mersenne Twister state of a seeded
``random.Random`` is handed to NumPy's legacy ``RandomState`` (same generator, same 53-bit
doubles). Larger samples, where that would cost minutes, draw each resample as the count of
every distinct value (multinomial, the same resampling distribution) from a generator seeded
alike: pay is quoted in round figures, so a hundred thousand postings have a few thousand
distinct values.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SEED = 20220101
BOOTSTRAP_RESAMPLES = 1000
# Values held at once per chunk of resamples (about 16 MB per array).
CHUNK_VALUES = 1 << 21
# Up to this many values (all samples of one interval together) the draws are exactly
# random.Random's; above, the same distribution is drawn by NumPy (see _large_resamples).
EXACT_LIMIT = 5_000


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between order statistics."""
    if len(values) == 0:
        raise ValueError("percentile of no values")
    if isinstance(values, np.ndarray):
        return float(_percentile_rows(values[np.newaxis, :], q)[0])
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float:
    if isinstance(values, np.ndarray):  # the same correctly rounded sum as fmean
        return math.fsum(values.tolist()) / len(values)
    return statistics.fmean(values)


def median(values: Sequence[float]) -> float:
    if isinstance(values, np.ndarray) and len(values):
        return float(_median_rows(values[np.newaxis, :])[0])
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    return percentile(values, 90)


def _percentile_rows(rows: np.ndarray, q: float) -> np.ndarray:
    """``percentile`` of every row of a 2-D array, with the same arithmetic."""
    n = rows.shape[1]
    position = (n - 1) * q / 100
    low = int(position)
    high = min(low + 1, n - 1)
    part = np.partition(rows, sorted({low, high}), axis=1)
    return part[:, low] + (part[:, high] - part[:, low]) * (position - low)


def _median_rows(rows: np.ndarray) -> np.ndarray:
    n = rows.shape[1]
    part = np.partition(rows, sorted({(n - 1) // 2, n // 2}), axis=1)
    return (part[:, (n - 1) // 2] + part[:, n // 2]) / 2


@dataclass(frozen=True)
class _Counts:
    """Resamples as counts of each distinct value: ``counts[r, k]`` copies of ``values[k]``."""

    values: np.ndarray  # sorted distinct values
    counts: np.ndarray  # (resamples, distinct)
    n: int

    def order_statistic(self, rank: int) -> np.ndarray:
        """The ``rank``-th smallest value (0-based) of every resample."""
        return self.values[(self.counts.cumsum(axis=1) <= rank).sum(axis=1)]

    def percentile(self, q: float) -> np.ndarray:
        position = (self.n - 1) * q / 100
        low = int(position)
        lo, hi = self.order_statistic(low), self.order_statistic(min(low + 1, self.n - 1))
        return lo + (hi - lo) * (position - low)

    def rows(self) -> np.ndarray:
        return np.stack([np.repeat(self.values, row.astype(np.intp)) for row in self.counts])


Resamples = np.ndarray | _Counts
# The statistics above on every resample of a chunk at once: (rows of values, counts).
_VECTORIZED: dict[Callable, tuple[Callable, Callable]] = {
    mean: (lambda rows: rows.sum(axis=1) / rows.shape[1], lambda c: c.counts @ c.values / c.n),
    median: (
        _median_rows,
        lambda c: (c.order_statistic((c.n - 1) // 2) + c.order_statistic(c.n // 2)) / 2,
    ),
    p90: (lambda rows: _percentile_rows(rows, 90), lambda c: c.percentile(90)),
}


def _apply(statistic: Callable[[Sequence[float]], float], chunk: Resamples) -> np.ndarray:
    """``statistic`` of every resample in ``chunk``."""
    on_rows, on_counts = _VECTORIZED.get(statistic, (None, None))
    if isinstance(chunk, _Counts):
        if on_counts is not None:
            return on_counts(chunk)
        chunk = chunk.rows()
    if on_rows is not None:
        return on_rows(chunk)
    return np.array([statistic(row.tolist()) for row in chunk])


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


def _python_random(seed: int) -> np.random.RandomState:
    """A NumPy generator whose ``random_sample`` continues ``random.Random(seed).random()``."""
    _, internal, _ = random.Random(seed).getstate()
    generator = np.random.RandomState()
    generator.set_state(("MT19937", np.array(internal[:-1], dtype=np.uint32), internal[-1]))
    return generator


def _exact_resamples(samples: list[np.ndarray], seed: int, resamples: int) -> Iterator[list]:
    """What ``rng.choices(sample, k=len(sample))`` draws for each sample in turn, resample
    after resample, with ``rng = random.Random(seed)``: chunks of (resamples, n) arrays."""
    generator = _python_random(seed)
    sizes = [len(s) for s in samples]
    width = sum(sizes)
    done = 0
    while done < resamples:
        count = min(max(1, CHUNK_VALUES // width), resamples - done)
        uniform = generator.random_sample(count * width).reshape(count, width)
        chunk, start = [], 0
        for sample, n in zip(samples, sizes, strict=True):
            # floor(random() * n): the index random.choices picks.
            chunk.append(sample[(uniform[:, start : start + n] * float(n)).astype(np.intp)])
            start += n
        yield chunk
        done += count


def _large_resamples(samples: list[np.ndarray], seed: int, resamples: int) -> Iterator[list]:
    """The same resampling distribution for large samples: each resample as the count of
    every distinct value (multinomial), or as drawn indices when values are mostly distinct."""
    generator = np.random.default_rng(seed)
    distinct = [np.unique(s, return_counts=True) for s in samples]
    # Counting every distinct value pays off when there are far fewer of them than values.
    widths = [
        min(len(s), 8 * len(values)) for s, (values, _) in zip(samples, distinct, strict=True)
    ]
    done = 0
    while done < resamples:
        count = min(max(1, CHUNK_VALUES // sum(widths)), resamples - done)
        chunk: list[Resamples] = []
        for sample, (values, counts), width in zip(samples, distinct, widths, strict=True):
            n = len(sample)
            if width < n:  # few distinct values
                drawn = generator.multinomial(n, counts / n, size=count)
                chunk.append(_Counts(values, drawn.astype(float), n))
            else:
                chunk.append(sample[generator.integers(0, n, size=(count, n))])
        yield chunk
        done += count


def _resamples(samples: list[np.ndarray], seed: int, resamples: int) -> Iterator[list]:
    if sum(len(s) for s in samples) <= EXACT_LIMIT:
        return _exact_resamples(samples, seed, resamples)
    return _large_resamples(samples, seed, resamples)


def bootstrap_cis(
    values: Sequence[float],
    statistics_: Sequence[Callable[[Sequence[float]], float]],
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> list[tuple[float, float] | None]:
    """``bootstrap_ci`` of several statistics from the same resamples."""
    if len(values) < 2:
        return [None for _ in statistics_]
    draws: list[list[np.ndarray]] = [[] for _ in statistics_]
    for (chunk,) in _resamples([np.asarray(values, dtype=float)], seed, resamples):
        for i, statistic in enumerate(statistics_):
            draws[i].append(_apply(statistic, chunk))
    out = []
    for parts in draws:
        ordered = np.concatenate(parts).tolist()
        out.append((percentile(ordered, 2.5), percentile(ordered, 97.5)))
    return out


def bootstrap_ci(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float],
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> tuple[float, float] | None:
    """Percentile bootstrap 95% interval of ``statistic``; None with fewer than two values."""
    return bootstrap_cis(values, [statistic], seed=seed, resamples=resamples)[0]


def estimates(
    values: Sequence[float],
    statistics_: Sequence[Callable[[Sequence[float]], float]],
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> list[Estimate | None]:
    """``estimate`` of several statistics of one sample, sharing the bootstrap draws."""
    if len(values) == 0:
        return [None for _ in statistics_]
    plain = values.tolist() if isinstance(values, np.ndarray) else list(values)
    cis = bootstrap_cis(values, statistics_, seed=seed, resamples=resamples)
    return [
        Estimate(statistic(plain), len(plain), *(ci or (None, None)))
        for statistic, ci in zip(statistics_, cis, strict=True)
    ]


def estimate(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float],
    *,
    seed: int = BOOTSTRAP_SEED,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> Estimate | None:
    return estimates(values, [statistic], seed=seed, resamples=resamples)[0]


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
    if len(numerator) == 0 or len(denominator) == 0:
        return None
    top = np.asarray(numerator, dtype=float)
    bottom = np.asarray(denominator, dtype=float)
    value = 100 * (statistic(top.tolist()) / statistic(bottom.tolist()) - 1)
    if len(top) < 2 or len(bottom) < 2:
        return Estimate(value, len(top), None, None)
    draws = [
        100 * (_apply(statistic, tops) / _apply(statistic, bottoms) - 1)
        for tops, bottoms in _resamples([top, bottom], seed, resamples)
    ]
    ordered = np.concatenate(draws).tolist()
    return Estimate(value, len(top), percentile(ordered, 2.5), percentile(ordered, 97.5))


_Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson_interval(count: int, total: int) -> tuple[float, float] | None:
    """The Wilson score 95% interval of the proportion ``count / total`` (None when
    ``total`` is 0). Unlike the normal approximation it stays inside [0, 1] and is honest
    at small n and at shares near 0 or 1, which requirement shares often are."""
    if total <= 0:
        return None
    p = count / total
    z2 = _Z95 * _Z95
    denominator = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half = _Z95 * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
