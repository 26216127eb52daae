"""The HTTP cache's age limit: prune deletes exactly the entries Scrapy's own filesystem cache
would no longer use, written by that cache itself, and nothing else."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler
from typer.testing import CliRunner

from spiders import httpcache

DAY = 86_400
URLS = [f"https://boards.greenhouse.io/acme/jobs/{n}" for n in range(4)]


def storage(cache_dir: Path, max_age_days: float = 0) -> tuple[FilesystemCacheStorage, Spider]:
    crawler = get_crawler(
        Spider,
        {
            "HTTPCACHE_DIR": str(cache_dir),
            "HTTPCACHE_GZIP": True,
            "HTTPCACHE_EXPIRATION_SECS": httpcache.expiration_secs(max_age_days),
        },
    )
    spider = Spider.from_crawler(crawler, name="greenhouse")
    store = FilesystemCacheStorage(crawler.settings)
    store.open_spider(spider)
    return store, spider


def fill(cache_dir: Path, ages_days: list[float]) -> None:
    """One entry per URL, written by Scrapy, each made ``ages_days`` old."""
    store, spider = storage(cache_dir)
    for url, age in zip(URLS, ages_days, strict=False):
        request = Request(url)
        body = f"<h1>Security Manager {url}</h1>".encode()
        response = TextResponse(url, body=body, headers={"ETag": '"v1"'}, encoding="utf-8")
        store.store_response(spider, request, response)
        meta = Path(store._get_request_path(spider, request)) / "pickled_meta"
        then = time.time() - age * DAY
        os.utime(meta, (then, then))


def usable(cache_dir: Path, max_age_days: float) -> list[str]:
    store, spider = storage(cache_dir, max_age_days)
    return [url for url in URLS if store.retrieve_response(spider, Request(url)) is not None]


def test_prune_deletes_what_scrapy_would_ignore_and_keeps_the_rest(tmp_path):
    fill(tmp_path, [1, 29, 31, 400])
    assert usable(tmp_path, 30) == URLS[:2]  # Scrapy's own view of a 30-day limit
    pruned = httpcache.prune(tmp_path, 30)
    assert (pruned.removed, pruned.kept) == (2, 2)
    assert pruned.bytes_freed > 0
    # What is left is exactly what Scrapy used; and, with no limit, it can still read it.
    assert usable(tmp_path, 0) == URLS[:2]
    assert httpcache.prune(tmp_path, 30) == httpcache.Pruned(removed=0, kept=2)


def test_no_limit_keeps_every_entry(tmp_path):
    fill(tmp_path, [1, 31, 4000])
    assert httpcache.prune(tmp_path, 0) == httpcache.Pruned(removed=0, kept=3)
    assert usable(tmp_path, 0) == URLS[:3]


def test_half_written_entries_go_after_an_hour_and_emptied_prefixes_with_them(tmp_path):
    fill(tmp_path, [1])
    stale = tmp_path / "greenhouse" / "ab" / ("ab" + "0" * 38)
    fresh = tmp_path / "greenhouse" / "cd" / ("cd" + "1" * 38)
    for entry in (stale, fresh):
        entry.mkdir(parents=True)
        (entry / "response_body").write_bytes(b"half")
    two_hours_ago = time.time() - 7_200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    pruned = httpcache.prune(tmp_path, 30)
    assert (pruned.removed, pruned.kept) == (1, 2)
    assert not stale.parent.exists()  # its prefix directory was left empty
    assert fresh.exists()  # a crawl may be writing it now


def test_only_entry_shaped_directories_are_touched(tmp_path):
    fill(tmp_path, [400])
    notes = tmp_path / "greenhouse" / "notes.txt"
    notes.write_text("kept")
    foreign = tmp_path / "greenhouse" / "zz" / "not-a-fingerprint"
    foreign.mkdir(parents=True)
    assert httpcache.prune(tmp_path, 30).removed == 1
    assert notes.read_text() == "kept" and foreign.is_dir()


def test_a_missing_cache_is_nothing_to_prune(tmp_path):
    assert httpcache.prune(tmp_path / "absent", 30) == httpcache.Pruned()


@pytest.mark.parametrize(
    ("value", "days"), [(None, 30), ("", 30), ("7", 7), ("0.5", 0.5), ("0", 0)]
)
def test_max_age_comes_from_the_environment(value, days):
    environ = {} if value is None else {httpcache.MAX_AGE_ENV: value}
    assert httpcache.max_age_days(environ) == days


@pytest.mark.parametrize("value", ["thirty", "-1"])
def test_a_bad_max_age_is_a_clear_error(value):
    with pytest.raises(ValueError, match=httpcache.MAX_AGE_ENV):
        httpcache.max_age_days({httpcache.MAX_AGE_ENV: value})


def test_cli_prunes_the_configured_cache(tmp_path, monkeypatch):
    from secjobs.cli import app

    fill(tmp_path, [1, 31, 45])
    monkeypatch.setenv("SECJOBS_HTTPCACHE_DIR", str(tmp_path))
    monkeypatch.setenv(httpcache.MAX_AGE_ENV, "40")
    result = CliRunner().invoke(app, ["cache", "prune"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # the console wraps a long path
    assert "1 entries removed (0.0 MB), 2 kept" in output
    result = CliRunner().invoke(app, ["cache", "prune", "--max-age-days", "10"])
    assert "1 entries removed (0.0 MB), 1 kept" in " ".join(result.output.split())
    assert usable(tmp_path, 0) == URLS[:1]
