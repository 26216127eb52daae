"""Shared fixtures: the sandbox server, databases (SQLite and the real PostgreSQL), realdata."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from sandbox.realdata import realdata_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "SECJOBS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The shared recorded real responses (read in place, never copied unless MIT)."""
    root = realdata_dir()
    if root is None:
        pytest.skip("../shared/realdata is not beside this checkout (set SECJOBS_REALDATA_DIR)")
    return root


def _service_missing(what: str) -> None:
    # In CI (.ci/run sets SECJOBS_REQUIRE_SERVICES) the service must be there: a missing one
    # is a failure, not a skip.
    if os.environ.get("CI") or os.environ.get("SECJOBS_REQUIRE_SERVICES"):
        pytest.fail(f"{what} is required in CI but is not reachable")
    pytest.skip(f"{what} is not running on this machine")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'secjobs.db'}"


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError:
        admin.dispose()
        _service_missing("PostgreSQL on 127.0.0.1:5432")
    name = f"secjobs_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    from pipeline.db import session_factory

    session_factory.cache_clear()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """The same test on SQLite and on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'secjobs.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(autouse=True)
def _sandbox_on_any_free_port(monkeypatch):
    # `--sandbox` commands serve on 8765 by default: tests on two workers would contend.
    monkeypatch.setenv("SECJOBS_SANDBOX_PORT", "0")


@pytest.fixture
def sandbox_url():
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    with running_sandbox(Market(size=120)) as url:
        yield url


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every flow test (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    import flows  # noqa: F401  (sets a project-local PREFECT_HOME, no telemetry)

    with prefect_test_harness(server_startup_timeout=120):
        yield
