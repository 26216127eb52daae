"""Where the shared recorded real responses live (``../shared/realdata`` beside the checkout).

They are read in place, never copied, unless their licence allows (see PROVENANCE.tsv).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def realdata_dir() -> Path | None:
    """``SECJOBS_REALDATA_DIR`` or ``../shared/realdata``; None when neither exists."""
    configured = os.environ.get("SECJOBS_REALDATA_DIR")
    candidates = [Path(configured)] if configured else []
    candidates.append(PROJECT_ROOT.parent / "shared" / "realdata")
    for candidate in candidates:
        if (candidate / "PROVENANCE.tsv").exists():
            return candidate
    return None
