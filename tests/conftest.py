"""Fixtures shared by the test modules: the first content pack and its model, and the
shipped library (the first pack and the National Cancer Institute's) and its model, each
loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from allvoice.content.library import load_content
from allvoice.content.pack import Pack, load_pack
from allvoice.understanding import Model, build_model


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


@pytest.fixture(scope="session")
def model(pack: Pack) -> Model:
    return build_model(pack)


@pytest.fixture(scope="session")
def library() -> Pack:
    """What allvoice ships: the first pack and the National Cancer Institute's packs."""
    return load_content()


@pytest.fixture(scope="session")
def library_model(library: Pack) -> Model:
    return build_model(library)


@pytest.fixture(scope="session", autouse=True)
def caches_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every model cache a test makes (the Whisper model, the domain language model) goes
    into a temporary folder, never into the user's ~/.cache: in this process and in every
    allvoice it starts (``clirun.run_allvoice`` gives each its own, inside its home)."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder
