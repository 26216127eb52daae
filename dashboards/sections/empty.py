"""Why a section is empty: each section lists its reasons in order, the first that holds is
shown ("No data yet: ...")."""

from __future__ import annotations


def first_reason(*reasons: tuple[bool, str]) -> str | None:
    """The message of the first ``(holds, message)`` pair that holds, else None."""
    return next((message for holds, message in reasons if holds), None)
