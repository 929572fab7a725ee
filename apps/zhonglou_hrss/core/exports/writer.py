"""Writing an export: ``write_workbook`` streams dicts (one per record) into a
new workbook — the header rows (values, bold font, merged cells, column
widths) from the template, then one row per record in the placeholder
columns' order. Memory stays flat whatever the row count.

Two engines write the data rows. ``openpyxl`` appends each row to an openpyxl
write-only worksheet — simple, but about 2,000 rows/s for 30 columns on the
bureau's 2-core server. ``fast`` (the default) lets openpyxl write the whole
workbook (header rows, styles, widths, merged cells, the package), then
streams the data rows' ``<row>`` XML straight into that sheet's ``sheetData``
while copying the package into the final file: same cells, same styles,
5–10× faster. Both are tested to produce the same cells.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.cell_range import CellRange

from zhonglou_hrss.core.exports.exporters import CHUNK_SIZE
from zhonglou_hrss.core.exports.templates import TemplateSpec

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
MAX_CELL_CHARS = 32767  # Excel's limit per cell


def _local_naive(value: datetime, zone: ZoneInfo | None = None) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(zone or _zone(settings.TIME_ZONE)).replace(tzinfo=None)
    return value


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _clean_text(value: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value[:MAX_CELL_CHARS]


def _default_width(spec: TemplateSpec, col: int) -> float:
    """About as wide as the column's longest header text (CJK counts double)."""
    spanning = set()  # header cells merged across columns: their text spreads wider
    for rng in map(CellRange, spec.merged):
        if rng.max_col > rng.min_col:
            spanning.add((rng.min_row, rng.min_col))
    longest = 0
    for row_idx, row in enumerate(spec.header_rows, start=1):
        cell = row[col - 1] if col - 1 < len(row) else None
        if cell is not None and (row_idx, col) not in spanning:
            longest = max(longest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(cell.value)))
    return float(min(40, max(10, longest + 2)))


def _new_sheet(spec: TemplateSpec):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=spec.sheet_title or "导出")
    for col in range(1, spec.width + 1):
        ws.column_dimensions[get_column_letter(col)].width = spec.widths.get(col) or _default_width(spec, col)
    if spec.header_rows:
        ws.freeze_panes = f"A{len(spec.header_rows) + 1}"
    for rng in spec.merged:
        ws.merged_cells.add(CellRange(rng))
    for row in spec.header_rows:
        out = []
        for cell in row:
            if cell is None:
                out.append(None)
                continue
            written = WriteOnlyCell(ws, value=cell.value)
            written.font = Font(bold=cell.bold, size=cell.size)
            out.append(written)
        ws.append(out)
    return wb, ws


def write_workbook(spec: TemplateSpec, rows: Iterable[dict], path: Path, *, engine: str = "fast",
                   progress: Callable[[int], None] | None = None, progress_every: int = CHUNK_SIZE) -> int:
    """Write ``rows`` (dicts keyed by field) under the template's header rows; return the row count."""
    path = Path(path)
    if engine not in ("openpyxl", "fast"):
        raise ValueError(f"unknown engine {engine!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under ``<name>.part`` and renamed when complete (atomic on one file
    # system): a worker killed mid-export leaves no file under the final name.
    partial = path.with_name(path.name + ".part")
    try:
        write = _write_openpyxl if engine == "openpyxl" else _write_fast
        count = write(spec, rows, partial, progress, progress_every)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_openpyxl(spec, rows, path, progress, progress_every) -> int:
    wb, ws = _new_sheet(spec)
    width = spec.width
    slots = [(col - 1, key) for col, key in spec.columns]
    count = 0
    for record in rows:
        out: list = [None] * width
        for index, key in slots:
            value = record.get(key)
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                value = WriteOnlyCell(ws, value=_local_naive(value))
                value.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                value = WriteOnlyCell(ws, value=value)
                value.number_format = DATE_FORMAT
            elif isinstance(value, Decimal):
                value = WriteOnlyCell(ws, value=value)
                value.number_format = MONEY_FORMAT
            elif isinstance(value, str):
                text = _clean_text(value)
                value = WriteOnlyCell(ws, value=text)
                value.data_type = "s"  # "=..." from a citizen's text stays text, never a formula
            out[index] = value
        ws.append(out)
        count += 1
        if progress and count % progress_every == 0:
            progress(count)
    wb.save(path)
    return count


_SHEETDATA_END = re.compile(rb"</sheetData\s*>|<sheetData\s*/>")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _write_fast(spec, rows, path, progress, progress_every) -> int:
    wb, ws = _new_sheet(spec)
    # Register the data cells' styles in openpyxl's style table; use their ids in <c s="…">.
    style_ids = {}
    for name, fmt in (("datetime", DATETIME_FORMAT), ("date", DATE_FORMAT), ("money", MONEY_FORMAT)):
        probe = WriteOnlyCell(ws)
        probe.number_format = fmt
        style_ids[name] = probe.style_id
    dt_style, date_style, money_style = style_ids["datetime"], style_ids["date"], style_ids["money"]
    tmp = path.with_name(path.name + ".head")
    wb.save(tmp)
    first_row = len(spec.header_rows) + 1
    slots = [(get_column_letter(col), key) for col, key in spec.columns]
    translate = str.translate
    zone = _zone(settings.TIME_ZONE)  # once, not per cell
    count = 0
    try:
        with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(
                path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:  # level 1: ~3× faster than 6
            sheets = [n for n in zin.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
            if len(sheets) != 1:
                raise RuntimeError("unexpected workbook layout")
            for info in zin.infolist():
                if info.filename != sheets[0]:
                    zout.writestr(info, zin.read(info))
                    continue
                xml = zin.read(info)
                end = _SHEETDATA_END.search(xml)
                if end is None:
                    raise RuntimeError("worksheet without sheetData")
                head, tail = xml[:end.start()], xml[end.end():]
                if end.group().endswith(b"/>"):  # <sheetData/>: no header rows
                    head += b"<sheetData>"
                with zout.open(info.filename, "w", force_zip64=True) as out:
                    out.write(head)
                    buffer: list[str] = []
                    r = first_row - 1
                    for record in rows:
                        r += 1
                        parts = [f'<row r="{r}">']
                        for letter, key in slots:
                            value = record.get(key)
                            if value is None or value == "":
                                continue
                            kind = type(value)
                            if kind is str:
                                if ILLEGAL_CHARACTERS_RE.search(value):
                                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                                parts.append(f'<c r="{letter}{r}" t="inlineStr"><is><t xml:space="preserve">'
                                             f'{translate(value[:MAX_CELL_CHARS], _XML_ESCAPES)}</t></is></c>')
                            elif kind is datetime:
                                parts.append(f'<c r="{letter}{r}" s="{dt_style}"><v>'
                                             f'{to_excel(_local_naive(value, zone))!r}</v></c>')
                            elif kind is Decimal:
                                parts.append(f'<c r="{letter}{r}" s="{money_style}"><v>{value}</v></c>')
                            elif kind is bool:
                                parts.append(f'<c r="{letter}{r}" t="b"><v>{int(value)}</v></c>')
                            elif kind is int or kind is float:
                                parts.append(f'<c r="{letter}{r}"><v>{value!r}</v></c>')
                            elif kind is date:
                                parts.append(f'<c r="{letter}{r}" s="{date_style}"><v>{to_excel(value)}</v></c>')
                            else:
                                text = translate(_clean_text(str(value)), _XML_ESCAPES)
                                parts.append(f'<c r="{letter}{r}" t="inlineStr"><is><t xml:space="preserve">'
                                             f'{text}</t></is></c>')
                        parts.append("</row>")
                        buffer.append("".join(parts))
                        count += 1
                        if count % 500 == 0:
                            out.write("".join(buffer).encode())
                            buffer.clear()
                        if progress and count % progress_every == 0:
                            progress(count)
                    out.write("".join(buffer).encode())
                    out.write(b"</sheetData>")
                    out.write(tail)
    finally:
        tmp.unlink(missing_ok=True)
    return count

