"""QR posters of the public registration page (R-KB-01): one general poster and
one per street grid, PNG and PDF, for users with kuaiban.print_qr_poster."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
import qrcode
from PIL import Image

from zhonglou_hrss.core import posters as qr

pytestmark = pytest.mark.django_db

PAGE = "/kuaiban/qr/"


def test_page_lists_general_and_each_street_grid(client_as):
    """R-KB-01: a general poster plus one per active street grid (never 区本级)."""
    response = client_as("clerk").get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-poster="general"' in page
    for code, name in (("320404001", "五星街道"), ("320404116", "邹区镇")):
        assert f'data-poster="{code}"' in page and name in page
        assert f"/kuaiban/qr/{code}.pdf" in page and f"/kuaiban/qr/{code}.png" in page
        assert f"http://testserver/kuaiban/report/?grid={code}" in page
    assert 'data-poster="320404"' not in page


def test_inactive_grid_has_no_poster(client_as):
    from zhonglou_hrss.core.models import Grid

    Grid.objects.filter(code="320404003").update(active=False)
    client = client_as("clerk")
    assert 'data-poster="320404003"' not in client.get(PAGE).content.decode()
    assert client.get("/kuaiban/qr/320404003.png").status_code == 404


def test_png_poster_is_an_a4_image_of_the_grid_url(client_as, monkeypatch):
    """R-KB-01: the per-grid poster encodes the absolute public URL with ?grid=<code>."""
    seen = []
    real = qr.draw_poster
    monkeypatch.setattr(qr, "draw_poster", lambda poster: seen.append(poster) or real(poster))
    response = client_as("admin").get("/kuaiban/qr/320404002.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"] and ".png" in response["Content-Disposition"]
    image = Image.open(BytesIO(response.content))
    image.verify()
    assert image.format == "PNG" and image.size == qr.A4
    assert [(p.url, p.place) for p in seen] == [("http://testserver/kuaiban/report/?grid=320404002", "永红街道")]


def test_general_poster_pdf(client_as, monkeypatch):
    """R-KB-01: the general poster as a one-page PDF; no grid pre-selected."""
    seen = []
    real = qr.draw_poster
    monkeypatch.setattr(qr, "draw_poster", lambda poster: seen.append(poster) or real(poster))
    response = client_as("clerk").get("/kuaiban/qr/general.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", body)) == 1  # one page ...
    width, height = map(float, re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", body).groups())
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # ... of A4 (points)
    assert [(p.url, p.place) for p in seen] == [("http://testserver/kuaiban/report/", "钟楼区各街道（镇）通用")]


def test_unknown_or_district_grid_is_404(client_as):
    client = client_as("clerk")
    assert client.get("/kuaiban/qr/320404.png").status_code == 404  # 区本级: no public registration
    assert client.get("/kuaiban/qr/999999.pdf").status_code == 404
    assert client.get("/kuaiban/qr/general.gif").status_code == 404


@pytest.mark.parametrize("url", [PAGE, "/kuaiban/qr/general.png", "/kuaiban/qr/320404001.pdf"])
def test_refused_without_permission(client_as, client, url):
    """R-KB-01: posters need kuaiban.print_qr_poster — a grid worker is refused, the public must sign in."""
    assert client_as("grid_worker").get(url).status_code == 403
    assert client_as("leader").get(url).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/desk/login/" in anonymous["Location"]


def test_qr_code_matches_the_url():
    """The drawn code is exactly the QR matrix of the URL (read back module by module)."""
    url = "https://hrss.example.cn/kuaiban/report/?grid=320404001"
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    n = len(matrix)
    side = n * 12
    image = qr.qr_image(url, side).convert("L")
    for y in range(n):
        for x in range(n):
            dark = image.getpixel((x * 12 + 6, y * 12 + 6)) < 128
            assert dark == matrix[y][x], (x, y)


def test_poster_draws_without_a_chinese_font(monkeypatch):
    """Without fonts-noto-cjk the poster is still drawn (Pillow's own font)."""
    monkeypatch.setattr(qr, "_font_file", lambda weight: None)
    image = qr.draw_poster(qr.Poster(title="劳动监督快办 · 扫码登记", place="五星街道", url="http://x/kuaiban/report/",
                                     steps=("1. 扫码", "2. 填写")))
    assert image.size == qr.A4
    assert qr.poster_pdf(image).startswith(b"%PDF")
