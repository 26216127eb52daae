"""SQLite connection settings: what every connection the pipeline opens is set to, and how
long a writer waits for another's transaction."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

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


def hold_write_lock(url: str, seconds: float, started: threading.Event) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('held')")
        started.set()
        time.sleep(seconds)
        conn.exec_driver_sql("DELETE FROM alembic_version WHERE version_num = 'held'")
    engine.dispose()


def write_while_locked(url: str, hold_seconds: float) -> None:
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(url, hold_seconds, started))
    holder.start()
    started.wait()
    try:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
        engine.dispose()
    finally:
        holder.join()


def test_a_second_writer_waits_for_a_run_transaction(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    upgrade(url)
    begun = time.monotonic()
    # Longer than the driver's own 5 s: the default wait (300 s) outlasts it.
    write_while_locked(url, hold_seconds=5.5)
    assert time.monotonic() - begun >= 5.5


def test_the_wait_is_bounded_by_the_busy_timeout(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    upgrade(url)
    monkeypatch.setenv("SECJOBS_SQLITE_BUSY_TIMEOUT", "0.1")
    with pytest.raises(sa.exc.OperationalError, match="database is locked"):
        write_while_locked(url, hold_seconds=1.0)


def test_a_bad_busy_timeout_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SECJOBS_SQLITE_BUSY_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="SECJOBS_SQLITE_BUSY_TIMEOUT"):
        make_engine("sqlite://")
