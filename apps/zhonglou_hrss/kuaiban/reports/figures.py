"""Excel files of the statistics tables (R-KB-18, R-KB-19): each table of the
one map and the analysis pages, as the user sees it (``selectors.figures``).

A workbook has the table on its first sheet — row 1 a title (what, which
year, who exported it and when), row 2 the column headers, then one row per
grid and, where it adds up, a 合计 row — and the definitions on a second
sheet (口径说明). The tables are small (one row per grid), so the file is
written in the request; the view audit-logs every export.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.rules import MIN_CASES_TO_RANK, completion_rate, figure_definitions
from zhonglou_hrss.kuaiban.selectors import figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass
class Table:
    label: str  # 一张图 / 各网格历年情况 …
    headers: list[str]
    rows: list[list]
    yearly: bool = True  # the table is for one year (its title and file name say which)
    total_rows: int = 0  # the last rows are totals (bold)


def map_table(user, year: int) -> Table:
    shown = figures.map_figures(user, year)
    rows = [[g["code"], g["name"], g["cases_received"], g["cases_completed"],
             completion_rate(g["cases_completed"], g["cases_received"]), g["cases_invalid"], g["petitions"],
             g["petitions_completed"]] for g in shown["grids"]]
    t = shown["totals"]
    rows.append(["", "合计", t["cases_received"], t["cases_completed"],
                 completion_rate(t["cases_completed"], t["cases_received"]),
                 t["cases_invalid"], t["petitions"], t["petitions_completed"]])
    return Table("一张图", ["网格编码", "网格名称", "收到事件", "完成事件", "完成率（%）", "无效（正常结束）", "信访",
                         "信访完成"], rows, total_rows=1)


def yearly_table(user, year: int) -> Table:
    yearly = figures.yearly_by_grid(user)
    rows = [[r.code, r.name, r.year, r.received, r.completed, r.rate] for r in yearly["rows"]]
    return Table("各网格历年情况", ["网格编码", "网格名称", "年份", "收到", "完成", "完成率（%）"], rows, yearly=False)


def monthly_table(user, year: int) -> Table:
    monthly = figures.monthly_by_grid(user, year)
    rows = []
    received_sum, completed_sum = [0] * 12, [0] * 12
    for g in monthly["grids"]:
        rows.append([g["code"], g["name"], "收到", *g["received"], sum(g["received"])])
        rows.append([g["code"], g["name"], "完成", *g["completed"], sum(g["completed"])])
        received_sum = [a + b for a, b in zip(received_sum, g["received"])]
        completed_sum = [a + b for a, b in zip(completed_sum, g["completed"])]
    rows.append(["", "合计", "收到", *received_sum, sum(received_sum)])
    rows.append(["", "合计", "完成", *completed_sum, sum(completed_sum)])
    return Table("各网格每月情况", ["网格编码", "网格名称", "项目", *MONTHS, "全年"], rows, total_rows=2)


def ranking_table(user, year: int) -> Table:
    if not figures.ranks_grids(user):  # a grid worker: their grids' rates, no places (figures.ranks_grids)
        rows = [[r["code"], r["name"], r["cases_received"], r["cases_completed"], r["rate"]]
                for r in figures.ranking(user, year)]
        return Table("本网格完成率", ["网格编码", "网格名称", "收到", "完成", "完成率（%）"], rows)
    rows = []
    for r in figures.ranking(user, year):
        note = "" if r["rankable"] else f"收到少于 {MIN_CASES_TO_RANK} 件，样本不足，不参与排名"
        rows.append([r["rank"] if r["rank"] is not None else "—", r["code"], r["name"], r["cases_received"],
                     r["cases_completed"], r["rate"], note])
    return Table("网格完成率排名", ["名次", "网格编码", "网格名称", "收到", "完成", "完成率（%）", "说明"], rows)


def overdue_table(user, year: int) -> Table:
    rows = [[r["code"], r["name"], r["overdue"]] for r in figures.overdue_by_grid(user)]
    rows.append(["", "合计", sum(r[2] for r in rows)])
    return Table("各网格当前超时事件", ["网格编码", "网格名称", "当前超时事件数"], rows, yearly=False, total_rows=1)


TABLES = {
    "map": map_table,
    "yearly": yearly_table,
    "monthly": monthly_table,
    "ranking": ranking_table,
    "overdue": overdue_table,
}


def title_of(table: Table, year: int) -> str:
    return f"钟楼区快办{year}年{table.label}" if table.yearly else f"钟楼区快办{table.label}"


def filename_of(table: Table, year: int) -> str:
    stamp = timezone.localtime(clock.now())
    return f"{title_of(table, year)}_{stamp:%Y%m%d_%H%M}.xlsx"


def workbook_bytes(table: Table, year: int, user) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.label[:31]
    now = timezone.localtime(clock.now())
    who = getattr(user, "name", "") or user.get_username()
    ws.append([f"{title_of(table, year)}（导出人：{who}，导出时间：{now:%Y-%m-%d %H:%M}）"])
    ws.append(table.headers)
    for row in table.rows:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=13)
    header_fill = PatternFill("solid", fgColor="DBEAFE")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
    for i in range(table.total_rows):
        for cell in ws[ws.max_row - i]:
            cell.font = Font(bold=True)
    for index, header in enumerate(table.headers, start=1):
        width = max([len(str(header)) * 2 + 2] + [len(str(r[index - 1])) * 2 for r in table.rows if r[index - 1]])
        ws.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 40)
    ws.freeze_panes = "A3"

    notes = wb.create_sheet("口径说明")
    notes.append(["项目", "口径"])
    for name, text in figure_definitions():
        notes.append([name, text])
    notes["A1"].font = notes["B1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
