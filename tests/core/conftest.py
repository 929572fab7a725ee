"""Core test fixtures."""

from pathlib import Path

import pytest


@pytest.fixture
def sites(tmp_path, monkeypatch) -> Path:
    """A temporary sites folder, also for in-process calls of siteconf."""
    sites_dir = tmp_path / "sites"
    sites_dir.mkdir()
    monkeypatch.setenv("ZHONGLOU_SITES_DIR", str(sites_dir))
    return sites_dir
