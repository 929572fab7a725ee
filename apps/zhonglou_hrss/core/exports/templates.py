"""Export templates: an .xlsx whose first sheet holds header rows and then one
row of placeholders naming fields (``{{number}}``). ``parse_template``
validates it (Chinese errors) and returns a ``TemplateSpec``; stored templates
live in the private uploads (or, ``builtin:<name>``, in ``fixtures/base``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from zhonglou_hrss.core import private_files
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports.registry import field_choices

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
MAX_HEADER_ROWS = 20
PLACEHOLDER_RE = re.compile(r"^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$")
TEMPLATES_FOLDER = "export_templates"


def shipped_template_path(kind: str) -> Path:
    """The default template of a kind, shipped in ``fixtures/base/export_templates``."""
    from zhonglou_hrss.siteconf import REPO_DIR

    return REPO_DIR / "fixtures" / "base" / "export_templates" / f"{kind}.xlsx"



@dataclass
class HeaderCell:
    value: object
    bold: bool = True
    size: float | None = None


@dataclass
class TemplateSpec:
    sheet_title: str
    header_rows: list[list[HeaderCell | None]]
    columns: list[tuple[int, str]]  # (1-based column, field key), in column order
    widths: dict[int, float] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [key for _, key in self.columns]

    @property
    def width(self) -> int:
        return max([c for c, _ in self.columns] + [len(r) for r in self.header_rows] + [1])


def parse_template(data: bytes, *, kind: str | None = None) -> TemplateSpec:
    """Read and check a template; ``InvalidInput({"file": [...]})`` lists every problem.
    With ``kind``, placeholder names must be fields of that kind."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InvalidInput({"file": ["模板文件过大（不能超过 2 MB）"]})
    if not data.startswith(b"PK"):
        raise InvalidInput({"file": ["不是 Excel 文件：请上传 .xlsx 格式的模板（不支持 .xls、.csv）"]})
    try:
        wb = load_workbook(BytesIO(data), data_only=False)
    except Exception:  # a zip that is not a workbook, a damaged file, ...
        raise InvalidInput({"file": ["无法读取该文件：不是有效的 Excel（.xlsx）文件"]}) from None
    ws = wb.worksheets[0]
    errors: list[str] = []
    placeholder_rows: list[int] = []
    columns: list[tuple[int, str]] = []
    last_content_row = 0
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        row_idx = row[0].row
        found, other = [], []
        for cell in row:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            last_content_row = row_idx
            match = PLACEHOLDER_RE.match(value) if isinstance(value, str) else None
            if match:
                found.append((cell.column, match.group(1)))
            elif isinstance(value, str) and ("{{" in value or "}}" in value):
                errors.append(f"{cell.coordinate} 单元格的占位符写法不对：“{value}”（应为 {{{{字段名}}}}，如 {{{{number}}}}）")
            else:
                other.append(cell.coordinate)
        if found:
            placeholder_rows.append(row_idx)
            if other:
                errors.append(f"占位符行（第{row_idx}行）中只能填写占位符，以下单元格不是占位符：{'、'.join(other)}")
            if len(placeholder_rows) == 1:
                columns = found
    if not placeholder_rows:
        errors.append("没有找到占位符行：请在表头下方的一行中每列填写一个占位符，如 {{number}}、{{status}}")
    elif len(placeholder_rows) > 1:
        errors.append(f"只能有一行占位符，现在第{'、'.join(map(str, placeholder_rows))}行都有占位符")
    else:
        data_row = placeholder_rows[0]
        if last_content_row > data_row:
            errors.append(f"占位符行（第{data_row}行）之后不能再有内容")
        if data_row - 1 > MAX_HEADER_ROWS:
            errors.append(f"表头最多 {MAX_HEADER_ROWS} 行")
    if kind is not None and columns:
        known = {key for key, _ in field_choices(kind)}
        unknown = list(dict.fromkeys(name for _, name in columns if name not in known))
        if unknown:
            errors.append("未知的占位符：" + "、".join("{{" + n + "}}" for n in unknown)
                          + "。可用的字段见本页说明")
    if errors:
        raise InvalidInput({"file": errors})
    data_row = placeholder_rows[0]
    header_rows = []
    for row in ws.iter_rows(min_row=1, max_row=data_row - 1) if data_row > 1 else ():  # max_row=0 means "all"
        cells = []
        for cell in row:
            if cell.value is None:
                cells.append(None)
            else:
                cells.append(HeaderCell(cell.value, bold=True, size=cell.font.sz if cell.font else None))
        header_rows.append(cells)
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth and dim.width:
            for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
                widths[col] = float(dim.width)
    merged = [str(r) for r in ws.merged_cells.ranges if r.max_row < data_row]
    return TemplateSpec(sheet_title=ws.title, header_rows=header_rows, columns=columns, widths=widths,
                        merged=merged)


BUILTIN_PREFIX = "builtin:"


def template_bytes(template) -> bytes:
    """A stored template's file: in the private uploads, or (``builtin:<name>``,
    registered by the fixture sync) the file shipped in ``fixtures/base``."""
    if template.file.startswith(BUILTIN_PREFIX):
        name = Path(template.file[len(BUILTIN_PREFIX):]).name
        return (shipped_template_path(template.kind).parent / name).read_bytes()
    path = private_files.private_path(template.file)
    if not path.is_file():
        raise InvalidInput({"template": [f"导出模板“{template.name}”的文件已丢失，请管理员重新上传"]})
    return path.read_bytes()


def template_spec(template, kind: str) -> TemplateSpec:
    """The spec of a stored template, or of the shipped default when ``template`` is None."""
    if template is None:
        return parse_template(shipped_template_path(kind).read_bytes(), kind=kind)
    return parse_template(template_bytes(template), kind=kind)


def template_for(kind: str, template_id=None):
    """The template to use: the one asked for (active, of this kind), else the
    default, else the newest active one; None means the shipped default file."""
    from zhonglou_hrss.core.models import ExportTemplate

    active = ExportTemplate.objects.filter(kind=kind, active=True)
    if template_id not in (None, ""):
        template = active.filter(pk=template_id).first() if str(template_id).isdigit() else None
        if template is None:
            raise InvalidInput({"template": ["导出模板不存在或已停用"]})
        return template
    return active.order_by("-is_default", "-created_at", "-id").first()


@transaction.atomic
def save_template(*, actor, template, content: bytes | None = None, filename: str = ""):
    """Create or update a template (write path of the desk and of the fixture sync).
    ``content`` (the uploaded file) is required for a new template."""
    from zhonglou_hrss.core.models import ExportTemplate

    old_file = ""
    if content is not None:
        spec = parse_template(content, kind=template.kind)
        old_file = template.file
        template.file = private_files.save_private(TEMPLATES_FOLDER, content, ".xlsx")
        template.original_filename = (filename or "")[:200]
        template.placeholders = spec.keys
        if template.pk is None:
            template.uploaded_by = actor if getattr(actor, "pk", None) else None
    elif not template.file:
        raise InvalidInput({"file": ["请上传模板文件"]})
    template.save()
    if template.is_default:
        ExportTemplate.objects.filter(kind=template.kind, is_default=True).exclude(pk=template.pk).update(
            is_default=False)
    if old_file and old_file != template.file and not old_file.startswith(BUILTIN_PREFIX):
        transaction.on_commit(lambda: private_files.delete_private(old_file))
    return template



# --- the government's report layout, built in code ---------------------------------------------
def government_spec(*, title: str, info: str, issuer: str, exported_at: str, columns: list[tuple[str, str, str | None]],
                    sheet_title: str, widths: dict[int, float] | None = None) -> TemplateSpec:
    """A sheet as the bureau's reports are laid out: the title over the whole width,
    a line of particulars (period, place, scope …), 填报单位 on the left and the
    export time on the right, then two header rows — each column's group merged
    above its columns (a column without a group spans both rows). ``columns``:
    (field key, header, group or None), in column order; at most 26."""
    width = len(columns)
    if not 2 <= width <= 26:
        raise ValueError("a government-format sheet has 2 to 26 columns")
    last = get_column_letter(width)
    half = (width + 1) // 2  # 填报单位 over the left half (the larger one), the time over the rest
    rows: list[list[HeaderCell | None]] = [
        [HeaderCell(title, size=16)] + [None] * (width - 1),
        [HeaderCell(info, bold=False)] + [None] * (width - 1),
        [HeaderCell(f"填报单位：{issuer}", bold=False)] + [None] * (half - 1)
        + [HeaderCell(f"导出时间：{exported_at}", bold=False)] + [None] * (width - half - 1),
    ]
    merged = [f"A1:{last}1", f"A2:{last}2", f"A3:{get_column_letter(half)}3",
              f"{get_column_letter(half + 1)}3:{last}3"]
    groups: list[HeaderCell | None] = []
    previous = object()
    for i, (_, label, group) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        if group is None:
            groups.append(HeaderCell(label))
            merged.append(f"{letter}4:{letter}5")
        elif group != previous:
            groups.append(HeaderCell(group))
            span = sum(1 for _, _, g in columns if g == group)
            merged.append(f"{letter}4:{get_column_letter(i + span - 1)}4")
        else:
            groups.append(None)
        previous = group
    rows.append(groups)
    rows.append([None if group is None else HeaderCell(label) for _, label, group in columns])
    return TemplateSpec(sheet_title=sheet_title, header_rows=rows,
                        columns=[(i, key) for i, (key, _, _) in enumerate(columns, start=1)],
                        widths=widths or {}, merged=merged)
