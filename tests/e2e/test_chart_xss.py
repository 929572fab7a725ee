"""Issue 10 item 3 in a real browser: names that admins type (grids, the
lookup lists) reach the charts of 一张图 and 数据分析 as text, never as HTML.
Every grid is renamed to a script-bearing name, every complaint reason and
channel label too; the leader opens both pages, every tooltip is shown (by
ECharts' showTip and by the mouse over a point), and nothing runs: no dialog,
``window.__xss`` stays undefined, no request for the planted image — and the
names read back as the text that was typed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.kuaiban.conftest import registration
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.e2e

PASSWORD = "E2e#pass2026"
IGNORED = re.compile(r"favicon\.ico")
# One per grid (names are unique, at most 50 characters); each would run if
# put into the page as HTML: an image that fails, a script, an SVG, an
# attribute broken out of, an alert.
PAYLOADS = [
    "北港<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=2</script>南港",
    "东港<svg onload=window.__xss=3>",
    "西港\"><img src=x onerror=window.__xss=4>",
    "<img src=x onerror=alert(8)>中港",
    "'><script>alert(9)</script>",
    "<b onmouseover=window.__xss=7>粗</b>",
    "<iframe src=javascript:alert(10)>",
    "<details open ontoggle=window.__xss=11>",
    "<a href=javascript:window.__xss=12>链</a>",
]


def plant():
    """Script-bearing names in every admin-edited label a chart could show."""
    names = {}
    for i, grid in enumerate(Grid.objects.order_by("code")):
        name = PAYLOADS[i % len(PAYLOADS)] + ("" if i < len(PAYLOADS) else str(i))
        Grid.objects.filter(pk=grid.pk).update(name=name)
        names[grid.code] = name
    for kind in (LookupKind.CASE_REASON, LookupKind.CHANNEL):
        for entry in LookupEntry.objects.of(kind):
            LookupEntry.objects.filter(pk=entry.pk).update(
                label=f"{entry.label}<img src=x onerror=window.__xss='{kind}'>")
    return names


def seed(make_user):
    clerk = make_user("e2e_clerk", roles=["district_clerk"])
    make_user("e2e_leader", roles=["leader"], password=PASSWORD)
    for n, code in enumerate(Grid.objects.selectable().order_by("code").values_list("code", flat=True)):
        for _ in range(1 + n % 3):
            register_case(actor=clerk, data=registration(grid=code), source=CaseSource.INTERNAL)


def login(page):
    page.goto("/desk/")
    page.get_by_label("用户名").fill("e2e_leader")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def watch(page):
    """Dialogs (dismissed, counted) and requests for the planted image."""
    seen = {"dialogs": [], "x": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: re.search(r"/x$", r.url) and seen["x"].append(r.url))
    return seen


def assert_nothing_ran(page, seen, page_problems):
    page.wait_for_timeout(300)  # let a failing <img> fire its handler, were there one
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert seen["dialogs"] == []
    assert seen["x"] == []
    assert [p for p in page_problems(page) if not IGNORED.search(p)] == []


def tooltip_text(page, chart_selector):
    """The text of the chart's HTML tooltip, once ECharts has shown it."""
    tip = page.locator(f"{chart_selector} > div").filter(has_not=page.locator("canvas")).last
    expect(tip).to_be_visible()
    return tip.inner_text()


def test_grid_names_show_as_text_in_the_map(live_server, base_data, make_user, desk_page, page_problems,
                                            screenshot):
    """issue 10 item 3: a grid named ``北港<img src=x onerror=…>`` shows as that text in the map's
    tooltip (shown by ECharts and by hovering the point) and in its label; nothing runs."""
    seed(make_user)
    names = plant()
    page = desk_page
    seen = watch(page)
    login(page)
    page.goto("/desk/kuaiban/stats/map/")
    page.wait_for_selector('#zl-map[data-ready="1"]')

    points = page.evaluate("""() => {
        const c = window.zlMapChart, o = c.getOption();
        return o.series[0].data.map((d, i) => ({i, name: d.name, code: d.grid.code,
            px: c.convertToPixel({seriesIndex: 0}, [d.value[0], d.value[1]])}));
    }""")
    assert {p["code"] for p in points} and all(p["name"] == names[p["code"]] for p in points)
    for p in points:
        page.evaluate(f"() => window.zlMapChart.dispatchAction({{type: 'showTip', seriesIndex: 0, dataIndex: {p['i']}}})")
        text = tooltip_text(page, "#zl-map")
        assert names[p["code"]] in text, (names[p["code"]], text)
        assert "点击查看事件列表" in text
    assert_nothing_ran(page, seen, page_problems)

    # The mouse over each point, as a person would.
    box = page.locator("#zl-map").bounding_box()
    for p in points:
        page.mouse.move(box["x"] + p["px"][0], box["y"] + p["px"][1])
        page.wait_for_timeout(100)
        assert names[p["code"]] in tooltip_text(page, "#zl-map")
    assert_nothing_ran(page, seen, page_problems)
    screenshot(page, "map_tooltip_escaped")
    # The table beside the map: the server's escaping.
    for code, name in names.items():
        row = page.locator(f'#map-table tr[data-grid="{code}"]')
        if row.count():
            expect(row.locator("td").first).to_contain_text(name)


def test_grid_names_show_as_text_in_the_analysis_charts(live_server, base_data, make_user, desk_page,
                                                          page_problems, screenshot):
    """issue 10 item 3: the analysis charts (per grid per year, the chosen grid by month) show
    script-bearing grid names as text in their tooltips, axes and titles; nothing runs."""
    seed(make_user)
    names = plant()
    page = desk_page
    seen = watch(page)
    login(page)
    page.goto("/desk/kuaiban/stats/analysis/")
    page.wait_for_selector('#stats-analysis[data-charts-ready="1"]')

    yearly = page.evaluate("""() => {
        const c = echarts.getInstanceByDom(document.getElementById('chart-yearly'));
        return c.getOption().xAxis[0].data;
    }""")
    seeded = Grid.objects.selectable().values_list("code", flat=True)
    assert {names[c] for c in seeded} <= set(yearly) <= set(names.values())
    for i, name in enumerate(yearly):
        page.evaluate(f"""() => echarts.getInstanceByDom(document.getElementById('chart-yearly'))
            .dispatchAction({{type: 'showTip', seriesIndex: 0, dataIndex: {i}}})""")
        text = tooltip_text(page, "#chart-yearly")
        assert name in text, (name, text)
        assert "收到" in text and "完成率" in text
    assert_nothing_ran(page, seen, page_problems)
    page.locator("#chart-yearly").scroll_into_view_if_needed()
    screenshot(page, "analysis_tooltip_escaped")

    # The chart by month, for each grid: its title names the grid.
    for code, name in names.items():
        if not page.locator(f'#monthly-grid option[value="{code}"]').count():
            continue
        page.select_option("#monthly-grid", code)
        expect(page.locator("#chart-monthly")).to_have_attribute("data-grid", code)
        title = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('chart-monthly'))
            .getOption().title[0].text""")
        assert title.endswith(name)
        page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('chart-monthly'))
            .dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})""")
        assert "1月" in tooltip_text(page, "#chart-monthly")
    box = page.locator("#chart-yearly").bounding_box()
    for x in range(60, int(box["width"]) - 60, 40):  # the mouse along the bars
        page.mouse.move(box["x"] + x, box["y"] + box["height"] / 2)
        page.wait_for_timeout(30)
    assert_nothing_ran(page, seen, page_problems)
