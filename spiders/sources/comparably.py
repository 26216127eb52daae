"""Comparably's own keys in comparably.toml: the salary pages to read."""

from __future__ import annotations

from spiders.sources.spec import SalaryPagesSpec


class ComparablySpec(SalaryPagesSpec):
    pass
