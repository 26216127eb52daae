"""Glassdoor's own keys in glassdoor.toml: the salary pages to read."""

from __future__ import annotations

from spiders.sources.spec import SalaryPagesSpec


class GlassdoorSpec(SalaryPagesSpec):
    pass
