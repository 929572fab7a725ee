"""帮助 (issue 18): the manuals of docs/manual served inside the site — the
index, one manual as a page, its pictures and its printed PDF. Staff manuals
open for signed-in desk users only (any of them may read any staff manual);
the 企业 / 人力资源企业 / 群众 manuals open for anyone (core.manuals)."""

from __future__ import annotations


from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path as url, reverse

from zhonglou_hrss.core import manuals
from zhonglou_hrss.core.desk import can_use_desk
from zhonglou_hrss.core.views import picture_under



def _refused(request, manual) -> bool:
    return not manual.is_public and not can_use_desk(request.user)


def _manual_or_404(slug):
    manual = manuals.get(slug)
    if manual is None:
        raise Http404
    return manual


def index(request):
    """帮助中心: the manuals this visitor may open (staff ones once signed in)."""
    staff = can_use_desk(request.user)
    rows = [{"manual": m, "url": reverse("help:manual", args=[m.slug]),
             "pdf": reverse("help:pdf", args=[m.slug])}
            for m in manuals.manuals().values() if m.is_public or staff]
    return render(request, "core/help/index.html", {"rows": rows, "staff": staff})


def manual_page(request, slug):
    manual = _manual_or_404(slug)
    if _refused(request, manual):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    html, toc = manuals.rendered(slug, reverse("help:image", args=["x"])[:-1])
    return render(request, "core/help/manual.html", {
        "manual": manual, "body": html, "toc": toc, "staff": can_use_desk(request.user),
        "pdf_url": reverse("help:pdf", args=[slug]),
    })


def pdf(request, slug):
    """docs/manual/pdf/<manual>.pdf, made by ``make manual``; a Chinese 404 while it is missing."""
    manual = _manual_or_404(slug)
    if _refused(request, manual):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    path = manuals.manual_dir() / "pdf" / f"{slug}.pdf"
    if not path.is_file():
        return render(request, "core/help/missing_pdf.html", {"manual": manual}, status=404)
    response = FileResponse(path.open("rb"), content_type="application/pdf", filename=f"{manual.title}.pdf")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def image(request, path):
    """A picture of the manuals (docs/manual/images/<manual>/…): pictures only, never outside
    the folder; a staff manual's pictures for desk users only, like the manual."""
    spec = manuals.SPECS.get(path.split("/", 1)[0])
    if spec is not None and spec.audience == "staff" and not can_use_desk(request.user):
        raise Http404
    return picture_under(manuals.manual_dir() / "images", path,
                         cache="private, max-age=86400" if spec is not None and spec.audience == "staff"
                         else "public, max-age=86400")


app_name = "help"
urlpatterns = [
    url("", index, name="index"),
    url("images/<path:path>", image, name="image"),
    url("<slug:slug>.pdf", pdf, name="pdf"),
    url("<slug:slug>/", manual_page, name="manual"),
]
