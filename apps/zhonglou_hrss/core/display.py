"""How values look to people (ui.md): ¥12,000.00, 2026-11-29 14:30, masks."""

from __future__ import annotations

import datetime as dt
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
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


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
