"""A small upload limit, so the limit tests send kilobytes, not the default hundred megabytes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oa.settings import Settings

UPLOAD_LIMIT = 256 * 1024


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, max_upload_bytes=UPLOAD_LIMIT)
