"""Where the shared recorded real responses live (``../shared/realdata`` beside the checkout).

They are read in place, never copied, unless their licence allows (see PROVENANCE.tsv).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def realdata_dir() -> Path | None:
    """``SECJOBS_REALDATA_DIR`` when set (a missing path switches recordings off), else
    ``../shared/realdata``; None when there is none."""
    configured = os.environ.get("SECJOBS_REALDATA_DIR")
    candidate = Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "realdata"
    return candidate if (candidate / "PROVENANCE.tsv").exists() else None
