"""The phone client's H5 build under ``/m/`` (issue 16): the same uni-app source as
the WeChat mini program (``clients/miniprogram``), built by ``make miniprogram``
and served here on the site's own origin, so it calls the API without CORS and
reviewers and staff can open it in any browser.

Files come from ``settings.MINIPROGRAM_H5_DIR`` (default
``clients/miniprogram/dist/build/h5``); a path that is not a file gets
``index.html`` (the client's own routes), except a missing asset, which is a
404. Without a build the page tells the operator how to make one (503).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from zhonglou_hrss.portal.public.views import _page

# Hashed file names (assets/index-Blg7vNCk.js): a new build has new names.
ASSET_CACHE = "public, max-age=31536000, immutable"


def build_dir() -> Path:
    return Path(settings.MINIPROGRAM_H5_DIR)


def _file(path: Path, cache: str) -> FileResponse:
    content_type, _ = mimetypes.guess_type(path.name)
    response = FileResponse(path.open("rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = cache
    return response


# The site's policy allows 'unsafe-eval' for the desk's Alpine.js; the phone client
# needs no eval, so /m/ gets script-src 'self' only (no inline script either).
# style-src keeps the site's 'unsafe-inline': the uni-app H5 runtime writes the
# pages' styles as <style> elements and sizes views with style="" attributes when a
# page opens (checked in Chromium: without it the pages lose their layout); a style
# cannot run script. blob: images: the stamped-form photo picked in the browser is
# previewed from a blob: URL before it is uploaded, and read back from it to upload.
@require_safe
@csp_replace({"script-src": [SELF], "img-src": [SELF, "data:", "blob:"], "connect-src": [SELF, "blob:"]})
def phone_client(request, path: str = ""):
    root = build_dir()
    index = root / "index.html"
    if not index.is_file():
        return _page(request, "portal/public/miniprogram_missing.html", {"build_dir": root}, status=503)
    if path:
        target = (root / path).resolve()
        if target.is_relative_to(root.resolve()) and target.is_file():
            return _file(target, ASSET_CACHE if path.startswith("assets/") else "no-cache")
        if path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
            raise Http404("没有这个文件")
    return _file(index, "no-cache")
