"""prefect.yaml: every deployment points at the real flow, with valid schedules and parameters."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOYMENTS = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_deployment_is_runnable(deployment):
    from prefect import Flow
    from prefect.client.schemas.schedules import CronSchedule

    path, name = deployment["entrypoint"].split(":")
    assert (ROOT / path).exists()
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, name)
    assert isinstance(flow, Flow)
    accepted = inspect.signature(flow.fn).parameters
    assert set(deployment["parameters"]) <= set(accepted)
    for schedule in deployment["schedules"]:
        CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])  # raises if invalid
    assert deployment["work_pool"]["name"]
    if "spiders" in deployment["parameters"]:
        from flows.pipeline import all_spiders

        assert set(deployment["parameters"]["spiders"]) <= set(all_spiders())
