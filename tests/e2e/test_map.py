"""R-KB-18 / R-KB-19 in a real browser: the leader opens 一张图 — the district
boundary drawn by ECharts from the GeoJSON, a labelled point per grid inside
it, the totals beside it — clicks a grid and lands on that grid's case list;
then 数据分析 with its charts. Screenshots: build/screenshots/map.png and
analysis.png (look at them: Chinese labels, the boundary, points inside it).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.kuaiban.conftest import id_number_for, registration
from tests.e2e.desk import PASSWORD, login, problems
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban import rules as stats
from zhonglou_hrss.kuaiban.selectors import boundary as map_boundary
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.e2e

# grid -> (cases received this year, of which resolved by the grid, petitions, of which completed)
PLAN = {
    "320404001": (12, 8, 3, 2),
    "320404002": (7, 3, 1, 0),
    "320404003": (9, 6, 2, 2),
    "320404004": (4, 1, 0, 0),
    "320404005": (6, 6, 1, 1),
    "320404006": (3, 0, 0, 0),
    "320404007": (5, 2, 2, 1),
    "320404116": (8, 5, 1, 0),
    "320404": (2, 0, 1, 1),  # 区本级: with the leader, not resolved by a grid
}
RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}


def seed(make_user):
    clerk = make_user("e2e_clerk", roles=["district_clerk"], name="王内勤")
    make_user("e2e_leader", roles=["leader"], name="李科长", password=PASSWORD)
    make_user("e2e_grid1", roles=["grid_worker"], grids=["320404001"], name="五星网格员", password=PASSWORD)
    n = 0
    for code, (received, resolved, petitions, petitions_done) in PLAN.items():
        worker = make_user(f"e2e_w{code}", roles=["grid_worker"], grids=[code]) if resolved else None
        for i in range(received):
            case = register_case(actor=clerk, data=registration(grid=code), source=CaseSource.INTERNAL).case
            if i < resolved:
                perform(case_id=case.pk, action="grid_accept", actor=worker, data={})
                perform(case_id=case.pk, action="grid_resolve", actor=worker, data=dict(RESOLVE))
        for i in range(petitions):
            n += 1
            done = i < petitions_done
            save_petition(actor=clerk, data=PetitionInput(
                name="李四", id_number=id_number_for(700 + n), phone="13900139000", respondent_name=f"信访测试公司{n}",
                reason="wage_arrears", grid=code, demand="要求支付工资", result="已协调" if done else "",
                handled_at=clock.now() if done else None))


def inside(point, collection) -> bool:
    """Ray casting: is (lng, lat) inside any polygon of the FeatureCollection (holes respected)?"""
    def in_ring(ring):
        x, y, hit = point[0], point[1], False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                hit = not hit
        return hit

    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for outer, *holes in polygons:
            if in_ring(outer) and not any(in_ring(h) for h in holes):
                return True
    return False


def test_leader_map_draws_the_district_and_opens_a_grid(live_server, base_data, make_user, desk_page, screenshot,
                                                        page_problems):
    seed(make_user)
    year = stats.this_year()
    page = desk_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, "e2e_leader")
    page.goto("/desk/kuaiban/stats/map/")
    page.wait_for_selector('#zl-map[data-ready="1"]')
    page.wait_for_timeout(300)  # let the labels settle

    # the page: totals beside the map, in Chinese
    totals = page.locator("#map-totals")
    for i, figure in enumerate(("cases_received", "cases_completed", "petitions", "petitions_completed")):
        value = totals.locator(f'[data-figure="{figure}"] .zl-card-value')
        expect(value).to_have_text(str(sum(p[i] for p in PLAN.values())))
    expect(page.locator("#definitions")).to_contain_text("正常结束")

    # the chart: the boundary registered and drawn as geo, one labelled point per grid with a center
    info = page.evaluate("""() => {
        const c = window.zlMapChart, o = c.getOption();
        const pts = o.series[0].data.map(d => ({name: d.name, lng: d.value[0], lat: d.value[1],
            px: c.convertToPixel({seriesIndex: 0}, [d.value[0], d.value[1]]),
            label: o.series[0].label.formatter({data: d})}));
        return {geo: o.geo[0].map, font: o.textStyle.fontFamily, pts, w: c.getWidth(), h: c.getHeight(),
                regions: echarts.getMap('zhonglou').geoJSON.features.length};
    }""")
    assert info["geo"] == "zhonglou" and info["regions"] >= 1
    assert "Noto Sans CJK SC" in info["font"]
    with_center = Grid.objects.exclude(lat=None).exclude(lng=None)
    assert {p["name"] for p in info["pts"]} == set(with_center.values_list("name", flat=True))
    boundary = json.loads(map_boundary.current_bytes())
    for p in info["pts"]:
        assert inside((p["lng"], p["lat"]), boundary), f"{p['name']} 的中心点不在区界内"
        assert 0 < p["px"][0] < info["w"] and 0 < p["px"][1] < info["h"], p
        assert "收到" in p["label"] and "信访完成" in p["label"]
    wuxing = next(p for p in info["pts"] if p["name"] == "五星街道")
    assert "收到 12 · 完成 8" in wuxing["label"] and "信访 3 · 信访完成 2" in wuxing["label"]
    assert problems(page_problems, page) == []
    # the base map is off by default: nothing leaves the LAN
    assert [u for u in requested if not u.startswith((live_server.url, "data:", "blob:"))] == []
    screenshot(page, "map", full_page=True)

    # click 五星街道's point: its case list for the year
    box = page.locator("#zl-map").bounding_box()
    page.mouse.click(box["x"] + wuxing["px"][0], box["y"] + wuxing["px"][1])
    page.wait_for_url(re.compile(r"/desk/kuaiban/case/\?stat_grid=320404001&year=\d{4}"))
    assert f"year={year}" in page.url
    expect(page.locator("#result_list tbody tr")).to_have_count(12)


def test_leader_analysis_charts(live_server, base_data, make_user, desk_page, screenshot, page_problems):
    seed(make_user)
    page = desk_page
    login(page, "e2e_leader")
    page.goto("/desk/kuaiban/stats/analysis/")
    page.wait_for_selector('#stats-analysis[data-charts-ready="1"]')
    expect(page.locator("#chart-yearly canvas")).to_have_count(1)
    expect(page.locator("#chart-monthly canvas")).to_have_count(1)
    ranking = page.locator("#ranking-table tbody tr")
    expect(ranking.first).to_contain_text("南大街街道")  # 6 of 6
    expect(page.locator('#ranking-table tr[data-grid="320404"]')).to_contain_text("样本不足")
    page.select_option("#monthly-grid", "320404001")
    expect(page.locator("#chart-monthly")).to_have_attribute("data-grid", "320404001")
    page.wait_for_timeout(300)
    assert problems(page_problems, page) == []
    screenshot(page, "analysis", full_page=True)


def test_grid_worker_map_shows_their_grid_only(live_server, base_data, make_user, desk_page, page_problems):
    seed(make_user)
    page = desk_page
    login(page, "e2e_grid1")
    page.goto("/desk/kuaiban/stats/map/")
    page.wait_for_selector('#zl-map[data-ready="1"]')
    names = page.evaluate("() => window.zlMapChart.getOption().series[0].data.map(d => d.name)")
    assert names == ["五星街道"]
    expect(page.locator("#map-totals [data-figure=cases_received] .zl-card-value")).to_have_text("12")
    assert problems(page_problems, page) == []


def tile_png() -> bytes:
    """A 256×256 stand-in tile: light grey with a border, so the screenshot shows the tiling."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (236, 240, 236))
    ImageDraw.Draw(image).rectangle([0, 0, 255, 255], outline=(160, 170, 160))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_tile_layer_when_enabled_lines_up_with_the_map(live_server, base_data, make_user, desk_page, screenshot,
                                                      settings):
    """R-KB-18: with [map] tiles_enabled the page lays web-map tiles (the 天地图 URL pattern: {s} {x} {y}
    {z} {layer} {key}) under the boundary, each tile where its longitude/latitude is on the map. The
    tiles are served here by the browser test itself (no internet)."""
    seed(make_user)
    settings.MAP_SETTINGS = {"tiles_enabled": True, "tile_key": "testkey", "tile_layers": ["vec", "cva"],
                             "tile_subdomains": "01",
                             "tile_url": live_server.url + "/tiles-test/{layer}/{z}/{x}/{y}.png?tk={key}&s={s}"}
    page = desk_page
    png = tile_png()
    page.route("**/tiles-test/**", lambda route: route.fulfill(status=200, content_type="image/png", body=png))
    login(page, "e2e_leader")
    page.goto("/desk/kuaiban/stats/map/")
    page.wait_for_selector('#zl-map[data-ready="1"]')
    page.wait_for_function("() => document.querySelectorAll('#zl-map-tiles img').length > 0")
    tiles = page.evaluate("""() => [...document.querySelectorAll('#zl-map-tiles img')].map(i => {
        const r = i.getBoundingClientRect(), m = document.getElementById('zl-map').getBoundingClientRect();
        return {src: i.src, left: r.left - m.left, top: r.top - m.top, right: r.right - m.left,
                bottom: r.bottom - m.top};
    })""")
    pattern = re.compile(r"/tiles-test/(vec|cva)/(\d+)/(\d+)/(\d+)\.png\?tk=testkey&s=[01]$")
    assert all(pattern.search(t["src"]) for t in tiles), tiles[:2]
    assert {pattern.search(t["src"]).group(1) for t in tiles} == {"vec", "cva"}
    # the tile holding 五星街道's center point is drawn where that point is on the map
    grid = Grid.objects.get(code="320404001")
    lng, lat = float(grid.lng), float(grid.lat)
    px = page.evaluate(f"() => window.zlMapChart.convertToPixel({{seriesIndex: 0}}, [{lng}, {lat}])")
    import math
    z = int(pattern.search(tiles[0]["src"]).group(2))
    x = int((lng + 180) / 360 * 2 ** z)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * 2 ** z)
    holder = next((t for t in tiles if f"/vec/{z}/{x}/{y}.png" in t["src"]), None)
    assert holder, (z, x, y, px, [t["src"].split("/tiles-test/")[1] for t in tiles])
    assert holder["left"] <= px[0] <= holder["right"] and holder["top"] <= px[1] <= holder["bottom"]
    assert 150 <= holder["right"] - holder["left"] <= 520  # about one tile per 256 px
    screenshot(page, "map_tiles")
