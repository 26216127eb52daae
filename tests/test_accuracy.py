"""The cleaning modules meet their accuracy targets on the hand-labelled real strings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def scores(realdata):
    spec = importlib.util.spec_from_file_location(
        "benchmarks_accuracy", ROOT / "benchmarks" / "accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    assert len(module.load_rows("pay.csv", realdata)) >= 150
    assert len(module.load_rows("titles.csv", realdata)) >= 150
    return {s.name: s for s in module.evaluate(realdata)}


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("pay (min, max, currency, period)", 0.97),
        ("title family", 0.95),
        ("title seniority", 0.90),
        ("title family, held out", 0.90),
    ],
)
def test_accuracy_targets(scores, name, target):
    score = scores[name]
    assert score.accuracy >= target, score.misses
