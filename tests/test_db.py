"""SQLite connection settings: what every connection the pipeline opens is set to."""

from __future__ import annotations

from pipeline.db import make_engine, upgrade


def pragma(url: str, name: str):
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
    engine.dispose()
    return value


def test_every_connection_gets_wal_normal_sync_and_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(url)
    assert pragma(url, "journal_mode") == "wal"  # a report reads while a run writes
    assert pragma(url, "synchronous") == 1  # NORMAL
    assert pragma(url, "foreign_keys") == 1
