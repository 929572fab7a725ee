"""How values look to people (ui.md): ¥12,000.00, 2026-11-29 14:30, masks."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django import forms
from django.utils import formats, timezone
from unfold.widgets import BASE_INPUT_CLASSES, CHECKBOX_CLASSES, SELECT_CLASSES, TEXTAREA_CLASSES


def money(value) -> str:
    if value is None or value == "":
        return "—"
    return f"¥{Decimal(value):,.2f}"


def when(value) -> str:
    """2026-11-29 14:30 (local time) or 2026-11-29: the formats of every desk
    page (``zhonglou_hrss.formats``)."""
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        return _formatted(timezone.localtime(value), "DATETIME_FORMAT")
    return _formatted(value, "DATE_FORMAT")


def _formatted(value, format_name: str) -> str:
    # A list shows three times per row: Django's date_format reads its format letter by
    # letter on every call (about 70 µs); the same format as strftime costs a tenth (issue 19).
    django_format = formats.get_format(format_name)
    pattern = _as_strftime(django_format)
    return value.strftime(pattern) if pattern else formats.date_format(value, format_name)


_STRFTIME_LETTERS = {"Y": "%Y", "m": "%m", "d": "%d", "H": "%H", "i": "%M", "s": "%S"}


@functools.cache
def _as_strftime(django_format: str) -> str | None:
    """The strftime twin of a Django date format written with only the letters above
    (zero-padded numbers: the same text either way); None for any other letter."""
    out = []
    for char in django_format:
        if char in _STRFTIME_LETTERS:
            out.append(_STRFTIME_LETTERS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            out.append("%%" if char == "%" else char)
    return "".join(out)


def style_form(form: forms.Form) -> forms.Form:
    """Give plain Django forms the desk's (unfold) input look."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            classes = CHECKBOX_CLASSES
        elif isinstance(widget, forms.Select):
            classes = SELECT_CLASSES
        elif isinstance(widget, forms.Textarea):
            classes = TEXTAREA_CLASSES
        elif isinstance(widget, forms.FileInput):
            classes = []
        else:
            classes = BASE_INPUT_CLASSES
        widget.attrs["class"] = " ".join([*classes, widget.attrs.get("class", "")]).strip()
    return form
