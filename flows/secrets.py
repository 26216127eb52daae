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


def secret_variables() -> list[str]:
    """Every environment variable a source reads a credential or contact from."""
    names = {
        value
        for source in load_sources().values()
        for key, value in source.items()
        if key.endswith("_env") and isinstance(value, str)
    }
    return sorted(names)


def block_name(variable: str) -> str:
    return "secjobs-" + variable.lower().removeprefix("secjobs_").replace("_", "-")


def _from_block(variable: str) -> str | None:
    from prefect.blocks.system import Secret

    try:
        return str(Secret.load(block_name(variable)).get())
    except ValueError:  # no such block
        return None


def resolve(variable: str) -> str | None:
    """The environment variable if set, else its Secret block's value, else None."""
    return os.environ.get(variable) or _from_block(variable)


def crawl_environment() -> dict[str, str]:
    """The credentials a ``scrapy crawl`` subprocess reads, for its environment only."""
    found = {name: resolve(name) for name in secret_variables()}
    return {name: value for name, value in found.items() if value}


def database_url(explicit: str | None = None) -> str:
    """An explicit URL, else ``SECJOBS_DATABASE_URL`` or its block, else local SQLite."""
    return explicit or resolve(DATABASE_URL) or config.database_url()
