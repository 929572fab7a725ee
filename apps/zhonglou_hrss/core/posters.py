"""Printable QR posters for the public pages (kuaiban's registration page
per street grid; later the questionnaires per enterprise).

A poster is an A4 page at 150 dpi (1240 × 1754 px) drawn with Pillow: the
title and the issuer in a header band, the place it hangs, the QR code of the
page's absolute address, a few short steps, the address in small print and a
footer note. The caller gives the words (``Poster``). Chinese text uses Noto
Sans CJK (Debian's ``fonts-noto-cjk``); without it the poster is still drawn
with Pillow's own font (the QR code, which is what matters, stays exact).
"""

from __future__ import annotations

import glob
import logging
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

log = logging.getLogger(__name__)

ISSUER = "常州市钟楼区人力资源和社会保障局"
DPI = 150
A4 = (1240, 1754)
BLUE = (29, 78, 216)
INK = (31, 41, 55)
MUTED = (75, 85, 99)
WHITE = (255, 255, 255)

FONT_PATTERNS = {
    "bold": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/**/NotoSansCJK*Bold*.tt*",
             "/usr/share/fonts/**/NotoSansSC*Bold*.*tf"],
    "regular": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                "/usr/share/fonts/**/NotoSansCJK*Regular*.tt*", "/usr/share/fonts/**/NotoSansSC*Regular*.*tf",
                "/usr/share/fonts/**/wqy-*.tt*"],
}


@lru_cache(maxsize=4)
def _font_file(weight: str) -> tuple[str, int] | None:
    """(path, face index) of a Simplified-Chinese face, or None."""
    candidates = []
    for pattern in FONT_PATTERNS[weight] + (FONT_PATTERNS["regular"] if weight != "regular" else []):
        candidates += sorted(glob.glob(pattern, recursive=True))
    for path in candidates:
        for index in range(8):
            try:
                font = ImageFont.truetype(path, 12, index=index)
            except OSError:
                break
            family = font.getname()[0]
            if " SC" in family or family.endswith("SC") or "WenQuanYi" in family:
                return path, index
        try:
            ImageFont.truetype(path, 12)
            return path, 0
        except OSError:
            continue
    return None


def font(size: int, weight: str = "regular"):
    found = _font_file(weight)
    if found:
        return ImageFont.truetype(found[0], size, index=found[1])
    log.warning("没有找到中文字体（fonts-noto-cjk），二维码海报的文字可能无法正常显示")
    return ImageFont.load_default(size=size)


def has_cjk_font() -> bool:
    return _font_file("regular") is not None


def qr_image(url: str, size: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    return image.resize((size, size), Image.Resampling.NEAREST)


def _centered(draw, y, text, fnt, fill, width):
    left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
    draw.text(((width - (right - left)) / 2 - left, y - top), text, font=fnt, fill=fill)
    return y + (bottom - top)


def _fit(draw, text, size, weight, max_width):
    """The largest font up to ``size`` in which ``text`` fits ``max_width``."""
    while size > 16:
        fnt = font(size, weight)
        left, _, right, _ = draw.textbbox((0, 0), text, font=fnt)
        if right - left <= max_width:
            return fnt
        size -= 4
    return font(size, weight)


@dataclass(frozen=True)
class Poster:
    title: str  # the header line, e.g. "劳动监督快办 · 扫码登记"
    place: str  # where it hangs, e.g. a street's name
    url: str  # the absolute address the QR code opens
    steps: tuple[str, ...]  # two to four short lines
    note: str = ""  # the footer
    issuer: str = ISSUER


def draw_poster(poster: Poster) -> Image.Image:
    url, place, title = poster.url, poster.place, poster.title
    width, height = A4
    margin = 90
    image = Image.new("RGB", A4, WHITE)
    draw = ImageDraw.Draw(image)

    # Header band: title and issuer.
    draw.rectangle([0, 0, width, 330], fill=BLUE)
    _centered(draw, 95, title, _fit(draw, title, 84, "bold", width - 2 * margin), WHITE, width)
    _centered(draw, 235, poster.issuer, _fit(draw, poster.issuer, 40, "regular", width - 2 * margin), WHITE, width)

    # Where this poster hangs.
    y = _centered(draw, 400, place, _fit(draw, place, 72, "bold", width - 2 * margin), INK, width)

    # The code itself, framed.
    side = 760
    top = y + 60
    left = (width - side) // 2
    draw.rounded_rectangle([left - 24, top - 24, left + side + 24, top + side + 24], radius=24, outline=BLUE, width=6)
    image.paste(qr_image(url, side), (left, top))

    # Steps.
    y = top + side + 90
    step_font = _fit(draw, max(poster.steps, key=len), 40, "regular", width - 2 * margin)
    for step in poster.steps:
        _, t, _, b = draw.textbbox((0, 0), step, font=step_font)
        draw.text((margin, y - t), step, font=step_font, fill=INK)
        y += (b - t) + 30

    # The address for those who type it, and a footer.
    small = _fit(draw, url, 28, "regular", width - 2 * margin)
    _centered(draw, height - 150, url, small, MUTED, width)
    if poster.note:
        _centered(draw, height - 95, poster.note, _fit(draw, poster.note, 28, "regular", width - 2 * margin), MUTED,
                  width)
    return image


def poster_png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def poster_pdf(image: Image.Image, *, title: str = "", issuer: str = ISSUER) -> bytes:
    """One A4 page (the image at 150 dpi fills it)."""
    out = BytesIO()
    image.convert("RGB").save(out, format="PDF", resolution=DPI, title=title, author=issuer)
    return out.getvalue()
