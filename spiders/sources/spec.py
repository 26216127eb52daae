"""What a source is: the validated contents of ``spiders/sources/<name>.toml``.

Every source file is read into a ``SourceSpec`` (pydantic, unknown keys refused). The keys
every source shares are declared here; each source's own keys (boards, pages, searches...) are
declared by a subclass in ``spiders/sources/<name>.py``, so a misspelt key or a wrong type fails
when the files are loaded, naming the file, the key and the type it expects.

Under the sandbox (``SECJOBS_SANDBOX_URL``) a source's ``[sandbox]`` table says where it is
served and what it crawls there; fields typed ``Url`` are the ones moved under it.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import json
import os
import sys
import tomllib
import types
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    model_validator,
)

from pipeline.board_links import ATSES  # the ATS names only: no database

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class _Mark:
    """Marks a field type so the loader can tell URLs and variable names from other text."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


URL_MARK = _Mark("url")
ENV_MARK = _Mark("env")


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    return value


# An http(s) URL the spider fetches. Under the sandbox it is moved under the source's prefix.
Url = Annotated[str, AfterValidator(_http_url), URL_MARK]
# The name of an environment variable that holds a credential or a contact (never the value).
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$"), ENV_MARK]

Kind = Literal["postings", "salary_figures", "statistics"]
Deployment = Literal["daily-postings", "weekly-salary-pages"]


class Table(BaseModel):
    # Unknown keys refused; TOML is typed, so no "500" for 500 either.
    model_config = ConfigDict(extra="forbid", strict=True)


class Politeness(Table):
    """The per-host download slot of ``base_url``, from the source's published terms."""

    delay: float = Field(ge=0)
    concurrency: int = Field(default=1, ge=1)


class Attribution(Table):
    """The credit a source's terms ask reports that show its listings to give."""

    text: str
    url: Url


class QuerySetting(Table):
    """How the run's search queries replace this source's own key.

    ``csv``: the queries joined by commas (``ADZUNA_QUERIES``); ``json_list``: a JSON list of
    one table per query, ``{param = query}`` (``USAJOBS_SEARCHES`` with ``Keyword``)."""

    key: str
    shape: Literal["csv", "json_list"]
    param: str | None = None


class RecordedExtra(Table):
    """Values added to list keys under the sandbox when the sandbox serves this recording
    (``file``, relative to the shared recordings directory) for them."""

    file: str
    add: dict[str, list[Any]]


# The title families of pipeline/titles.py (what a crawl may fetch details for).
TitleFamily = Literal[
    "security_manager", "security_leader", "security_ic", "security_other_manager", "other"
]

# The applicant-tracking systems of the board registry.
Ats = Literal[ATSES]


class RegistryLink(Table):
    """How a source crawls the board registry's boards of its ATS beside its own pins: the
    run passes them in ``SECJOBS_BOARDS_FILE`` and the spider adds them to ``key``.

    ``value``: what the spider takes, the board's ``identifier`` or its ``careers_url``.
    ``requests_per_board``: what a board costs on average (list pages, details fetched),
    for ``secjobs boards plan``'s arithmetic of a daily run (pipeline.boards.plan_source)."""

    ats: Ats
    key: str
    value: Literal["identifier", "careers_url"] = "identifier"
    requests_per_board: float = Field(default=1.0, gt=0)
    # Each board on a host of its own (Workday's <tenant>.wd<N>.myworkdayjobs.com): boards
    # crawl side by side, each host with the source's politeness.
    host_per_board: bool = False


class SandboxMapping(Table):
    """How the source is crawled in the local sandbox (sandbox/routes/)."""

    path: Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9_./-]*[A-Za-z0-9_]$")]
    # Own keys replaced under the sandbox (URL keys may be paths under ``path``).
    settings: dict[str, Any] = {}
    # Values for the ``<key>_env`` credentials: the sandbox's fakes, never secrets.
    credentials: dict[str, str] = {}
    recorded: list[RecordedExtra] = []


class SourceSpec(Table):
    """The keys every source shares. Subclasses add the source's own keys."""

    display_name: str = Field(min_length=1)
    kind: Kind
    deployment: Deployment
    attribution: Attribution | None = None
    base_url: Url | None = None
    politeness: Politeness | None = None
    query_setting: QuerySetting | None = None
    # Least share of a crawl's postings with pay (spiders/monitors.py); None: the default.
    pay_coverage_floor: float | None = Field(default=None, ge=0, le=1)
    registry: RegistryLink | None = None
    sandbox: SandboxMapping

    # Keys that describe the source to other layers and do not become Scrapy settings.
    META: ClassVar[frozenset[str]] = frozenset(
        {
            "display_name",
            "kind",
            "deployment",
            "attribution",
            "politeness",
            "query_setting",
            "pay_coverage_floor",
            "registry",
            "sandbox",
        }
    )

    _name: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _registry_extends_an_own_key(self):
        if self.registry and self.registry.key not in type(self).setting_keys():
            own = ", ".join(k for k in type(self).setting_keys() if k != "base_url")
            raise ValueError(
                f"registry.key {self.registry.key!r} is none of this source's keys ({own})"
            )
        return self

    @property
    def name(self) -> str:
        return self._name

    @classmethod
    def setting_keys(cls) -> list[str]:
        """The keys that become ``<NAME>_<KEY>`` Scrapy settings."""
        return [key for key in cls.model_fields if key not in cls.META]

    def values(self) -> dict[str, Any]:
        """The keys the spider reads, as plain data (unset optional keys left out)."""
        return self.model_dump(include=set(self.setting_keys()), exclude_none=True)

    def credential_variables(self) -> dict[str, str]:
        """``{key: environment variable}`` of the ``*_env`` keys."""
        return {
            key: value
            for key, value in self.values().items()
            if key.endswith("_env") and isinstance(value, str)
        }

    def scrapy_settings(self, values: dict[str, Any] | None = None) -> dict[str, Any]:
        prefix = self.name.upper()
        values = self.values() if values is None else values
        return {f"{prefix}_{key.upper()}": value for key, value in values.items()}

    def query_settings(self, queries: list[str]) -> dict[str, str]:
        """``-s`` settings that put ``queries`` in place of the configured searches."""
        mapping = self.query_setting
        if mapping is None or not queries:
            return {}
        setting = f"{self.name.upper()}_{mapping.key.upper()}"
        if mapping.shape == "csv":
            return {setting: ",".join(q.replace(",", " ") for q in queries)}
        return {setting: json.dumps([{mapping.param: q} for q in queries])}

    def sandbox_values(self, base_url: str, every_recording: bool = False) -> dict[str, Any]:
        """The spider's keys when crawling the sandbox at ``base_url``: ``[sandbox.settings]``
        in place of the live values, the extras of the recordings that are there (all of
        them with ``every_recording``) added, every URL moved under ``base_url +
        sandbox.path``, then validated again."""
        mapping = self.sandbox
        data = self.model_dump(exclude_none=True)
        data.update(mapping.settings)
        recordings = recordings_dir()
        for extra in mapping.recorded:
            if every_recording or (recordings is not None and (recordings / extra.file).exists()):
                for key, added in extra.add.items():
                    data[key] = [*data.get(key, []), *added]
        prefix = base_url.rstrip("/") + mapping.path
        for key, field in type(self).model_fields.items():
            shape = _url_shape(_annotation(field))
            if key in self.META or shape is None or key not in data:
                continue
            value = data[key]  # a wrong type is left as it is, for validation to name
            if shape == "list" and isinstance(value, list):
                data[key] = [_rebase(url, prefix) if isinstance(url, str) else url for url in value]
            elif shape == "one" and isinstance(value, str):
                data[key] = _rebase(value, prefix)
        spec = type(self).model_validate(data)
        spec._name = self.name
        return spec.values()

    def sandbox_settings(self, base_url: str) -> dict[str, Any]:
        """``<NAME>_<KEY>`` settings under the sandbox, credentials included."""
        settings = self.scrapy_settings(self.sandbox_values(base_url))
        for key, value in self.sandbox.credentials.items():
            settings[f"{self.name.upper()}_{key.upper()}"] = value
        return settings

    def problems(self) -> list[str]:
        """Keys that are well typed but point at nothing (beyond what pydantic checks)."""
        own = set(self.setting_keys())
        found = []
        mapping = self.query_setting
        if mapping is not None:
            if mapping.key not in own:
                found.append(
                    f"query_setting.key: {mapping.key!r} is not a key of this source"
                    f" (expected one of {', '.join(sorted(own))})"
                )
            if (mapping.shape == "json_list") != (mapping.param is not None):
                found.append(
                    "query_setting.param: expected a string with shape = 'json_list' "
                    "(the parameter each query goes into), and none with 'csv'"
                )
        for table, keys in (
            ("sandbox.settings", self.sandbox.settings),
            *((f"sandbox.recorded[{i}].add", r.add) for i, r in enumerate(self.sandbox.recorded)),
        ):
            for key in keys:
                if key not in own:
                    found.append(f"{table}.{key}: {_unknown(key, type(self), own)}")
        for key in self.sandbox.credentials:
            if f"{key}_env" not in type(self).model_fields:
                found.append(
                    f"sandbox.credentials.{key}: this source has no '{key}_env' key"
                    " naming that credential's environment variable"
                )
        if found:
            return found
        try:
            self.sandbox_values("http://sandbox.invalid", every_recording=True)
        except ValidationError as error:
            found += [f"sandbox: {line}" for line in _explain_errors(type(self), error)]
        return found


def recordings_dir() -> Path | None:
    """Where the sandbox's shared recordings are (sandbox/realdata.py says the same):
    ``SECJOBS_REALDATA_DIR`` when set, else ``../shared/realdata`` beside the checkout."""
    configured = os.environ.get("SECJOBS_REALDATA_DIR")
    candidate = Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "realdata"
    return candidate if (candidate / "PROVENANCE.tsv").exists() else None


def _rebase(url: str, prefix: str) -> str:
    """``url`` under the sandbox ``prefix``: a path is appended to it; a URL keeps its path
    and query and loses its scheme and host."""
    if url.startswith("/"):
        return prefix + url
    parts = urlsplit(url)
    return prefix + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


# --- building blocks some sources share ---------------------------------------------------


class SalaryPage(Table):
    """One salary page: the role it is about, its path under ``base_url``."""

    role: str
    path: str = Field(pattern=r"^/")


class SalaryPagesSpec(SourceSpec):
    """A salary site read page by page (spiders/pages/salary_common.py)."""

    pages: list[SalaryPage]
    # true sends this source's requests through headless Chromium (/usr/bin/chromium).
    render: bool = False


# --- reading the files ------------------------------------------------------------------


class SourceSpecError(ValueError):
    """One or more source files are wrong; the message names each file, key and type."""


def load_spec(path: Path) -> SourceSpec:
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise SourceSpecError(f"{_shown(path)}: not valid TOML: {error}") from None
    model = spec_model(path)
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        lines = _explain_errors(model, error)
        raise SourceSpecError(_report(path, lines)) from None
    spec._name = path.stem
    problems = spec.problems()
    if problems:
        raise SourceSpecError(_report(path, problems))
    return spec


def load_specs(directory: Path) -> dict[str, SourceSpec]:
    """Every ``*.toml`` of ``directory``; all the bad files are named in one error."""
    specs: dict[str, SourceSpec] = {}
    errors: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            specs[path.stem] = load_spec(path)
        except SourceSpecError as error:
            errors.append(str(error))
        except (ImportError, SyntaxError, TypeError) as error:
            errors.append(f"{_shown(path)}: {error}")
    if errors:
        raise SourceSpecError("\n".join(errors))
    return specs


def spec_model(path: Path) -> type[SourceSpec]:
    """The ``SourceSpec`` subclass in the module beside ``path`` (``<name>.py``), which declares
    the source's own keys; ``SourceSpec`` itself when the source has none."""
    module_path = path.with_suffix(".py")
    if not module_path.exists():
        return SourceSpec
    if path.parent.resolve() == Path(__file__).resolve().parent:
        module = importlib.import_module(f"{__package__}.{path.stem}")
    else:
        name = f"secjobs_source_{path.stem}"
        loader_spec = importlib.util.spec_from_file_location(name, module_path)
        if loader_spec is None or loader_spec.loader is None:
            raise ImportError(f"cannot import {module_path}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[name] = module  # pydantic resolves the annotations through it
        loader_spec.loader.exec_module(module)
    models = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, SourceSpec)
        and value.__module__ == module.__name__
    ]
    if len(models) != 1:
        raise TypeError(
            f"{_shown(module_path)} must define exactly one SourceSpec subclass"
            f" (found {len(models)})"
        )
    return models[0]


# --- saying what is wrong -----------------------------------------------------------------


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _report(path: Path, lines: list[str]) -> str:
    head = f"{_shown(path)}: {len(lines)} problem{'s' if len(lines) > 1 else ''}"
    return "\n".join([head, *(f"  {line}" for line in lines)])


def _annotation(field) -> Any:
    """A field's full type, with the ``Annotated`` metadata pydantic keeps apart."""
    if field.metadata:
        return Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def _unwrap(annotation: Any) -> tuple[Any, tuple]:
    """``(type, marks)`` without ``Annotated``."""
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        inner, marks = _unwrap(base)
        return inner, (*marks, *extra)
    return annotation, ()


def _non_none(annotation: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) < len(get_args(annotation)):
            return (args[0] if len(args) == 1 else Union[tuple(args)]), True  # noqa: UP007
    return annotation, False


def _url_shape(annotation: Any) -> str | None:
    """ "one" for a ``Url`` field, "list" for ``list[Url]``, else None."""
    annotation, _optional = _non_none(annotation)
    inner, marks = _unwrap(annotation)
    if URL_MARK in marks:
        return "one"
    if get_origin(inner) is list and URL_MARK in _unwrap(get_args(inner)[0])[1]:
        return "list"
    return None


def describe(annotation: Any) -> str:
    """A type in words, as a TOML author reads it."""
    annotation, _optional = _non_none(annotation)  # a key that is present is not optional
    inner, marks = _unwrap(annotation)
    if URL_MARK in marks:
        text = "an http(s) URL"
    elif ENV_MARK in marks:
        text = "an environment variable name (capitals, digits, _)"
    elif get_origin(inner) is Literal:
        text = "one of " + ", ".join(repr(v) for v in get_args(inner))
    elif get_origin(inner) in (Union, types.UnionType):
        text = " or ".join(describe(a) for a in get_args(inner))
    elif get_origin(inner) is list:
        text = f"a list of {_plural(describe(get_args(inner)[0]))}"
    elif get_origin(inner) is dict:
        key, value = get_args(inner)
        text = f"a table of {_bare(describe(key))} keys to {_plural(describe(value))}"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        text = "a table with " + ", ".join(
            f"{key} ({describe(_annotation(field))})" for key, field in inner.model_fields.items()
        )
    else:
        text = {
            str: "a string",
            int: "an integer",
            float: "a number",
            bool: "true or false",
            Any: "any value",
        }.get(inner, getattr(inner, "__name__", str(inner)))
    return text


def _bare(text: str) -> str:
    """Without its article: "an integer" -> "integer"."""
    for article in ("a ", "an "):
        if text.startswith(article):
            return text.removeprefix(article)
    return text


def _plural(text: str) -> str:
    rest = _bare(text)
    head, sep, tail = rest.partition(" ")
    if head in ("string", "integer", "number", "list", "table"):
        return f"{head}s{sep}{tail}"
    for noun in ("URL", "environment variable name"):
        if rest.startswith(noun) or f" {noun}" in rest:
            return rest.replace(noun, noun + "s", 1)
    return rest


def _step(annotation: Any, part: str | int) -> Any | None:
    """The type one step down ``annotation`` (a key, an index), or None if it has no such."""
    annotation, _optional = _non_none(annotation)
    inner, _marks = _unwrap(annotation)
    origin = get_origin(inner)
    if isinstance(part, int):
        return get_args(inner)[0] if origin is list else None
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        field = inner.model_fields.get(part)
        return _annotation(field) if field is not None else None
    if origin is dict:
        return get_args(inner)[1]
    return None


def _unknown(key: str, model: Any, known: set[str] | list[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        expected = describe(_step(model, close[0]))
        return f"unknown key; did you mean '{close[0]}' ({expected})?"
    return f"unknown key; expected one of {', '.join(sorted(known))}"


def _explain_errors(model: type[BaseModel], error: ValidationError) -> list[str]:
    """One line per wrong key: ``key.path: what is wrong; expected <type>, got <value>``."""
    lines: dict[str, str] = {}
    missing: set[str] = set()
    suggested: set[str] = set()
    for detail in error.errors(include_url=False):
        annotation: Any = model
        parent: Any = model
        shown: list[str] = []
        for part in detail["loc"]:
            below = _step(annotation, part)
            if below is None and detail["type"] != "extra_forbidden":
                break  # a union member's tag or a validator's name: not a key
            parent, annotation = annotation, below
            shown.append(f"[{part}]" if isinstance(part, int) else f".{part}")
        key = "".join(shown).lstrip(".") or "(file)"
        if key in lines:
            continue
        if detail["type"] == "extra_forbidden":
            known = _keys_of(parent)
            lines[key] = f"{key}: {_unknown(str(detail['loc'][-1]), parent, known)}"
            close = difflib.get_close_matches(str(detail["loc"][-1]), known, n=1, cutoff=0.6)
            if close:  # "did you mean 'boards'" says it all; "boards: missing" would repeat it
                suggested.add(key.rpartition(".")[0] + ("." if "." in key else "") + close[0])
        elif detail["type"] == "missing":
            lines[key] = f"{key}: missing; expected {describe(annotation)}"
            missing.add(key)
        else:
            why = "" if detail["type"] == "literal_error" else f" ({detail['msg']})"
            lines[key] = (
                f"{key}: expected {describe(annotation)}, got {_value(detail['input'])}{why}"
            )
    return [line for key, line in lines.items() if key not in missing & suggested]


def _keys_of(annotation: Any) -> list[str]:
    inner, _marks = _unwrap(_non_none(annotation)[0])
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return list(inner.model_fields)
    return []


def _value(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
