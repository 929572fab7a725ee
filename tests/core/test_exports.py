"""R-KB-17 — the generic template export writer and template validation (core.exports)."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import datetime, timedelta, timezone as dt_timezone
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports import templates, writer

ENGINES = ["fast", "openpyxl"]


def make_template(rows, *, merge=None, widths=None, title="导出") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    if merge:
        ws.merge_cells(merge)
    for letter, width in (widths or {}).items():
        ws.column_dimensions[letter].width = width
    ws["A1"].font = Font(bold=True, size=14)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


SIMPLE = [["测试导出", None, None, None], ["编号", "时间", "金额", "说明"],
          ["{{number}}", "{{at}}", "{{amount}}", "{{text}}"]]


def errors_of(data, **kwargs) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        templates.parse_template(data, **kwargs)
    return exc.value.errors["file"]


# --- validation -----------------------------------------------------------------------
def test_r_kb_17_template_must_be_an_xlsx():
    assert "不是 Excel 文件" in errors_of(b"number,status\n1,2\n")[0]
    # A zip, but not a workbook.
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "不是有效的 Excel" in errors_of(buf.getvalue())[0]


def test_r_kb_17_template_needs_a_placeholder_row():
    assert "没有找到占位符行" in errors_of(make_template([["标题"], ["编号", "状态"]]))[0]


def test_r_kb_17_template_unknown_placeholders_are_listed(db):
    data = make_template([["编号", "状态", "x"], ["{{number}}", "{{nonsense}}", "{{other_bad}}"]])
    messages = errors_of(data, kind="kuaiban_case")
    assert any("未知的占位符" in m and "{{nonsense}}" in m and "{{other_bad}}" in m for m in messages)
    assert not any("{{number}}" in m for m in messages)


@pytest.mark.parametrize("rows, expected", [
    ([["编号"], ["{{number}}"], ["{{status}}"]], "只能有一行占位符"),
    ([["编号"], ["{{number}}"], ["合计"]], "之后不能再有内容"),
    ([["编号", "状态"], ["{{number}}", "状态"]], "只能填写占位符"),
    ([["编号"], ["{{ number"]], "占位符写法不对"),
])
def test_r_kb_17_template_layout_errors(rows, expected):
    assert any(expected in m for m in errors_of(make_template(rows)))


def test_r_kb_17_template_spec_reads_header_rows_widths_and_merges():
    spec = templates.parse_template(make_template(SIMPLE, merge="A1:D1", widths={"D": 33}))
    assert spec.keys == ["number", "at", "amount", "text"]
    assert [c.value if c else None for c in spec.header_rows[1]] == ["编号", "时间", "金额", "说明"]
    assert spec.merged == ["A1:D1"]
    assert spec.widths[4] == 33
    # Gaps in the placeholder row keep their column.
    spec = templates.parse_template(make_template([["a", "b", "c"], ["{{x}}", None, "{{y}}"]]))
    assert spec.columns == [(1, "x"), (3, "y")]


# --- writing --------------------------------------------------------------------------
def generated_rows(n):
    base = datetime(2026, 11, 29, 6, 30, tzinfo=dt_timezone.utc)  # 14:30 in Shanghai
    for i in range(n):
        yield {"number": f"KB2026-{i:06d}", "at": base + timedelta(minutes=i), "amount": Decimal(i) + Decimal("0.5"),
               "text": f"诉求 <{i}> & 工资"}


def read_back(path):
    wb = load_workbook(path)
    return wb, wb.worksheets[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_r_kb_17_writer_5000_rows(tmp_path, engine):
    spec = templates.parse_template(make_template(SIMPLE, merge="A1:D1", widths={"D": 33}))
    path = tmp_path / "out.xlsx"
    seen = []
    count = writer.write_workbook(spec, generated_rows(5000), path, engine=engine, progress=seen.append,
                                   progress_every=1000)
    assert count == 5000
    assert seen == [1000, 2000, 3000, 4000, 5000]
    wb, ws = read_back(path)
    assert ws.max_row == 2 + 5000
    # Header rows copied, bold, merged, widths.
    assert ws["A1"].value == "测试导出" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["编号", "时间", "金额", "说明"] and ws["B2"].font.b
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.column_dimensions["D"].width == 33
    assert ws.freeze_panes == "A3"
    # Data: Shanghai time, money as a number with its format, text escaped correctly.
    first = ws[3]
    assert first[0].value == "KB2026-000000"
    assert first[1].value == datetime(2026, 11, 29, 14, 30) and first[1].number_format == "yyyy-mm-dd hh:mm"
    assert first[2].value == 0.5 and first[2].number_format == "#,##0.00"
    assert first[3].value == "诉求 <0> & 工资"
    last = ws[5002]
    assert last[0].value == "KB2026-004999"
    assert last[1].value == datetime(2026, 11, 29, 14, 30) + timedelta(minutes=4999)
    assert last[2].value == 4999.5


@pytest.mark.parametrize("engine", ENGINES)
def test_r_kb_17_writer_zero_rows_still_a_valid_file(tmp_path, engine):
    spec = templates.parse_template(make_template(SIMPLE))
    path = tmp_path / "empty.xlsx"
    assert writer.write_workbook(spec, iter(()), path, engine=engine) == 0
    wb, ws = read_back(path)
    assert ws.max_row == 2 and ws["A2"].value == "编号"


@pytest.mark.parametrize("engine", ENGINES)
def test_r_kb_17_template_without_header_rows(tmp_path, engine):
    spec = templates.parse_template(make_template([["{{number}}", "{{text}}"]]))
    assert spec.header_rows == []
    path = tmp_path / "bare.xlsx"
    writer.write_workbook(spec, [{"number": "KB1", "text": "t"}], path, engine=engine)
    wb, ws = read_back(path)
    assert [c.value for c in ws[1]] == ["KB1", "t"] and ws.max_row == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_r_kb_17_citizen_text_is_never_a_formula(tmp_path, engine):
    """A demand typed on the public page like '=HYPERLINK(...)' stays text (no formula injection);
    control characters that XML cannot hold are dropped, not fatal."""
    spec = templates.parse_template(make_template(SIMPLE))
    path = tmp_path / "evil.xlsx"
    rows = [{"number": "=1+1", "text": '=HYPERLINK("http://x","点我")'}, {"number": "a\x07b", "text": "  两端空格  "}]
    writer.write_workbook(spec, rows, path, engine=engine)
    wb, ws = read_back(path)
    assert ws["A3"].data_type == "s" and ws["A3"].value == "=1+1"
    assert ws["D3"].data_type == "s" and ws["D3"].value.startswith("=HYPERLINK")
    assert ws["A4"].value == "ab"
    assert ws["D4"].value == "  两端空格  "


def test_r_kb_17_both_engines_write_the_same_cells(tmp_path):
    spec = templates.parse_template(make_template(SIMPLE, merge="A1:D1"))
    values = {}
    for engine in ENGINES:
        path = tmp_path / f"{engine}.xlsx"
        writer.write_workbook(spec, generated_rows(50), path, engine=engine)
        wb, ws = read_back(path)
        values[engine] = [[(c.value, c.number_format, bool(c.font.b)) for c in row] for row in ws.iter_rows()]
    assert values["fast"] == values["openpyxl"]


def test_r_kb_17_writer_memory_is_flat(tmp_path):
    """Peak Python memory for 20,000 rows is about that of 2,000 (streaming, no list of rows)."""
    spec = templates.parse_template(make_template(SIMPLE))

    def peak(n):
        tracemalloc.start()
        try:
            writer.write_workbook(spec, generated_rows(n), tmp_path / f"m{n}.xlsx")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2000), peak(20000)
    assert large < small * 1.5 + 256 * 1024, (small, large)
