"""The board registry in a run: which registry boards each board spider crawls (the plan,
pipeline.boards), handed to it in a file; and what that costs, for ``secjobs boards plan``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from pipeline.boards import BoardPlan, SourceCost, plan_source, write_board_file
from spiders.sources import source_specs

# Scrapy's own defaults in spiders/settings.py, for a source without [politeness].
DEFAULT_DELAY, DEFAULT_CONCURRENCY = 1.0, 2


def source_costs(spiders: list[str] | None = None) -> list[SourceCost]:
    """The board sources among ``spiders`` (all by default), with their live politeness."""
    costs = []
    for name, spec in source_specs().items():
        link = spec.registry
        if link is None or (spiders is not None and name not in spiders):
            continue
        politeness = spec.politeness
        host = urlsplit(spec.base_url or "").hostname or name
        values = spec.values()
        costs.append(
            SourceCost(
                source=name,
                ats=link.ats,
                host="<tenant>.wd<N>.myworkdayjobs.com" if link.host_per_board else host,
                delay=politeness.delay if politeness else DEFAULT_DELAY,
                concurrency=politeness.concurrency if politeness else DEFAULT_CONCURRENCY,
                requests_per_board=link.requests_per_board,
                pinned=list(values.get(link.key) or []),
                value=link.value,
                host_per_board=link.host_per_board,
            )
        )
    return costs


def plan_run(
    session: Session, spiders: list[str] | None, now: datetime, max_boards: int | None = None
) -> list[BoardPlan]:
    return [
        plan_source(session, cost, now, max_boards=max_boards) for cost in source_costs(spiders)
    ]


def registry_settings(
    session: Session,
    spiders: list[str],
    staging: Path,
    run_id: str,
    now: datetime,
    max_boards: int | None = None,
) -> dict[str, dict[str, str]]:
    """Per board spider of the run, the ``-s`` setting naming the file of its registry
    boards (``<staging>/<spider>/<run id>.boards.json``), written now."""
    settings = {}
    for plan in plan_run(session, spiders, now, max_boards):
        path = staging / plan.cost.source / f"{run_id}.boards.json"
        settings[plan.cost.source] = {"SECJOBS_BOARDS_FILE": str(write_board_file(plan, path))}
    return settings
