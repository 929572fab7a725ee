"""The printed manuals (issue 18): each manual's help page printed by headless
Chromium, with its pictures, to ``build/manual/pdf/`` — or, under ``make manual``
(``ZHONGLOU_MANUAL_IMAGES=docs``), to ``docs/manual/pdf/``, which the site serves at
``/help/<manual>.pdf``. Run after the picture tests (``make manual`` does)."""

from __future__ import annotations

import pytest

from tests.manual.conftest import REPO_DIR, images_dir
from zhonglou_hrss.core import manuals

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '<span class="title"></span> · 第 <span class="pageNumber"></span> / <span class="totalPages"></span> 页</div>')


def pdf_dir():
    docs = images_dir().parent.parent == REPO_DIR / "docs"
    return (REPO_DIR / "docs" / "manual" / "pdf") if docs else (REPO_DIR / "build" / "manual" / "pdf")


@pytest.mark.e2e
@pytest.mark.parametrize("slug", list(manuals.manuals()))
def test_a_manual_prints_to_pdf_with_its_pictures(demo_server, desk_as, slug):
    """issue 18: a PDF of each manual, pictures included (none broken), for printing and the acceptance file."""
    manual = manuals.get(slug)
    page = desk_as(None if manual.is_public else "admin")
    page.goto(f"/help/{slug}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == manual.title
    broken = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.complete || !i.naturalWidth).map(i => i.src)")
    assert broken == [], f"{slug}: 图片打不开：{broken}"
    out = pdf_dir() / f"{slug}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="print")
    page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
             header_template="<div></div>", footer_template=FOOTER,
             margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
    assert out.read_bytes()[:5] == b"%PDF-"
