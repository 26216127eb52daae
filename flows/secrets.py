"""Credentials for the crawls and the database: environment variables, else Prefect Secret blocks.

The variables are the ones ``spiders/sources/*.toml`` name in their ``*_env`` keys (never the
values), plus ``SECJOBS_DATABASE_URL``. Each may instead live in a Prefect ``Secret`` block
named ``secjobs-<variable in lower case, dashes>``, e.g. ``secjobs-usajobs-api-key``.
Values are resolved inside the tasks that use them, so they never become run parameters.
"""

from __future__ import annotations

import os

from pipeline import config
from spiders.sources import load_sources

DATABASE_URL = "SECJOBS_DATABASE_URL"


def secret_variables(spiders: list[str] | None = None) -> list[str]:
    """Every environment variable a source (of ``spiders``; None: any) reads a credential or
    contact from."""
    names = {
        value
        for name, source in load_sources().items()
        if spiders is None or name in spiders
        for key, value in source.items()
        if key.endswith("_env") and isinstance(value, str)
    }
    return sorted(names)


def block_name(variable: str) -> str:
    return "secjobs-" + variable.lower().removeprefix("secjobs_").replace("_", "-")


def _from_block(variable: str) -> str | None:
    """Its Secret block's value, when a Prefect API is there to ask: a configured server
    (PREFECT_API_URL, as workers and ``prefect_test_harness`` have) or the run this is part
    of. A one-off crawl without either reads the environment only, rather than start a
    temporary Prefect server (seconds) to look."""
    from prefect.context import get_run_context
    from prefect.exceptions import MissingContextError
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        try:
            get_run_context()
        except MissingContextError:
            return None
    from prefect.blocks.system import Secret

    try:
        return str(Secret.load(block_name(variable)).get())
    except ValueError:  # no such block
        return None


def resolve(variable: str) -> str | None:
    """The environment variable if set, else its Secret block's value, else None."""
    return os.environ.get(variable) or _from_block(variable)


def crawl_environment(spiders: list[str] | None = None) -> dict[str, str]:
    """The credentials a ``scrapy crawl`` subprocess (of ``spiders``; None: any) reads, for
    its environment only. Only the crawled sources' are looked up: a crawl that needs none
    never waits for Prefect's API to read a Secret block."""
    found = {name: resolve(name) for name in secret_variables(spiders)}
    return {name: value for name, value in found.items() if value}


def database_url(explicit: str | None = None) -> str:
    """An explicit URL, else ``SECJOBS_DATABASE_URL`` or its block, else local SQLite."""
    return explicit or resolve(DATABASE_URL) or config.database_url()
