"""Running the allvoice command line as a user would, with its own config and cache folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_allvoice(
    home: Path,
    *args: str,
    input: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """``python -m allvoice ARGS`` in ``home``, with XDG config and cache folders inside it."""
    environment = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "allvoice", *args],
        input=input,
        capture_output=True,
        text=True,
        env=environment,
        cwd=home,
        timeout=timeout,
        check=False,
    )
