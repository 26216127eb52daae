"""The source registry (spiders/sources/<spider>.toml, validated by spiders/sources/spec.py):
bad files fail at load naming the file, key and type; every layer reads one registry; the
sandbox mapping agrees with the sandbox; a new source needs only its own files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from spiders.sources import (
    SOURCES_DIR,
    SourceSpecError,
    attributions,
    deployment_spiders,
    display_name,
    load_sources,
    query_settings,
    sandbox_settings,
    source_spec,
    source_specs,
)
from spiders.sources.spec import load_specs, recordings_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SANDBOX = "http://127.0.0.1:8765"


def scrapy_spiders(root: Path = PROJECT_ROOT, env: dict | None = None) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=root,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECJOBS_")}
    return {**env, **extra}


# --- the registry -------------------------------------------------------------------------


def test_every_spider_has_a_source_file_and_every_file_a_spider():
    assert sorted(source_specs()) == sorted(scrapy_spiders())


def test_the_registry_says_what_each_source_is():
    assert display_name("remoteok") == "Remote OK"
    assert display_name("ecb_fx") == "ECB exchange rates"
    assert display_name("postings") == "postings"  # not a source: its own name
    assert attributions() == {
        "adzuna": ("Jobs by Adzuna", "https://www.adzuna.com/"),
        "remoteok": ("Remote OK", "https://remoteok.com/"),
        "remotive": ("Remotive", "https://remotive.com/"),
    }
    kinds = {name: spec.kind for name, spec in source_specs().items()}
    assert kinds["greenhouse"] == "postings"
    assert kinds["comparably"] == kinds["bls_oews"] == "salary_figures"
    assert kinds["bls_cpi"] == kinds["ecb_fx"] == "statistics"
    assert source_spec("usajobs").credential_variables() == {
        "api_key_env": "USAJOBS_API_KEY",
        "user_agent_env": "USAJOBS_USER_AGENT",
    }
    with pytest.raises(KeyError, match="no source 'acme'"):
        source_spec("acme")


def test_search_queries_map_onto_each_source_as_its_toml_says():
    mapped = {
        name: spec.query_setting.model_dump()
        for name, spec in source_specs().items()
        if spec.query_setting is not None
    }
    # These three at least (a new search source adds its own line in its own TOML).
    assert {name: mapped.get(name) for name in ("adzuna", "remotive", "usajobs")} == {
        "adzuna": {"key": "queries", "shape": "csv", "param": None},
        "remotive": {"key": "searches", "shape": "json_list", "param": "search"},
        "usajobs": {"key": "searches", "shape": "json_list", "param": "Keyword"},
    }
    for name, mapping in mapped.items():  # each names one of its source's own keys
        assert mapping["key"] in type(source_specs()[name]).setting_keys(), name
    assert query_settings("adzuna", ["ciso", "a, b"]) == {"ADZUNA_QUERIES": "ciso,a  b"}
    assert json.loads(query_settings("usajobs", ["ciso"])["USAJOBS_SEARCHES"]) == [
        {"Keyword": "ciso"}
    ]
    assert query_settings("no_such_source", ["ciso"]) == {}


def test_prefect_deployments_crawl_the_registry_deployment_groups():
    from flows.launch import UnknownSpider, check_spiders

    specs = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())["deployments"]
    groups = {d["name"]: d["parameters"].get("group") for d in specs}
    # Each crawling deployment names its own group; none lists spiders by hand.
    assert groups == {
        "daily-postings": "daily-postings",
        "weekly-salary-pages": "weekly-salary-pages",
        "weekly-report": None,
    }
    assert not [d["name"] for d in specs if "spiders" in d["parameters"]]
    assert check_spiders(None, "weekly-salary-pages") == deployment_spiders("weekly-salary-pages")
    assert check_spiders(["lever"], "weekly-salary-pages") == ["lever"]  # names win
    with pytest.raises(UnknownSpider, match="no source is in group 'hourly'; groups: daily-"):
        check_spiders(None, "hourly")


def test_pay_coverage_floors_come_from_the_registry():
    from spiders.monitors import COVERAGE_FLOORS, coverage_shortfalls, pay_floor

    assert pay_floor("usajobs") == 0.9
    assert pay_floor("workable") == 0.0
    assert pay_floor("greenhouse") == COVERAGE_FLOORS["pay"]
    stats = {
        "secjobs/coverage/JobPosting": 40,
        "secjobs/coverage/JobPosting/title": 40,
        "secjobs/coverage/JobPosting/company": 40,
        "secjobs/coverage/JobPosting/pay": 30,
    }
    assert coverage_shortfalls(stats, "usajobs") == ["pay 75% < 90% of 40 postings"]
    assert coverage_shortfalls(stats, "greenhouse") == []


def test_load_sources_keeps_the_spider_keys_and_politeness():
    sources = load_sources()
    assert sources["greenhouse"]["politeness"] == {"delay": 1.0, "concurrency": 2}
    assert "display_name" not in sources["greenhouse"]
    assert "sandbox" not in sources["greenhouse"]
    assert sources["remotive"]["searches"][0] == {"search": "security manager"}


# --- bad files fail at load, saying where and what ------------------------------------------


def bad_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    for suffix in (".toml", ".py"):
        if (SOURCES_DIR / f"{name}{suffix}").exists():
            shutil.copy(SOURCES_DIR / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    path = tmp_path / f"{name}.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def load_error(directory: Path) -> str:
    with pytest.raises(SourceSpecError) as caught:
        load_specs(directory)
    return str(caught.value)


def test_a_misspelt_key_names_the_file_the_key_and_the_expected_type(tmp_path):
    path = bad_copy(tmp_path, "greenhouse", "\nboards = [", "\nbords = [")
    assert load_error(tmp_path) == (
        f"{path}: 1 problem\n  bords: unknown key; did you mean 'boards' (a list of strings)?"
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "line"),
    [
        (
            "usajobs",
            "results_per_page = 500",
            'results_per_page = "500"',
            "results_per_page: expected an integer, got '500' (Input should be a valid integer)",
        ),
        (
            "usajobs",
            'Keyword = "cybersecurity manager"',
            'Keywrod = "cybersecurity manager"',
            "searches[0].Keywrod: unknown key; did you mean 'Keyword'",
        ),
        (
            "payscale",
            'path = "/research',
            'pth = "/research',
            "pages[0].pth: unknown key; did you mean 'path' (a string)?",
        ),
        (
            "adzuna",
            'deployment = "daily-postings"',
            'deployment = "daily"',
            "deployment: expected one of 'daily-postings', 'weekly-salary-pages', got 'daily'",
        ),
        (
            "bls_oews",
            'type = "M"',
            'type = "X"',
            "areas[1].type: expected one of 'N', 'S', 'M', got 'X'",
        ),
        (
            "greenhouse",
            'base_url = "https://boards-api.greenhouse.io"',
            'base_url = "boards-api.greenhouse.io"',
            "base_url: expected an http(s) URL, got 'boards-api.greenhouse.io'",
        ),
        (
            "lever",
            'display_name = "Lever"\n',
            "",
            "display_name: missing; expected a string",
        ),
        (
            "adzuna",
            'app_id_env = "ADZUNA_APP_ID"',
            'app_id_env = "adzuna app id"',
            "app_id_env: expected an environment variable name",
        ),
        (
            "adzuna",
            '{ key = "queries", shape = "csv" }',
            '{ key = "querys", shape = "csv" }',
            "query_setting.key: 'querys' is not a key of this source",
        ),
        (
            "careers",
            'sitemaps = ["/sitemap.xml"]',
            'sitemaps = "/sitemap.xml"',
            "sandbox: sitemaps: expected a list of http(s) URLs, got '/sitemap.xml'",
        ),
        (
            "lever",
            'companies = ["matchgroup", "north',
            'compnies = ["matchgroup", "north',
            "sandbox.settings.compnies: unknown key; did you mean 'companies'",
        ),
        (
            "usajobs",
            "credentials = { api_key =",
            "credentials = { apikey =",
            "sandbox.credentials.apikey: this source has no 'apikey_env' key",
        ),
        (
            "ecb_fx",
            'path = "/ecb_fx"',
            'path = "ecb_fx"',
            "sandbox.path: expected a string, got 'ecb_fx'",
        ),
        ("ecb_fx", "[politeness]", "[politeness", "not valid TOML: Expected ']'"),
    ],
)
def test_wrong_keys_and_types_fail_at_load(tmp_path, name, old, new, line):
    path = bad_copy(tmp_path, name, old, new)
    message = load_error(tmp_path)
    assert message.startswith(f"{path}: ")
    assert line in message


def test_every_bad_file_is_named_in_one_error(tmp_path):
    bad_copy(tmp_path, "greenhouse", "\nboards = [", "\nbords = [")
    bad_copy(tmp_path, "workable", "\naccounts = [", "\naccount = [")
    message = load_error(tmp_path)
    assert "greenhouse.toml: 1 problem" in message and "workable.toml: 1 problem" in message


def test_scrapy_list_fails_clearly_on_a_misspelt_key(tmp_path):
    root = project_copy(tmp_path)
    toml = root / "spiders" / "sources" / "greenhouse.toml"
    toml.write_text(toml.read_text().replace("\nboards = [", "\nbords = [", 1))
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=root,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "secjobs: bad source configuration",
        "spiders/sources/greenhouse.toml: 1 problem",
        "  bords: unknown key; did you mean 'boards' (a list of strings)?",
    ]


# --- the sandbox mapping ------------------------------------------------------------------


@pytest.mark.parametrize("recordings", [True, False], ids=["recordings", "no-recordings"])
def test_the_sandbox_tables_agree_with_what_the_sandbox_serves(monkeypatch, recordings):
    from sandbox.realdata import realdata_dir
    from sandbox.routes import route_modules

    if not recordings:
        monkeypatch.setenv("SECJOBS_REALDATA_DIR", "/nonexistent")
    elif realdata_dir() is None:
        pytest.skip("no shared recordings beside this checkout")
    assert recordings_dir() == realdata_dir()
    ours = sandbox_settings(SANDBOX)
    checked = 0
    for module in route_modules():
        if not hasattr(module, "scrapy_settings"):
            continue
        for key, value in module.scrapy_settings(SANDBOX).items():
            assert ours.get(key) == value, (module.__name__, key)
            checked += 1
    assert checked > 40


def test_under_the_sandbox_no_source_setting_names_a_live_host():
    from spiders.reach import Host, source_hosts, source_urls

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    prefixes = tuple(f"{name.upper()}_" for name in source_specs())
    settings = sandbox_settings(SANDBOX)
    urls = [
        text
        for key, value in settings.items()
        if key.startswith(prefixes)
        for text in strings(value)
        if text.startswith(("http://", "https://"))
    ]
    assert len(urls) > 20
    assert [u for u in urls if not u.startswith(SANDBOX + "/")] == []
    assert source_hosts(source_urls(list(source_specs()), SANDBOX)) == [Host("127.0.0.1", 8765)]


def test_scrapy_settings_never_import_the_sandbox():
    code = (
        "import sys, spiders.settings as s, spiders.reach\n"
        "print(s.GREENHOUSE_BASE_URL)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sandbox'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=clean_env(SECJOBS_SANDBOX_URL=SANDBOX),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{SANDBOX}/greenhouse", "[]"]


# --- a new source touches only its own files ----------------------------------------------

COPIED = ("spiders", "sandbox", "pipeline", "flows", "dashboards", "secjobs", "tests")


def project_copy(tmp_path: Path) -> Path:
    """The project's code in ``tmp_path/project`` (no data, no virtualenv)."""
    root = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", "artifacts")
    for name in COPIED:
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=ignore)
    for name in ("scrapy.cfg", "pyproject.toml", "prefect.yaml"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    return root


NEW_SOURCE = {
    "spiders/sources/acme.toml": """\
        # Acme Jobs API (made up for tests/test_sources.py): GET /api/jobs?q=<words>
        display_name = "Acme Jobs"
        kind = "postings"
        deployment = "daily-postings"
        query_setting = { key = "searches", shape = "json_list", param = "q" }
        base_url = "https://api.acme-jobs.example"
        searches = [{ q = "security manager" }]

        [politeness]
        delay = 1.0
        concurrency = 1

        [sandbox]
        path = "/acme"
        """,
    "spiders/sources/acme.py": '''\
        """Acme Jobs' own keys in acme.toml."""

        from __future__ import annotations

        from spiders.sources.spec import SourceSpec, Table


        class AcmeSearch(Table):
            q: str


        class AcmeSpec(SourceSpec):
            searches: list[AcmeSearch]
        ''',
    "spiders/pages/acme.py": '''\
        """Acme Jobs API: {"jobs": [{"id", "title", "company", "url", "pay"}]}."""

        from __future__ import annotations

        from urllib.parse import urlencode

        import attrs

        from spiders.items import BaseSalary, HiringOrganization, JobPosting, PageFailure
        from spiders.pages.base import SourcePage


        def jobs_url(base_url: str, search: dict) -> str:
            return f"{base_url.rstrip('/')}/api/jobs?{urlencode(search)}"


        def parse_job(job: dict) -> JobPosting:
            pay = job.get("pay") or None
            return JobPosting(
                url=job.get("url") or "",
                jobPostingId=str(job["id"]),
                jobTitle=job.get("title"),
                hiringOrganization=HiringOrganization(
                    name=job.get("company"), nameRaw=job.get("company")
                ),
                baseSalary=BaseSalary(raw=pay) if pay else None,
                payOrigin="posted" if pay else None,
            )


        @attrs.define
        class AcmeJobsPage(SourcePage):
            def postings(self) -> list[JobPosting | PageFailure]:
                return [
                    job if isinstance(job, PageFailure) else parse_job(job)
                    for job in self.json_records()
                ]
        ''',
    "spiders/crawlers/acme.py": '''\
        """Acme Jobs API: every configured search."""

        from __future__ import annotations

        import json

        import scrapy

        from spiders.crawlers.base import SecjobsSpider
        from spiders.pages.acme import AcmeJobsPage, jobs_url


        class AcmeJobsSpider(SecjobsSpider):
            name = "acme"

            async def start(self):
                searches = self.settings.get("ACME_SEARCHES") or []
                if isinstance(searches, str):  # -s ACME_SEARCHES='[{"q": "ciso"}]'
                    searches = json.loads(searches)
                for search in searches:
                    url = jobs_url(self.settings.get("ACME_BASE_URL"), search)
                    yield scrapy.Request(url, callback=self.parse_jobs)

            def parse_jobs(self, response, page: AcmeJobsPage):
                yield from page.postings()
        ''',
    "sandbox/routes/acme.py": '''\
        """Acme Jobs API under /acme: generated postings whose title has every search word."""

        from __future__ import annotations

        from aiohttp import web

        from sandbox.generator import Market


        def add_routes(router: web.UrlDispatcher, market: Market) -> None:
            async def jobs(request: web.Request):
                words = request.query.get("q", "").lower().split()
                found = [p for p in market if all(w in p.title.lower() for w in words)]
                listed = [
                    {
                        "id": 7_000_000 + p.index,
                        "title": p.title,
                        "company": p.company,
                        "url": f"https://acme-jobs.example/jobs/{p.index}",
                        "pay": p.pay_text(),
                    }
                    for p in found
                ]
                return web.json_response({"jobs": listed})

            router.add_get("/acme/api/jobs", jobs)
        ''',
    "tests/spiders/test_acme.py": '''\
        """Acme Jobs: the page object on a saved answer, and a real crawl of the sandbox."""

        from __future__ import annotations

        from web_poet import HttpResponse

        from spiders.pages.acme import AcmeJobsPage
        from tests.spiders.crawl import run_crawl

        BODY = (
            b'{"jobs": [{"id": 1, "title": "Security Manager", "company": "Northwind",'
            b' "url": "https://acme-jobs.example/jobs/1", "pay": "$150,000-$180,000"}]}'
        )


        def test_page_reads_a_posting():
            response = HttpResponse(
                "https://api.acme-jobs.example/api/jobs?q=security", body=BODY,
                headers={"Content-Type": "application/json"},
            )
            [posting] = AcmeJobsPage(response=response).postings()
            assert (posting.jobTitle, posting.hiringOrganization.name) == (
                "Security Manager", "Northwind"
            )
            assert posting.baseSalary.raw == "$150,000-$180,000"


        def test_crawl_sandbox_acme(sandbox_url, tmp_path):
            result = run_crawl("acme", sandbox_url, tmp_path)
            assert result.returncode == 0, result.log_tail
            assert result.stats["finish_reason"] == "finished"
            assert len(result.items) >= 5 and not result.failures
            assert {i["source"] for i in result.items} == {"acme"}
            assert {i["origin"] for i in result.items} == {"sandbox"}
            assert all("manager" in i["jobTitle"].lower() for i in result.items)
        ''',
}


@pytest.mark.crawl
def test_a_new_source_needs_only_its_own_files(tmp_path):
    root = project_copy(tmp_path)
    before = {p.relative_to(root) for p in root.rglob("*") if p.is_file()}
    for name, text in NEW_SOURCE.items():
        (root / name).write_text(textwrap.dedent(text))
    after = {p.relative_to(root) for p in root.rglob("*") if p.is_file()}
    assert after - before == {Path(name) for name in NEW_SOURCE}
    # No shared file was touched: the registry, the settings, the sandbox's route list.
    for shared in (
        "spiders/sources/__init__.py",
        "spiders/sources/spec.py",
        "spiders/settings.py",
        "sandbox/routes/__init__.py",
        "sandbox/server.py",
        "prefect.yaml",
    ):
        assert (root / shared).read_bytes() == (PROJECT_ROOT / shared).read_bytes(), shared

    env = clean_env(SECJOBS_HTTPCACHE_DIR=str(tmp_path / "cache"))
    assert "acme" in scrapy_spiders(root, env)

    code = (
        "import json\n"
        "from spiders.sources import (deployment_spiders, display_name, query_settings,\n"
        "    sandbox_settings, source_spec)\n"
        "spec = source_spec('acme')\n"
        "print(json.dumps({\n"
        "    'module': type(spec).__module__, 'display_name': display_name('acme'),\n"
        "    'kind': spec.kind, 'daily': 'acme' in deployment_spiders('daily-postings'),\n"
        "    'queries': query_settings('acme', ['ciso']),\n"
        "    'sandbox': sandbox_settings('http://127.0.0.1:9')['ACME_BASE_URL'],\n"
        "}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "module": "spiders.sources.acme",
        "display_name": "Acme Jobs",
        "kind": "postings",
        "daily": True,
        "queries": {"ACME_SEARCHES": '[{"q": "ciso"}]'},
        "sandbox": "http://127.0.0.1:9/acme",
    }

    # The source's own test: its page object, and a real crawl of the sandbox (the copy's,
    # which found sandbox/routes/acme.py on its own).
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/spiders/test_acme.py",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout

    # A run of its deployment group crawls it; stored, it is in the report under its name.
    code = "from flows.launch import check_spiders; print(check_spiders(None, 'daily-postings'))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert "'acme'" in done.stdout, done.stderr
    env |= {
        "SECJOBS_SANDBOX_PORT": "0",  # not 8765, which another test may be serving on
        "SECJOBS_SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.db'}",
        "SECJOBS_SANDBOX_REPORTS_DIR": str(tmp_path / "reports"),
        "SECJOBS_STAGING_DIR": str(tmp_path / "staging"),
    }
    cli = [sys.executable, "-c", "from secjobs.cli import app; app()"]
    for command in (["crawl", "acme", "--sandbox", "--store"], ["report", "--sandbox"]):
        done = subprocess.run(
            cli + command, cwd=root, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = (tmp_path / "reports" / "latest" / "report.md").read_text()
    # Data quality: | Source | Status | This crawl | Stored | Open | Usable pay | ...
    [row] = [line.split(" | ") for line in report.splitlines() if line.startswith("| Acme Jobs |")]
    stored, open_ = int(row[3]), int(row[4])
    assert stored == open_ > 0
