"""Failures a user can cause or fix, told in one or two lines with what to do, and the exit
status each command ends with.

Exit statuses (README, "Exit statuses"): 0 all went well; 1 some sources failed (the run is
Partial); 2 usage error (a bad name, option, setting or URL); 3 nothing could be done (no
source worked, the database or the network unreachable, the disk full...). Anything not
recognised here is a bug: its traceback is shown.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

OK, PARTIAL, USAGE, NOTHING_DONE = 0, 1, 2, 3


@dataclass(frozen=True)
class Explained:
    status: int
    lines: tuple[str, ...]


class UsageError(ValueError):
    """A value the user gave that cannot work (exit status 2)."""


def hide_password(text: str) -> str:
    """``scheme://user:secret@host`` with the secret as ``***``, wherever it appears."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return hide_password(text.splitlines()[0] if text else type(error).__name__)


def _database(error: BaseException, database: str | None) -> Explained | None:
    from sqlalchemy import exc

    from pipeline.config import database_url

    url = hide_password(database or database_url())
    if isinstance(error, exc.NoSuchModuleError | exc.ArgumentError):
        return Explained(
            USAGE,
            (
                f"not a database URL this can use: {url} ({_first_line(error)})",
                "Set SECJOBS_DATABASE_URL to e.g. sqlite:///data/secjobs.db or "
                "postgresql+psycopg://user@host:5432/secjobs.",
            ),
        )
    if not isinstance(error, exc.OperationalError | exc.InterfaceError):
        return None
    why = _first_line(error)
    if "database is locked" in why:
        return Explained(
            NOTHING_DONE,
            (
                f"the database is locked by another run ({url})",
                "Wait for it to finish, or raise SECJOBS_SQLITE_BUSY_TIMEOUT (seconds).",
            ),
        )
    if "unable to open database file" in why or "readonly database" in why:
        return Explained(
            NOTHING_DONE,
            (
                f"cannot open or write the database file {url}: {why}",
                "Check that its directory exists and is writable (SECJOBS_DATA_DIR).",
            ),
        )
    return Explained(
        NOTHING_DONE,
        (
            f"could not reach the database at {url}: {why}",
            "Is the server running and the URL right? Set it with SECJOBS_DATABASE_URL.",
        ),
    )


def explain(error: BaseException) -> Explained | None:
    """What to print for an expected failure, or None for a bug (show its traceback). A
    database failure names the database the command used (``error.database_url``, set where
    the CLI opens it), else the live one."""
    from flows.launch import UnknownSpider
    from pipeline.board_links import BadBoard
    from pipeline.origin import MixedOrigins
    from spiders.reach import NoNetwork

    if isinstance(error, UnknownSpider | UsageError | BadBoard):
        return Explained(USAGE, (str(error),))
    if isinstance(error, MixedOrigins):
        return Explained(NOTHING_DONE, (str(error),))
    if isinstance(error, NoNetwork):
        return Explained(
            NOTHING_DONE,
            (str(error), "Check this machine's network (or a proxy: HTTPS_PROXY), then run again."),
        )
    about_database = _database(error, getattr(error, "database_url", None))
    if about_database:
        return about_database
    if isinstance(error, PermissionError):
        where = error.filename or "a file"
        return Explained(
            NOTHING_DONE,
            (
                f"permission denied: {where}",
                "Make the data directory writable, or set SECJOBS_DATA_DIR (and "
                "SECJOBS_REPORTS_DIR) to one that is.",
            ),
        )
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Explained(
            NOTHING_DONE,
            (
                f"the disk is full writing {error.filename or 'data'}",
                "Free some space (`secjobs cache prune` frees the HTTP cache), then run again: "
                "what was stored before is intact.",
            ),
        )
    return None
