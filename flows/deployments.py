"""The deployments of ``prefect.yaml`` as objects, for ``secjobs serve`` (one local process).

``prefect deploy --all`` reads the same file for a Prefect server and its workers, so the
schedules and parameters are written once.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml
from prefect import Flow
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"


def deployment_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text())["deployments"]


def entrypoint_flow(entrypoint: str) -> Flow:
    """``flows/pipeline.py:secjobs_pipeline`` -> the flow object."""
    file, name = entrypoint.split(":")
    module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def runner_deployments(
    path: Path = PREFECT_YAML, overrides: dict[str, Any] | None = None
) -> list[RunnerDeployment]:
    """One RunnerDeployment per ``prefect.yaml`` deployment, same schedules and parameters.

    ``overrides`` are added to every deployment's parameters that its flow accepts
    (``secjobs serve --sandbox`` passes the sandbox URL).
    """
    deployments = []
    for spec in deployment_specs(path):
        flow = entrypoint_flow(spec["entrypoint"])
        accepted = set(flow.parameters.properties)
        parameters = {
            **spec.get("parameters", {}),
            **{k: v for k, v in (overrides or {}).items() if k in accepted},
        }
        deployments.append(
            flow.to_deployment(
                name=spec["name"],
                description=spec.get("description"),
                tags=spec.get("tags"),
                parameters=parameters,
                schedules=[
                    Cron(s["cron"], timezone=s.get("timezone", "UTC"), active=s.get("active", True))
                    for s in spec.get("schedules", [])
                ],
            )
        )
    return deployments
