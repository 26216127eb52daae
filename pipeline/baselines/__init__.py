"""The article's published figures as versioned data files (one TOML file per dataset)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATASETS = Path(__file__).parent
DEFAULT_DATASET = "article_2022_01"


@dataclass(frozen=True)
class BaselineFigure:
    dataset: str
    source: str
    metric: str
    geography: str
    value: float
    currency: str
    period: str
    as_of: date
    note: str | None
    cited_in: str


def load_baselines(name: str = DEFAULT_DATASET) -> list[BaselineFigure]:
    data = tomllib.loads((DATASETS / f"{name}.toml").read_text())
    return [
        BaselineFigure(
            dataset=data["dataset"],
            source=fig["source"],
            metric=fig["metric"],
            geography=fig["geography"],
            value=float(fig["value"]),
            currency=fig.get("currency", "USD"),
            period=fig.get("period", "year"),
            as_of=data["as_of"],
            note=fig.get("note"),
            cited_in=data["cited_in"],
        )
        for fig in data["figure"]
    ]
