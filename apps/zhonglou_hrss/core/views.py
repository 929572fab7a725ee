from zhonglou_hrss.core.desk import desk_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from zhonglou_hrss.core.imports import IMPORT_RESOURCES, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_PERMISSIONS = {"user": "core.import_user", "enterprise": "core.import_enterprise"}
TEMPLATE_NAMES = {"user": "用户导入模板.xlsx", "enterprise": "企业导入模板.xlsx"}


def home(request):
    """The site's front door: where staff, citizens and enterprises go."""
    return render(request, "core/home.html")


def favicon(request):
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("desk/favicon.svg"), permanent=True)


@desk_required
def import_template(request, kind):
    if kind not in IMPORT_RESOURCES:
        raise Http404
    if not request.user.has_perm(IMPORT_PERMISSIONS[kind]):
        raise Http404
    response = HttpResponse(template_workbook(IMPORT_RESOURCES[kind]), content_type=XLSX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(TEMPLATE_NAMES[kind])}"
    return response


def captcha_image(request, key):
    """The picture of a captcha key (any worker can draw it: nothing is stored)."""
    from zhonglou_hrss.core import captcha

    if not captcha.is_live(key):
        raise Http404
    response = HttpResponse(captcha.image_png(key), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


def captcha_refresh(request):
    """A new captcha for the page's "看不清？换一张" (and for API clients)."""
    from zhonglou_hrss.core import captcha

    response = JsonResponse(captcha.new_challenge().as_dict())
    response["Cache-Control"] = "no-store"
    return response


PICTURE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def picture_under(root, path: str, *, cache: str = "public, max-age=86400"):
    """A picture file of the folder ``root`` (``path`` from the URL): pictures only, never
    outside the folder (``..`` and links resolved first), never sniffed into something else;
    404 otherwise. The public uploads and the manuals' pictures are served by it."""
    from pathlib import Path

    from django.http import FileResponse

    root = Path(root).resolve()
    target = (root / path).resolve()
    content_type = PICTURE_TYPES.get(target.suffix.lower())
    if root not in target.parents or content_type is None or not target.is_file():
        raise Http404
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_upload(request, path):
    """A file of the public uploads (``MEDIA_ROOT``: the pictures of news,
    re-encoded when uploaded)."""
    from django.conf import settings

    return picture_under(settings.MEDIA_ROOT, path)
