"""Private uploads (``sites/<site>/uploads/private``): written here, served only
by views that first check that the user may see the record they belong to."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404

from zhonglou_hrss.core import clock


def _root() -> Path:
    return Path(settings.PRIVATE_UPLOADS_DIR)


def save_private(folder: str, content: bytes, suffix: str) -> str:
    """Store bytes under ``folder/YYYY/MM/<uuid><suffix>``; return the relative path."""
    today = clock.now()
    relative = Path(folder) / f"{today:%Y}" / f"{today:%m}" / f"{uuid.uuid4().hex}{suffix}"
    path = _root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative.as_posix()


def private_path(relative: str) -> Path:
    root = _root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise Http404  # never outside the private folder
    return path


def serve_private(relative: str, *, filename: str | None = None, content_type: str | None = None) -> FileResponse:
    """Caller must have checked permission to the owning record first."""
    if not relative:
        raise Http404
    path = private_path(relative)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=content_type, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_private(relative: str):
    if relative:
        path = private_path(relative)
        path.unlink(missing_ok=True)
