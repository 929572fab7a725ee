#!/usr/bin/env python
"""Write the default export templates shipped in ``fixtures/base/export_templates/``.

    .venv/bin/python scripts/make_default_export_templates.py

One workbook per export kind: a title row, a header row in Chinese, then the
row of placeholders (``{{number}}`` …) that an export fills once per record.
The field names and labels come from the kind's exporter, so the template
always names fields that exist. ``sync_fixtures`` registers the file as the
kind's template on sites that have none (``core.fixtures_sync``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_DIR / "fixtures" / "base" / "export_templates"

TITLES = {"kuaiban_case": "钟楼区劳动监督快办事件导出", "kuaiban_petition": "钟楼区信访记录导出"}
# Wider columns for long texts; the rest get a width from their header.
WIDE = {"demand": 40, "handling_notes": 30, "respondent_name": 28, "companions": 20, "ended_reason": 24,
        "result": 30}
DATETIME_WIDTH = 17


def build(kind: str):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from zhonglou_hrss.core.exports import get_exporter

    exporter = get_exporter(kind)
    fields = list(exporter.fields.values())
    wb = Workbook()
    ws = wb.active
    ws.title = exporter.label
    ws.cell(row=1, column=1, value=TITLES[kind]).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(fields))
    for col, f in enumerate(fields, start=1):
        ws.cell(row=2, column=col, value=f.label).font = Font(bold=True)
        ws.cell(row=3, column=col, value="{{" + f.key + "}}")
        letter = get_column_letter(col)
        if f.key in WIDE:
            width = WIDE[f.key]
        elif f.key.endswith("_at"):
            width = DATETIME_WIDTH
        else:
            width = max(10, sum(2 if ord(ch) > 0x2E7F else 1 for ch in f.label) + 2)
        ws.column_dimensions[letter].width = width
    return wb


def main(argv=None) -> int:
    sys.path.insert(0, str(REPO_DIR / "apps"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
    import django

    django.setup()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for kind in TITLES:
        path = OUT_DIR / f"{kind}.xlsx"
        wb = build(kind)
        # A fixed timestamp keeps the file identical from run to run.
        from datetime import datetime

        wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
        wb.save(path)
        print(f"写入 {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
