"""The user's model cache: where it is, and how a model is put into it whole.

Both cached models, the domain language model (``lm``) and the assembled Whisper model
(``whisper_model``), are built in a scratch folder beside their place and renamed into it,
so that a reader never sees half a model, and two processes building the same model at
once both end up with one whole copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/allvoice``, or ``~/.cache/allvoice``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "allvoice"


def build_in_cache(
    folder: Path, build: Callable[[Path], None], ready: Callable[[Path], bool], prefix: str
) -> None:
    """``build`` the model into a scratch folder (named ``prefix``...) beside ``folder``,
    then rename it to ``folder``. A copy there that is not ``ready`` (left incomplete or
    damaged) is replaced; a ready one that another process put there meanwhile, before or
    during the rename, is kept. OSError is the caller's to report."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=folder.parent))
    try:
        build(scratch)
        if ready(folder):  # another process finished it meanwhile
            return
        shutil.rmtree(folder, ignore_errors=True)
        try:
            scratch.rename(folder)
        except OSError:  # another process put its copy there first
            if not ready(folder):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
