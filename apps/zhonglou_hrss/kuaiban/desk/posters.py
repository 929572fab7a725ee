"""QR posters of the public registration page (R-KB-01), for the desk: one
general poster and one per street grid, whose code pre-selects that grid, so
the source of each case is known. Drawn by ``core.posters``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from zhonglou_hrss.core import posters
from zhonglou_hrss.core.desk import desk_required
from zhonglou_hrss.core.models import Grid

POSTER_PERMISSION = "kuaiban.print_qr_poster"
GENERAL = "general"
FORMATS = {"png": "image/png", "pdf": "application/pdf"}
TITLE = "劳动监督快办 · 扫码登记"
STEPS = (
    "1. 用微信或手机相机扫描上方二维码",
    "2. 如实填写本人信息、对方单位和诉求，上传本人照片",
    "3. 提交后记下事件编号，凭编号和手机号查询进度",
)
NOTE = "登记免费，无需下载任何软件。如需帮助，请拨打劳动保障咨询电话 12333。"


def _poster_grids():
    # Public registration offers street grids only (never 区本级).
    return Grid.objects.selectable().street_level()


def _check_poster_permission(request):
    if not request.user.has_perm(POSTER_PERMISSION):
        raise PermissionDenied("您没有打印群众登记二维码的权限")


def _public_url(request, grid: Grid | None) -> str:
    url = request.build_absolute_uri(reverse("kuaiban:report"))
    return f"{url}?grid={quote(grid.code)}" if grid else url


@desk_required
def qr_posters(request):
    _check_poster_permission(request)
    items = [{"key": GENERAL, "title": "通用（不预选网格）", "url": _public_url(request, None)}]
    items += [{"key": g.code, "title": g.name, "url": _public_url(request, g)} for g in _poster_grids()]
    return render(request, "kuaiban/desk/posters.html",
                  {**admin.site.each_context(request), "title": "群众登记二维码", "posters": items})


@desk_required
def qr_poster(request, key, fmt):
    _check_poster_permission(request)
    if fmt not in FORMATS:
        raise Http404
    grid = None
    if key != GENERAL:
        grid = _poster_grids().filter(code=key).first()
        if grid is None:
            raise Http404
    image = posters.draw_poster(posters.Poster(
        title=TITLE, place=grid.name if grid else "钟楼区各街道（镇）通用", url=_public_url(request, grid),
        steps=STEPS, note=NOTE))
    data = posters.poster_pdf(image, title=TITLE) if fmt == "pdf" else posters.poster_png(image)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    filename = f"群众登记二维码-{grid.name if grid else '通用'}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
