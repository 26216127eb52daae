"""Credentials: the environment first, else a Prefect Secret block; never a run parameter."""

from __future__ import annotations

import pytest

from flows import secrets


def test_every_credential_a_source_reads_has_a_block_name():
    assert secrets.secret_variables() == [
        "ADZUNA_APP_ID",
        "ADZUNA_APP_KEY",
        "BLS_API_KEY",
        "SECJOBS_CONTACT_EMAIL",
        "USAJOBS_API_KEY",
        "USAJOBS_USER_AGENT",
    ]
    assert secrets.block_name("USAJOBS_API_KEY") == "secjobs-usajobs-api-key"
    assert secrets.block_name("SECJOBS_DATABASE_URL") == "secjobs-database-url"


@pytest.mark.prefect
def test_environment_wins_then_secret_block_then_nothing(prefect_harness, monkeypatch, tmp_path):
    from prefect.blocks.system import Secret

    for name in secrets.secret_variables() + [secrets.DATABASE_URL]:
        monkeypatch.delenv(name, raising=False)
    blocks = [secrets.block_name("USAJOBS_API_KEY"), secrets.block_name(secrets.DATABASE_URL)]
    database = f"sqlite:///{tmp_path / 'from-block.db'}"
    Secret(value="key-from-block").save(blocks[0], overwrite=True)
    Secret(value=database).save(blocks[1], overwrite=True)
    try:
        _check_resolution(monkeypatch, database)
    finally:  # the test server is shared by every flow test
        for name in blocks:
            Secret.delete(name)
    assert secrets.database_url() != database


def _check_resolution(monkeypatch, database: str) -> None:
    assert secrets.crawl_environment() == {"USAJOBS_API_KEY": "key-from-block"}
    assert secrets.database_url() == database
    assert secrets.database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    monkeypatch.setenv("USAJOBS_API_KEY", "key-from-env")
    monkeypatch.setenv("ADZUNA_APP_ID", "id-from-env")
    assert secrets.crawl_environment() == {
        "USAJOBS_API_KEY": "key-from-env",
        "ADZUNA_APP_ID": "id-from-env",
    }


def test_crawl_environment_makes_relative_data_paths_absolute(monkeypatch, tmp_path):
    from flows.launch import crawl_environment

    for name in secrets.secret_variables():  # set: no Secret block is looked up
        monkeypatch.setenv(name, f"{name.lower()}-value")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECJOBS_DATA_DIR", "runs")
    monkeypatch.delenv("SECJOBS_HTTPCACHE_DIR", raising=False)
    env = crawl_environment(tmp_path / "staging", "http://127.0.0.1:8123")
    # The crawl runs in the project root: a relative path would land in its data/.
    assert env["SECJOBS_HTTPCACHE_DIR"] == str(tmp_path / "runs" / "httpcache")
    assert env["SECJOBS_STAGING_DIR"] == str(tmp_path / "staging")
    assert env["SECJOBS_SANDBOX_URL"] == "http://127.0.0.1:8123"
    assert env["USAJOBS_API_KEY"] == "usajobs_api_key-value"
    monkeypatch.setenv("SECJOBS_HTTPCACHE_DIR", "/srv/cache")
    assert crawl_environment(tmp_path / "staging")["SECJOBS_HTTPCACHE_DIR"] == "/srv/cache"
