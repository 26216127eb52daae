"""SQLite connection settings: what every connection the pipeline opens is set to."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from pipeline.db import SQLITE_CACHE_KIB, SQLITE_PAGE_SIZE, make_engine, upgrade


def pragma(url: str, name: str):
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
    engine.dispose()
    return value


def test_a_new_database_gets_large_pages_wal_and_a_large_cache(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(url)
    assert pragma(url, "page_size") == SQLITE_PAGE_SIZE
    assert pragma(url, "journal_mode") == "wal"
    assert pragma(url, "foreign_keys") == 1
    assert pragma(url, "cache_size") == -SQLITE_CACHE_KIB  # negative: in KiB, not pages


def test_an_existing_database_keeps_its_page_size_and_its_rows(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # made by another tool, with SQLite's default pages
        conn.execute("PRAGMA page_size=4096")
        conn.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY, note TEXT)")
        conn.execute("INSERT INTO kept (note) VALUES ('still here')")
    conn.close()
    url = f"sqlite:///{path}"
    upgrade(url)  # migrates beside the foreign table
    assert pragma(url, "page_size") == 4096
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT note FROM kept")).scalars().all() == ["still here"]
        assert "job_posting" in sa.inspect(conn).get_table_names()
    engine.dispose()
