"""Fixtures shared by the test modules: the shipped content pack and its model, loaded once."""

from __future__ import annotations

import pytest

from allvoice.content.pack import Pack, load_pack
from allvoice.understanding import Model, build_model


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


@pytest.fixture(scope="session")
def model(pack: Pack) -> Model:
    return build_model(pack)
