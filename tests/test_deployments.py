"""prefect.yaml: the deployments build with the right flows, schedules and parameters, and one
of them, once deployed, runs end to end from a scheduled flow run."""

from __future__ import annotations

import inspect

import pytest

from flows.deployments import deployment_specs, entrypoint_flow, runner_deployments

SPECS = deployment_specs()


def _by_name(deployments):
    return {d.name: d for d in deployments}


def test_three_scheduled_deployments_with_time_zones():
    deployments = _by_name(runner_deployments())
    schedules = {
        name: [(s.schedule.cron, s.schedule.timezone) for s in d.schedules]
        for name, d in deployments.items()
    }
    assert schedules == {
        "daily-postings": [("0 5 * * *", "America/New_York")],
        "weekly-salary-pages": [("0 6 * * 1", "America/New_York")],
        "weekly-report": [("0 9 * * 1", "America/New_York")],
    }
    assert deployments["daily-postings"].flow_name == "secjobs-pipeline"
    assert deployments["weekly-report"].flow_name == "secjobs-report"


def test_parameters_name_registry_groups_and_queries():
    from flows.launch import all_spiders, check_spiders

    deployments = _by_name(runner_deployments())
    postings = deployments["daily-postings"].parameters
    salaries = deployments["weekly-salary-pages"].parameters
    # The spiders come from the registry's groups, not from a list in prefect.yaml.
    assert "spiders" not in postings and "spiders" not in salaries
    crawled = {
        name: check_spiders(None, deployment.parameters["group"])
        for name, deployment in deployments.items()
        if "group" in deployment.parameters
    }
    assert set(crawled) == {"daily-postings", "weekly-salary-pages"}
    assert set(crawled["daily-postings"]) | set(crawled["weekly-salary-pages"]) == set(
        all_spiders()
    )
    # Posting crawls and salary-page crawls do not overlap; neither writes the report.
    assert not set(crawled["daily-postings"]) & set(crawled["weekly-salary-pages"])
    assert "comparably" in crawled["weekly-salary-pages"]
    assert {"greenhouse", "ecb_fx"} <= set(crawled["daily-postings"])
    assert postings["queries"] == ["cybersecurity manager", "information security manager"]
    assert postings["make_report"] is False and salaries["make_report"] is False


@pytest.mark.parametrize("spec", SPECS, ids=[s["name"] for s in SPECS])
def test_every_parameter_is_accepted_by_its_flow(spec):
    flow = entrypoint_flow(spec["entrypoint"])
    assert set(spec["parameters"]) <= set(inspect.signature(flow.fn).parameters)
    assert spec["work_pool"]["name"] == "secjobs"


def test_overrides_only_reach_flows_that_accept_them():
    overrides = {"sandbox_url": "http://127.0.0.1:1", "reports_dir": "r", "crawl_retries": 0}
    deployments = _by_name(runner_deployments(overrides=overrides))
    assert deployments["daily-postings"].parameters["sandbox_url"] == "http://127.0.0.1:1"
    assert deployments["daily-postings"].parameters["crawl_retries"] == 0
    # The report flow crawls nothing; the sandbox URL only sends it to the sandbox's database.
    assert deployments["weekly-report"].parameters == {
        "sandbox_url": "http://127.0.0.1:1",
        "reports_dir": "r",
    }


def test_query_settings_reach_search_sources_only():
    import json

    from spiders.sources import query_settings

    assert query_settings("adzuna", ["ciso", "security manager"]) == {
        "ADZUNA_QUERIES": "ciso,security manager"
    }
    assert json.loads(query_settings("usajobs", ["ciso"])["USAJOBS_SEARCHES"]) == [
        {"Keyword": "ciso"}
    ]
    assert json.loads(query_settings("remotive", ["ciso"])["REMOTIVE_SEARCHES"]) == [
        {"search": "ciso"}
    ]
    assert query_settings("greenhouse", ["ciso"]) == {}
    assert query_settings("adzuna", []) == {}


@pytest.mark.prefect
def test_a_scheduled_run_of_a_deployment_executes_end_to_end(prefect_harness, tmp_path):
    """Deploy weekly-salary-pages to the test server, schedule a run of it, execute that run."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow
    from prefect.states import Scheduled

    from flows.pipeline import secjobs_pipeline
    from sandbox.generator import Market
    from sandbox.server import running_sandbox
    from spiders.sources import deployment_spiders

    with running_sandbox(Market(size=60)) as url:
        overrides = {
            "sandbox_url": url,
            "database_url": f"sqlite:///{tmp_path / 'secjobs.db'}",
            "staging_dir": str(tmp_path / "staging"),
            "reports_dir": str(tmp_path / "reports"),
            "crawl_retry_delay_seconds": 0,
        }
        deployment = _by_name(runner_deployments(overrides=overrides))["weekly-salary-pages"]
        deployment_id = deployment.apply()
        with get_client(sync_client=True) as client:
            stored = client.read_deployment(deployment_id)
            assert [s.schedule.cron for s in stored.schedules] == ["0 6 * * 1"]
            scheduled = client.create_flow_run_from_deployment(deployment_id, state=Scheduled())
            state = run_flow(
                secjobs_pipeline,
                flow_run=scheduled,
                parameters=scheduled.parameters,
                return_type="state",
            )
            finished = client.read_flow_run(scheduled.id)
    assert state.is_completed(), state.message
    summary = state.result()
    assert summary["salary_observations"] > 10
    assert set(summary["sources"]) == set(deployment_spiders(stored.parameters["group"]))
    assert finished.deployment_id == deployment_id
    # The run is renamed after what it did.
    assert finished.name.startswith("salaries: 0 postings stored, ")
    assert "salary figures" in finished.name
