"""The district boundary (R-KB-18) is replaced and reset through a service
with an actor: checked, written whole, audited; refused to who may not keep
the grids."""

from __future__ import annotations

import json

import pytest

from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.selectors import boundary
from zhonglou_hrss.kuaiban.services.boundary import replace_boundary, reset_boundary

pytestmark = pytest.mark.django_db

AREA = {"type": "Feature", "properties": {"name": "钟楼区"}, "geometry": {"type": "Polygon", "coordinates": [
    [[119.90, 31.75], [119.99, 31.75], [119.99, 31.83], [119.90, 31.83], [119.90, 31.75]]]}}


def content(data) -> bytes:
    return json.dumps(data).encode()


def test_admin_replaces_and_resets_with_an_audit_row_each(people):
    assert replace_boundary(actor=people.admin, content=content(AREA), filename="区界.geojson") == 1
    assert boundary.current().uploaded
    assert json.loads(boundary.current_bytes())["features"][0]["geometry"] == AREA["geometry"]
    upload = AuditLog.objects.get(detail__action="upload")
    assert upload.actor == people.admin and upload.detail["features"] == 1
    assert reset_boundary(actor=people.admin) is True
    assert not boundary.current().uploaded
    assert AuditLog.objects.get(detail__action="reset").actor == people.admin
    assert reset_boundary(actor=people.admin) is False  # nothing uploaded: nothing to reset, no row
    assert AuditLog.objects.filter(detail__kind="map_boundary").count() == 2


def test_refused_without_the_grid_settings_permission(people):
    for user in (people.clerk, people.grid1, None):
        with pytest.raises(ActionForbidden):
            replace_boundary(actor=user, content=content(AREA))
    assert not boundary.current().uploaded
    assert not AuditLog.objects.filter(detail__kind="map_boundary").exists()


def test_a_bad_file_changes_nothing(people):
    with pytest.raises(InvalidInput) as bad:
        replace_boundary(actor=people.admin, content=content({**AREA, "geometry": {"type": "Point",
                                                                                 "coordinates": [119.9, 31.8]}}))
    assert "Polygon" in bad.value.errors["file"][0]
    assert not boundary.current().uploaded
    assert not AuditLog.objects.filter(detail__kind="map_boundary").exists()


def test_a_deeply_nested_file_is_refused_not_a_crash(people):
    """issue 10 item 4: the uploaded GeoJSON is read with the API's depth limit
    (100,000 nested arrays were a RecursionError)."""
    deep = b'{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    with pytest.raises(InvalidInput) as bad:
        replace_boundary(actor=people.admin, content=deep)
    assert "嵌套层数过多" in bad.value.errors["file"][0]
    assert not boundary.current().uploaded
