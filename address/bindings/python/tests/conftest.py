"""Shared fixtures: the repository's vector file, and a Hypothesis profile that writes nothing
into the source tree."""

import json
import pathlib

import pytest
from hypothesis import settings

REPO = pathlib.Path(__file__).resolve().parents[4]
VECTORS = REPO / "address" / "tests" / "data" / "vectors.json"

settings.register_profile("btcaddr", database=None, deadline=None, print_blob=True)
settings.load_profile("btcaddr")


def load_vectors():
    with VECTORS.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def vectors():
    return load_vectors()
