"""Fixtures of the archive tests: signed-in desks and the demo people's ids."""

from __future__ import annotations

from typing import Any

import pytest

from tests.docflow.helpers import Desk, People


@pytest.fixture
async def desk(make_client: Any) -> Desk:
    return Desk(make_client, timeout=60)


@pytest.fixture
async def people(demo: Any) -> People:
    return await People.load(demo)
