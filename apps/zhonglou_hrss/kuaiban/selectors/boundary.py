"""The district boundary drawn on the one map (R-KB-18), read.

Shipped: ``fixtures/base/boundary_320404_wgs84.geojson`` (WGS84, the datum
of the grid center points and of 天地图). An admin may replace it
(``services.boundary``); the replacement lives in the site's private uploads
(``map/boundary.geojson``) and wins while it is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from zhonglou_hrss.siteconf import REPO_DIR

FIXTURE = REPO_DIR / "fixtures" / "base" / "boundary_320404_wgs84.geojson"
UPLOADED = "map/boundary.geojson"  # relative to PRIVATE_UPLOADS_DIR


@dataclass
class BoundaryInfo:
    uploaded: bool
    path: Path
    modified_at: float | None


def uploaded_path() -> Path:
    return Path(settings.PRIVATE_UPLOADS_DIR) / UPLOADED


def current() -> BoundaryInfo:
    path = uploaded_path()
    if path.is_file():
        return BoundaryInfo(True, path, path.stat().st_mtime)
    return BoundaryInfo(False, FIXTURE, None)


def current_bytes() -> bytes:
    return current().path.read_bytes()
