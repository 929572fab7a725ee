"""Issue 10 item 9: the templates the Content-Security-Policy relies on — no
inline script and no inline event handler anywhere under apps/."""

from __future__ import annotations

import re
from pathlib import Path

APPS = Path(__file__).resolve().parents[1] / "apps"


# --- the templates the policy relies on ----------------------------------------------------
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def templates():
    found = sorted(p for p in APPS.rglob("templates/**/*.html"))
    assert found
    return found


def test_no_inline_script_or_handler_in_our_templates():
    """issue 10 item 9: scripts live in static files, behaviours in data attributes (desk.js)."""
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL):
            offenders += [f"{path.relative_to(APPS)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_template_check_finds_what_it_looks_for():
    samples = ['<script>alert(1)</script>', '<select name="y" onchange="this.form.submit()">',
               "<form method=post\n  onsubmit=\"return confirm('x')\">", '<a href="javascript:void(0)">']
    for sample in samples:
        assert any(p.search(sample) for p in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL)), sample
    for fine in ('<script src="/static/x.js"></script>', '<script id="c" type="application/json">{}</script>',
                 '<button data-confirm="确认？" x-on:click="open = true">', '<p>online=1</p>'):
        assert not any(p.search(fine) for p in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL)), fine
