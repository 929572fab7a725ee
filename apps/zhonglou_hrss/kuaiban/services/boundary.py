"""The district boundary drawn on the one map (R-KB-18), replaced.

An admin (``core.change_grid``: who keeps the grids keeps the map) may replace
the shipped boundary with another GeoJSON; the replacement is checked (a
FeatureCollection or a Feature whose geometries are Polygons or MultiPolygons
in longitude/latitude), written atomically to the site's private uploads, and
audited. Resetting removes it, which brings the shipped boundary back.
"""

from __future__ import annotations

import json
import os
import tempfile
from numbers import Real
from pathlib import Path

from zhonglou_hrss.core import audit, json_body
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.selectors.boundary import uploaded_path

PERMISSION = "core.change_grid"
MAX_BYTES = 5 * 1024 * 1024
AREA_TYPES = ("Polygon", "MultiPolygon")
# Longitude/latitude of mainland China with a margin: catches projected (metre)
# coordinates and swapped axes, the usual mistakes.
LNG_RANGE = (70.0, 140.0)
LAT_RANGE = (15.0, 56.0)
MAX_ERRORS = 5


# --- checking an upload ---------------------------------------------------------------
def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _check_ring(ring, where: str, errors: list[str]):
    if not isinstance(ring, list) or len(ring) < 4:
        errors.append(f"{where}：每个环至少要有 4 个坐标点（首尾相同）")
        return
    for point in ring:
        if not (isinstance(point, list) and len(point) >= 2 and _is_number(point[0]) and _is_number(point[1])):
            errors.append(f"{where}：坐标点须为 [经度, 纬度] 两个数字")
            return
        lng, lat = point[0], point[1]
        if not (LNG_RANGE[0] <= lng <= LNG_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            errors.append(f"{where}：坐标 [{lng}, {lat}] 不是中国境内的经纬度，请使用 WGS84（CGCS2000）经纬度坐标，"
                          "经度在前、纬度在后")
            return
    if ring[0][:2] != ring[-1][:2]:
        errors.append(f"{where}：环的首尾坐标须相同（闭合）")


def _check_geometry(geometry, where: str, errors: list[str]):
    if not isinstance(geometry, dict) or geometry.get("type") not in AREA_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else "无"
        errors.append(f"{where}：几何类型须为 Polygon 或 MultiPolygon（面），现为 {kind}")
        return
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        errors.append(f"{where}：缺少坐标（coordinates）")
        return
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            errors.append(f"{where}：第 {p} 个面没有坐标")
            continue
        for r, ring in enumerate(polygon, start=1):
            label = where if len(polygons) == 1 else f"{where}第 {p} 个面"
            _check_ring(ring, f"{label}第 {r} 个环", errors)
            if len(errors) >= MAX_ERRORS:
                return


def parse_boundary(content: bytes) -> dict:
    """The uploaded bytes as a FeatureCollection of areas, or InvalidInput
    naming what is wrong (field ``file``), in Chinese."""
    if len(content) > MAX_BYTES:
        raise InvalidInput({"file": [f"文件不能超过 {MAX_BYTES // 1024 // 1024} MB"]})
    try:
        data = json_body.loads(content.decode("utf-8-sig"))  # deep nesting refused, not a crash
    except json_body.TooDeep as exc:
        raise InvalidInput({"file": [f"文件不是有效的 GeoJSON（{exc}）"]}) from None
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput({"file": ["文件不是有效的 GeoJSON（JSON 格式有误或不是 UTF-8 编码）"]}) from None
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise InvalidInput({"file": ["GeoJSON 的类型须为 FeatureCollection 或 Feature"]})
    if data["type"] == "Feature":
        features = [data]
    else:
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise InvalidInput({"file": ["FeatureCollection 中没有任何要素（features）"]})
    errors: list[str] = []
    for i, feature in enumerate(features, start=1):
        where = "要素" if len(features) == 1 else f"第 {i} 个要素"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(f"{where}：类型须为 Feature")
        else:
            _check_geometry(feature.get("geometry"), where, errors)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise InvalidInput({"file": errors[:MAX_ERRORS]})
    clean = []
    for feature in features:
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        properties = {**properties, "name": str(properties.get("name") or "钟楼区")}
        clean.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "features": clean}


def _require(actor):
    if actor is None or not actor.is_active or not actor.has_perm(PERMISSION):
        raise ActionForbidden("只有可以维护网格设置的用户才能更换区界地图")


def replace_boundary(*, actor, content: bytes, filename: str = "") -> int:
    """Check ``content`` and make it the map's boundary; return its number of areas."""
    _require(actor)
    collection = parse_boundary(content)
    _write(collection)
    audit.record(AuditLog.Action.IMPORT, actor=actor, target_repr="区界地图：上传替换",
                 detail={"kind": "map_boundary", "action": "upload", "filename": (filename or "")[:200],
                         "features": len(collection["features"]), "bytes": len(content)})
    return len(collection["features"])


def reset_boundary(*, actor) -> bool:
    """Go back to the shipped boundary; False when none had been uploaded."""
    _require(actor)
    path = uploaded_path()
    if not path.is_file():
        return False
    path.unlink()
    audit.record(AuditLog.Action.IMPORT, actor=actor, target_repr="区界地图：恢复系统自带",
                 detail={"kind": "map_boundary", "action": "reset"})
    return True


def _write(collection: dict):
    """Write the checked boundary in place of the current one (atomically)."""
    path = uploaded_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(collection, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
