"""The figures' Excel files (R-KB-18, R-KB-19 + R-KB-17), every cell, against
the KNOWN set (tests/kuaiban/figures_known.py): the map table, the yearly,
monthly, ranking and overdue tables, a grid worker's own rows; each export
audit-logged; refused without the figures' permission."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.figures_known import (
    G0,
    G1,
    G2,
    G3,
    G4,
    MONTHLY_2026,
    NO_MONTHS,
    NOW,
    OVERDUE_AT_NOW,
    expected_row,
    grids_ordered,
    rate,
)
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import AuditLog

pytestmark = pytest.mark.django_db

EXPORT = "/desk/kuaiban/stats/export/{}/"


@pytest.fixture
def people(known):
    return known.people


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def workbook(user, table, year=2026):
    with clock.at(NOW):
        response = desk(user).get(EXPORT.format(table), {"year": year})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    sheet = wb.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    notes = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    return rows, notes


def test_map_excel_every_cell(known, people):
    """R-KB-18 + R-KB-17: the map table as Excel — title, headers, every grid's figures, the totals,
    the definitions on the second sheet; the export is audit-logged."""
    rows, notes = workbook(people.leader, "map", 2026)
    assert "2026年一张图" in rows[0][0] and "李科长" in rows[0][0]
    assert rows[1] == ["网格编码", "网格名称", "收到事件", "完成事件", "完成率（%）", "无效（正常结束）", "信访",
                       "信访完成"]
    body = rows[2:]
    grids = grids_ordered()
    assert len(body) == len(grids) + 1
    for row, grid in zip(body, grids):
        e = expected_row(2026, grid.code)
        assert row == [grid.code, grid.name, e["cases_received"], e["cases_completed"],
                       rate(e["cases_completed"], e["cases_received"]), e["cases_invalid"], e["petitions"],
                       e["petitions_completed"]]
    assert body[-1] == [None, "合计", 22, 8, round(800 / 22, 1), 1, 6, 3]
    assert notes[0] == ["项目", "口径"] and any(n[0] == "完成" and "正常结束" in n[1] for n in notes)
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, actor=people.leader)
    assert log.detail == {"kind": "kuaiban_stats", "table": "map", "year": 2026, "rows": len(grids), "format": "xlsx"}


def test_analysis_excels_every_cell(known, people):
    """R-KB-19: the yearly, monthly, ranking and overdue tables as Excel, every cell; each export
    is audit-logged with its table."""
    grids = grids_ordered()
    rows, _ = workbook(people.leader, "yearly")
    assert rows[1] == ["网格编码", "网格名称", "年份", "收到", "完成", "完成率（%）"]
    expected = []
    for grid in grids:
        for year in (2025, 2026, 2027):
            e = expected_row(year, grid.code)
            expected.append([grid.code, grid.name, year, e["cases_received"], e["cases_completed"],
                             rate(e["cases_completed"], e["cases_received"])])
    assert rows[2:] == expected

    rows, _ = workbook(people.leader, "monthly")
    assert "2026年各网格每月情况" in rows[0][0]
    assert rows[1] == ["网格编码", "网格名称", "项目", *[f"{m}月" for m in range(1, 13)], "全年"]
    expected = []
    for grid in grids:
        received, completed = MONTHLY_2026.get(grid.code, NO_MONTHS)
        expected.append([grid.code, grid.name, "收到", *received, sum(received)])
        expected.append([grid.code, grid.name, "完成", *completed, sum(completed)])
    total_r = [sum(MONTHLY_2026[c][0][m] for c in MONTHLY_2026) for m in range(12)]
    total_c = [sum(MONTHLY_2026[c][1][m] for c in MONTHLY_2026) for m in range(12)]
    expected += [[None, "合计", "收到", *total_r, 22], [None, "合计", "完成", *total_c, 8]]
    assert rows[2:] == expected

    rows, _ = workbook(people.leader, "ranking")
    assert rows[1] == ["名次", "网格编码", "网格名称", "收到", "完成", "完成率（%）", "说明"]
    names = {g.code: g.name for g in grids}
    assert rows[2:7] == [
        [1, G3, names[G3], 10, 4, 40.0, None],
        [2, G1, names[G1], 5, 2, 40.0, None],
        [3, G2, names[G2], 5, 1, 20.0, None],
        ["—", G4, names[G4], 1, 1, 100.0, "收到少于 5 件，样本不足，不参与排名"],
        ["—", G0, names[G0], 1, 0, 0.0, "收到少于 5 件，样本不足，不参与排名"],
    ]
    assert all(r[0] == "—" and r[3] == 0 and r[5] is None for r in rows[7:]) and len(rows) == 2 + len(grids)

    rows, _ = workbook(people.leader, "overdue")
    assert rows[1] == ["网格编码", "网格名称", "当前超时事件数"]
    assert rows[2:] == [[g.code, g.name, OVERDUE_AT_NOW.get(g.code, 0)] for g in grids] + [[None, "合计", 2]]

    logged = AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=people.leader).order_by("id")
    assert [log.detail["table"] for log in logged] == ["yearly", "monthly", "ranking", "overdue"]
    assert all(log.detail["kind"] == "kuaiban_stats" for log in logged)


def test_grid_worker_excel_has_their_grid_only(known, people):
    """R-KB-16/19: a grid worker's Excel files hold their grid's rows and numbers only."""
    rows, _ = workbook(people.grid1, "map")
    assert rows[2:] == [[G1, "五星街道", 5, 2, 40.0, 0, 3, 2], [None, "合计", 5, 2, 40.0, 0, 3, 2]]
    rows, _ = workbook(people.grid1, "overdue")
    assert rows[2:] == [[G1, "五星街道", 2], [None, "合计", 2]]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=people.grid1).count() == 2


def test_grid_worker_ranking_excel_has_no_places(known, people):
    """Issue 11 item 5: a grid worker's ranking file is their grid's completion
    rate, without a 名次 column (one grid: nothing to rank); the leader's has places."""
    rows, _ = workbook(people.grid1, "ranking")
    assert "本网格完成率" in rows[0][0]
    assert rows[1:] == [["网格编码", "网格名称", "收到", "完成", "完成率（%）"], [G1, "五星街道", 5, 2, 40.0]]
    rows, _ = workbook(people.leader, "ranking")
    assert rows[1][0] == "名次" and rows[3][:2] == [2, G1]


def test_excel_export_refused_without_the_figures_permission(people):
    """R-KB-16: an inspector cannot export the figures (403); an unknown table is 404; nothing logged."""
    assert desk(people.inspector1).get(EXPORT.format("map"), {"year": 2026}).status_code == 403
    assert desk(people.leader).get(EXPORT.format("nope"), {"year": 2026}).status_code == 404
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()


