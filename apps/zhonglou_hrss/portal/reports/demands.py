"""The talent-demand statistics (R-PT-14) as tables — one per dimension, the
services, the enterprises — and their Excel in the government format.

The same sections feed the desk page's tables and the workbook, so what is
exported is what is shown. The workbook's sheet 需求统计: row 1 the title
with the period, row 2 填报单位 (``settings.PORTAL_EXPORT_ISSUER``) and the
export time, row 3 the period and who exported; then one block per section
(a title row, a header row, its rows and a 合计 row); sheet 口径说明 the
definitions written on the page. Small (one row per lookup entry or
enterprise), so written in the request; the view audits each export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhonglou_hrss.core import clock
from zhonglou_hrss.portal.selectors.demands import DEFINITIONS, DIMENSIONS, DemandStatistics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "需求统计"
PERCENT = "0.00%"
DEFINITION_TITLES = {"period": "统计期间", "demands": "需求数", "approved": "占比口径", "services": "服务需求",
                     "major": "专业类别", "salary": "月薪区间", "satisfaction": "满意度"}


@dataclass
class Section:
    key: str  # age_band, …, services, enterprises
    title: str  # 按年龄段 …
    headers: list[str]
    rows: list[list]  # shares as decimals (0.1234)
    total: list | None = None
    share_column: int | None = None  # the index of the share column, if any
    chart: bool = True


def period_title(date_from: date, date_to: date) -> str:
    return f"钟楼区企业用工人才需求统计表（{date_from:%Y-%m-%d}至{date_to:%Y-%m-%d}）"


def summary_rows(stats: DemandStatistics) -> list[list]:
    return [
        ["需求数（提交审核）", stats.demands],
        ["已通过", stats.approved],
        ["已完成", stats.completed],
        ["未完全达成", stats.partial],
        ["未反馈", stats.no_feedback],
        ["满意度", stats.satisfaction if stats.satisfaction is not None else "—"],
        ["需求人数（已通过）", stats.requested],
        ["实际招聘人数", stats.hired],
    ]


def sections(stats: DemandStatistics) -> list[Section]:
    out = []
    for key, title, _ in DIMENSIONS:
        rows = [[r.label, r.headcount, r.share] for r in stats.dimensions.get(key, [])]
        total = ["合计", sum(r[1] for r in rows), 1 if rows else 0]
        out.append(Section(key, f"按{title}", [title, "需求人数", "占比"], rows, total, share_column=2))
    services = [[s["label"], s["demands"], s["share"]] for s in stats.services]
    out.append(Section("services", "按需要的服务", ["服务", "需求条数", "占比"], services,
                       ["合计", sum(r[1] for r in services), 1 if services else 0], share_column=2))
    enterprises = [[e["uscc"], e["name"], e["requested"], e["hired"]] for e in stats.enterprises]
    out.append(Section("enterprises", "各企业需求与实际招聘", ["统一社会信用代码", "企业名称", "需求人数", "实际招聘人数"],
                       enterprises, ["", "合计", sum(r[2] for r in enterprises), sum(r[3] for r in enterprises)],
                       chart=False))
    return out


def definitions() -> list[tuple[str, str]]:
    return [(DEFINITION_TITLES.get(k, k), text) for k, text in DEFINITIONS.items()]


def filename_of(date_from: date, date_to: date) -> str:
    stamp = timezone.localtime(clock.now())
    return f"人才需求统计_{date_from:%Y%m%d}-{date_to:%Y%m%d}_{stamp:%Y%m%d_%H%M}.xlsx"


def workbook_bytes(stats: DemandStatistics, user) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    now = timezone.localtime(clock.now())
    who = getattr(user, "name", "") or user.get_username()
    width = 4
    ws.append([period_title(stats.date_from, stats.date_to)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append([f"填报单位：{settings.PORTAL_EXPORT_ISSUER}", None, f"导出时间：{now:%Y-%m-%d %H:%M}"])
    ws.append([f"统计期间：{stats.date_from:%Y-%m-%d} 至 {stats.date_to:%Y-%m-%d}（按提交审核日期，含起止日）", None,
               f"导出人：{who}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DBEAFE")

    def block(title, headers, rows, total=None, share_column=None):
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        ws.append(headers)
        for cell in ws[ws.max_row]:
            cell.font, cell.fill, cell.border = Font(bold=True), header_fill, border
            cell.alignment = Alignment(horizontal="center")
        for row in rows + ([total] if total else []):
            ws.append(row)
            for i, cell in enumerate(ws[ws.max_row][:len(row)]):
                cell.border = border
                if i == share_column and isinstance(cell.value, (int, float)):
                    cell.number_format = PERCENT
        if total:
            for cell in ws[ws.max_row][:len(total)]:
                cell.font = Font(bold=True)

    summary = summary_rows(stats)
    block("总体情况", ["项目", "数值"], summary)
    for row in ws.iter_rows(min_row=ws.max_row - len(summary) + 1, max_row=ws.max_row):
        if row[0].value == "满意度" and isinstance(row[1].value, (int, float)):
            row[1].number_format = PERCENT
    for s in sections(stats):
        block(s.title, s.headers, s.rows, s.total, s.share_column)
    for index, w in enumerate((30, 34, 22, 16), start=1):
        ws.column_dimensions[get_column_letter(index)].width = w

    notes = wb.create_sheet("口径说明")
    notes.append(["项目", "口径"])
    for name, text in definitions():
        notes.append([name, text])
    notes["A1"].font = notes["B1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
