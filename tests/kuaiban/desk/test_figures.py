"""Desk pages of the figures: the one map (一张图, R-KB-18) and the analysis
(数据分析, R-KB-19) — what each role sees, the year selector, the links into
the case list, the definitions, no internet request when the base map is off,
and the district boundary the admin may replace. The numbers themselves are
asserted against the known set (tests/kuaiban/figures_known.py) in api/test_figures.py."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.figures_known import G0, G1, G2, G3, G4, NOW
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import AuditLog, Grid
from zhonglou_hrss.kuaiban import rules as stats
from zhonglou_hrss.siteconf import REPO_DIR
from zhonglou_hrss.kuaiban.selectors import boundary as map_boundary

pytestmark = pytest.mark.django_db

MAP_PAGE = "/desk/kuaiban/stats/map/"
ANALYSIS_PAGE = "/desk/kuaiban/stats/analysis/"
BOUNDARY = "/desk/kuaiban/stats/boundary.geojson"
BOUNDARY_PAGE = "/desk/kuaiban/stats/boundary/"
LOCAL_HOSTS = {"testserver", "localhost", "127.0.0.1"}
STATIC_JS = REPO_DIR / "apps" / "zhonglou_hrss" / "static" / "kuaiban"


@pytest.fixture
def people(known):
    return known.people


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def page(user, url, **params):
    with clock.at(NOW):
        response = desk(user).get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response, response.content.decode()


def config_of(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def row_html(html: str, table_id: str, grid: str) -> str:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    rows = re.findall(rf'<tr[^>]*data-grid="{grid}"[^>]*>.*?</tr>', table, re.S)
    assert rows, (table_id, grid)
    return "".join(rows)


def cell(row: str, figure: str, year=None) -> str:
    year_attr = rf' data-year="{year}"' if year else ""
    match = re.search(rf'<td class="num"{year_attr} data-figure="{figure}">(.*?)</td>', row, re.S)
    assert match, (figure, year)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def external_urls(html: str) -> list[str]:
    urls = re.findall(r"https?://[^\s\"'<>)]+", html)
    return [u for u in urls if re.match(r"https?://([^/:]+)", u).group(1) not in LOCAL_HOSTS]


# --- 一张图 ----------------------------------------------------------------------------------------
def test_map_page_for_the_leader(known, people):
    """R-KB-18: the page shows the year, the district totals beside the map, a row per grid with its
    four figures linking to the filtered case list, the definitions, and hands the map its data."""
    response, html = page(people.leader, MAP_PAGE, year=2026)
    assert "一张图" in html and "2026年" in html
    totals = re.search(r'id="map-totals".*?</div>\s*</div>\s*<div class="zl-box">', html, re.S).group(0)
    values = re.findall(r'data-figure="(\w+)"><div class="zl-card-title">.*?<div class="zl-card-value">(\d+)<', totals,
                        re.S)
    assert dict(values) == {"cases_received": "22", "cases_completed": "8", "petitions": "6",
                            "petitions_completed": "3"}
    assert "完成率 36.4%" in totals
    g3 = row_html(html, "map-table", G3)
    assert [cell(g3, f) for f in ("cases_received", "cases_completed", "cases_invalid", "petitions",
                                  "petitions_completed")] == ["10", "4", "0", "1", "0"]
    assert "/desk/kuaiban/case/?stat_grid=320404003&amp;year=2026" in g3
    assert "status__in=grid_resolved%2Cclosed" in g3
    for name, text in stats.figure_definitions():
        assert name in html and text in html
    # the year selector: every year with data and this year (2027 at NOW)
    options = re.findall(r'<option value="(\d+)"( selected)?>', html)
    assert options == [("2027", ""), ("2026", " selected"), ("2025", "")]
    config = config_of(html, "zl-map-config")
    assert config["year"] == 2026 and config["totals"]["cases_received"] == 22
    g1 = next(g for g in config["grids"] if g["code"] == G1)
    assert (g1["lat"], g1["lng"], g1["cases_received"], g1["petitions_completed"]) == (31.7771, 119.9253, 5, 2)
    assert g1["list_url"] == "/desk/kuaiban/case/?stat_grid=320404001&year=2026"
    assert config["boundaryUrl"].startswith(BOUNDARY) and config["tiles"] is None
    assert config["apiUrl"] == "/api/v1/kuaiban/stats/map/?year=2026"
    if finders.find("vendor/echarts/echarts.min.js"):
        assert "vendor/echarts/echarts.min.js" in html and "kuaiban/map.js" in html
    assert response.context["exports"]["map"] == "/desk/kuaiban/stats/export/map/?year=2026"


def test_map_page_defaults_to_this_year(known, people):
    """R-KB-18: without ?year the page shows this year; a bad year says so and shows this year."""
    _, html = page(people.leader, MAP_PAGE)
    assert config_of(html, "zl-map-config")["year"] == 2027
    _, html = page(people.leader, MAP_PAGE, year="20x6")
    assert "年份“20x6”有误" in html and config_of(html, "zl-map-config")["year"] == 2027


def test_map_page_for_a_grid_worker_shows_their_grid_only(known, people):
    """R-KB-16/18: a grid worker's page has their grid only, their numbers, no petition-list links
    (they cannot open petition records)."""
    _, html = page(people.grid1, MAP_PAGE, year=2026)
    config = config_of(html, "zl-map-config")
    assert [g["code"] for g in config["grids"]] == [G1]
    assert config["totals"] == {"cases_received": 5, "cases_completed": 2, "cases_invalid": 0, "petitions": 3,
                                "petitions_completed": 2}
    assert re.findall(r'<tr data-grid="(\d+)"', html) == [G1]
    assert "/desk/kuaiban/petition/" not in row_html(html, "map-table", G1)
    assert "本网格数据" in html


def test_map_page_makes_no_internet_request_when_tiles_are_off(known, people, settings):
    """R-KB-18: the base map is off by default, and then nothing on the page (HTML, its config, its
    own scripts) points outside the LAN."""
    settings.MAP_SETTINGS = {}
    _, html = page(people.leader, MAP_PAGE, year=2026)
    assert external_urls(html) == []
    assert "未启用在线底图" in html
    for script in ("map.js", "map_analysis.js"):
        assert not re.search(r"https?://", (STATIC_JS / script).read_text(encoding="utf-8"))
    _, html = page(people.leader, ANALYSIS_PAGE, year=2026)
    assert external_urls(html) == []


def test_map_page_hands_the_tile_layer_to_the_map_when_enabled(known, people, settings):
    """R-KB-18: with [map] tiles_enabled the page passes the 天地图 URL pattern, layers and key."""
    url = "https://t{s}.tianditu.gov.cn/DataServer?T={layer}_w&x={x}&y={y}&l={z}&tk={key}"
    settings.MAP_SETTINGS = {"tiles_enabled": True, "tile_key": "k123", "tile_layers": ["vec", "cva"],
                             "tile_subdomains": "01234567", "tile_url": url}
    _, html = page(people.leader, MAP_PAGE, year=2026)
    tiles = config_of(html, "zl-map-config")["tiles"]
    assert tiles == {"url": settings.MAP_SETTINGS["tile_url"], "subdomains": "01234567", "layers": ["vec", "cva"],
                     "key": "k123"}
    assert "未启用在线底图" not in html


def test_stats_pages_need_the_figures_permission(people, role_user):
    """R-KB-16: users without cases get 403; signed-out users go to the sign-in
    page; inspectors read them (issue 11 item 14) until the admin takes the
    permission away."""
    from django.contrib.auth.models import Permission

    from zhonglou_hrss.core.fixtures_sync import role_group

    portal_staff = role_user("portal_staff")
    for url in (MAP_PAGE, ANALYSIS_PAGE):
        assert desk(people.inspector1).get(url).status_code == 200
        assert desk(portal_staff).get(url).status_code == 403
        response = Client().get(url)
        assert response.status_code == 302 and "/desk/login/" in response["Location"]
        assert desk(people.clerk).get(url).status_code == 200
    figures_perm = Permission.objects.get(codename="view_district_figures")
    role_group("inspector").permissions.remove(figures_perm)
    try:
        for url in (MAP_PAGE, ANALYSIS_PAGE):
            assert desk(people.inspector1).get(url).status_code == 403
    finally:
        # Put back through the signal that bumps the cached permissions' version
        # (the cache outlives this test's rolled-back transaction).
        role_group("inspector").permissions.add(figures_perm)


def test_inspectors_read_the_district_figures_as_numbers(known, people):
    """R-KB-18 / R-KB-19, issue 11 item 14: an inspector's 一张图 and 数据分析 show the district's
    figures — the leader's numbers — without links to case lists (theirs holds
    only the cases assigned to them, not what a district number counts)."""
    _, leader = page(people.leader, MAP_PAGE, year=2026)
    _, inspector = page(people.inspector1, MAP_PAGE, year=2026)
    for grid in (G1, G3):
        lead_row, insp_row = row_html(leader, "map-table", grid), row_html(inspector, "map-table", grid)
        figures = ("cases_received", "cases_completed", "cases_invalid", "petitions", "petitions_completed")
        assert [cell(insp_row, f) for f in figures] == [cell(lead_row, f) for f in figures]
        assert "/desk/kuaiban/case/" not in insp_row and "/desk/kuaiban/petition/" not in insp_row
    assert "全区统计数字" in inspector and "本网格数据" not in inspector
    assert all(not g["list_url"] for g in config_of(inspector, "zl-map-config")["grids"])
    _, leader = page(people.leader, ANALYSIS_PAGE, year=2026)
    _, inspector = page(people.inspector1, ANALYSIS_PAGE, year=2026)
    content = inspector.split('id="stats-analysis"', 1)[1]
    assert 'href="/desk/kuaiban/case/?' not in content
    assert cell(row_html(inspector, "yearly-table", G3), "received", 2026) == \
        cell(row_html(leader, "yearly-table", G3), "received", 2026)
    with clock.at(NOW):
        api = Client()
        api.force_login(people.inspector1, backend=MODEL_BACKEND)
        mine = api.get("/api/v1/kuaiban/stats/map/", {"year": 2026}).json()
        api.force_login(people.leader, backend=MODEL_BACKEND)
        theirs = api.get("/api/v1/kuaiban/stats/map/", {"year": 2026}).json()
    assert mine == theirs


def test_sidebar_lists_the_figures_for_who_may_see_them(people, role_user):
    """ui.md: 统计分析 (一张图 / 数据分析) for leaders, clerks, grid workers and
    inspectors (issue 11 item 14); 区界地图 for the admin."""
    for user in (people.leader, people.clerk, people.grid1, people.inspector1):
        html = desk(user).get("/desk/").content.decode()
        assert "统计分析" in html and MAP_PAGE in html and ANALYSIS_PAGE in html
        assert BOUNDARY_PAGE not in html
    html = desk(people.admin).get("/desk/").content.decode()
    assert BOUNDARY_PAGE in html and MAP_PAGE not in html


def test_case_list_offers_the_figures_filters(known, people):
    """R-KB-18: the desk case list has the 统计网格 and 登记年份 filters the figures link to."""
    _, html = page(people.leader, "/desk/kuaiban/case/", stat_grid=G2, year=2026)
    assert "统计网格" in html and "登记年份" in html


# --- 数据分析 -------------------------------------------------------------------------------------
def test_analysis_page_for_the_leader(known, people):
    """R-KB-19: yearly table (all years), the chosen year by month, the ranking with the marker for
    grids with too few cases, overdue per grid, an Excel link per table, the definitions."""
    response, html = page(people.leader, ANALYSIS_PAGE, year=2026)
    g3 = row_html(html, "yearly-table", G3)
    assert [cell(g3, f, 2026) for f in ("received", "completed", "rate")] == ["10", "4", "40.0%"]
    assert [cell(g3, f, 2025) for f in ("received", "completed", "rate")] == ["0", "0", "—"]
    assert re.findall(r'<th colspan="3"[^>]*>(\d+)年</th>', html) == ["2025", "2026", "2027"]

    g2 = row_html(html, "monthly-table", G2)
    received = re.search(r'data-figure="received">(.*?)</tr>', g2, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', received) == ["0", "1", "0", "0", "1", "0", "0", "0", "1",
                                                                    "1", "0", "1", "5"]
    total = row_html(html, "monthly-table", "total")
    assert re.findall(r'<td class="num">(\d+)</td>', total)[-1] == "8"  # completed in the year

    ranking = re.search(r'<table[^>]*id="ranking-table".*?</table>', html, re.S).group(0)
    order = re.findall(r'<tr data-grid="(\d+)" data-rankable="(\d)">', ranking)
    assert order[:5] == [(G3, "1"), (G1, "1"), (G2, "1"), (G4, "0"), (G0, "0")]
    assert cell(row_html(html, "ranking-table", G3), "rank") == "1"
    g4 = row_html(html, "ranking-table", G4)
    assert cell(g4, "rank") == "—" and cell(g4, "rate") == "100.0%" and "样本不足，不参与排名" in g4
    assert "样本不足" not in row_html(html, "ranking-table", G1)

    assert cell(row_html(html, "overdue-table", G1), "overdue") == "2"
    assert cell(row_html(html, "overdue-table", G2), "overdue") == "0"
    g1_pk = Grid.objects.get(code=G1).pk
    assert f"/desk/kuaiban/case/?overdue=true&amp;grid__id__exact={g1_pk}" in row_html(html, "overdue-table", G1)

    for table in ("yearly", "monthly", "ranking", "overdue"):
        assert f'id="export-{table}" href="/desk/kuaiban/stats/export/{table}/?year=2026"' in html
    assert "统计口径" in html and "正常结束" in html
    config = config_of(html, "zl-analysis-config")
    assert config["yearly"]["years"] == [2025, 2026, 2027] and config["monthTotals"]["received"][7] == 6


def test_analysis_page_for_a_grid_worker(known, people):
    """R-KB-16/19: a grid worker's analysis has their grid's rows only."""
    _, html = page(people.grid1, ANALYSIS_PAGE, year=2026)
    for table in ("yearly-table", "monthly-table", "ranking-table", "overdue-table"):
        body = re.search(rf'<table[^>]*id="{table}".*?</table>', html, re.S).group(0)
        assert set(re.findall(r'data-grid="(\d+)"', body)) == {G1}, table
    assert cell(row_html(html, "overdue-table", G1), "overdue") == "2"
    assert cell(row_html(html, "yearly-table", G1), "received", 2026) == "5"


def test_analysis_ranking_gives_places_to_leaders_only(known, people):
    """Issue 11 item 5: a grid worker's 数据分析 ranks no single grid 名次 1 —
    their grid's completion rate, no 名次 column, a note why; the leader's
    ranking keeps its places."""
    _, html = page(people.grid1, ANALYSIS_PAGE, year=2026)
    section = re.search(r'<div class="zl-box" id="section-ranking".*?id="section-overdue"', html, re.S).group(0)
    assert 'data-ranked="0"' in section and "2026年本网格完成率" in section
    assert ">名次<" not in section and 'data-figure="rank"' not in section
    g1 = row_html(html, "ranking-table", G1)
    assert cell(g1, "received") == "5" and cell(g1, "rate") == "40.0%"
    assert "不排名次" in section
    _, html = page(people.leader, ANALYSIS_PAGE, year=2026)
    section = re.search(r'<div class="zl-box" id="section-ranking".*?id="section-overdue"', html, re.S).group(0)
    assert 'data-ranked="1"' in section and "2026年网格完成率排名" in section and "<th class=\"num\">名次</th>" in section
    assert cell(row_html(html, "ranking-table", G1), "rank") == "2"


# --- the district boundary ---------------------------------------------------------------------------
def feature(geometry_type="Polygon", coordinates=None):
    ring = [[119.90, 31.78], [119.95, 31.78], [119.95, 31.82], [119.90, 31.82], [119.90, 31.78]]
    coordinates = coordinates if coordinates is not None else ([ring] if geometry_type == "Polygon" else [[ring]])
    return {"type": "Feature", "properties": {"name": "测试区"}, "geometry": {"type": geometry_type,
                                                                           "coordinates": coordinates}}


def upload(client, content, name="boundary.geojson"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post(BOUNDARY_PAGE, {"action": "upload",
                                       "file": SimpleUploadedFile(name, data, "application/geo+json")})


def test_boundary_is_the_shipped_one_by_default(people):
    """R-KB-18: the map draws fixtures/base/boundary_320404_wgs84.geojson (a 钟楼区 MultiPolygon)."""
    response = desk(people.leader).get(BOUNDARY)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["features"][0]["properties"]["name"] == "钟楼区"
    assert data["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert desk(people.inspector1).get(BOUNDARY).status_code == 200  # their map draws it too (issue 11 item 14)
    assert desk(people.admin).get("/desk/").status_code == 200
    from tests.conftest import create_user

    assert desk(create_user("k_portal", roles=["portal_staff"])).get(BOUNDARY).status_code == 403


def test_admin_replaces_the_boundary_and_can_restore_it(people):
    """R-KB-18: the admin uploads a replacement (a Feature is kept as a FeatureCollection) into the
    private uploads; the map then draws it; restoring brings the shipped one back; both are audited."""
    admin = desk(people.admin)
    assert admin.get(BOUNDARY_PAGE).status_code == 200
    response = upload(admin, feature("MultiPolygon"))
    assert response.status_code == 302
    assert map_boundary.uploaded_path().is_file()
    data = json.loads(desk(people.leader).get(BOUNDARY).content)
    assert data["type"] == "FeatureCollection" and data["features"][0]["properties"]["name"] == "测试区"
    assert data["features"][0]["geometry"]["type"] == "MultiPolygon"
    html = desk(people.admin).get(BOUNDARY_PAGE).content.decode()
    assert "管理员上传的地图" in html and "恢复系统自带" in html
    with clock.at(NOW):
        map_html = desk(people.leader).get(MAP_PAGE).content.decode()
    assert "区界为管理员上传的地图" in map_html
    assert "?v=" in config_of(map_html, "zl-map-config")["boundaryUrl"]  # a new file, a new URL (no stale cache)
    log = AuditLog.objects.get(action=AuditLog.Action.IMPORT, actor=people.admin)
    assert log.detail["kind"] == "map_boundary" and log.detail["features"] == 1

    assert admin.post(BOUNDARY_PAGE, {"action": "reset"}).status_code == 302
    assert not map_boundary.uploaded_path().exists()
    assert json.loads(desk(people.leader).get(BOUNDARY).content)["features"][0]["properties"]["name"] == "钟楼区"
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, detail__action="reset").count() == 1


@pytest.mark.parametrize("content,message", [
    (b"not json", "不是有效的 GeoJSON"),
    ({"type": "Polygon", "coordinates": []}, "FeatureCollection 或 Feature"),
    ({"type": "FeatureCollection", "features": []}, "没有任何要素"),
    (feature("Point", [119.9, 31.8]), "Polygon 或 MultiPolygon"),
    ({"type": "FeatureCollection", "features": [feature(), feature("LineString", [[119.9, 31.8], [119.95, 31.8]])]},
     "第 2 个要素"),
    (feature(coordinates=[[[119.9, 31.78], [119.95, 31.78], [119.9, 31.78]]]), "至少要有 4 个坐标点"),
    (feature(coordinates=[[[3.5e5, 3.5e6], [3.6e5, 3.5e6], [3.6e5, 3.6e6], [3.5e5, 3.5e6]]]), "WGS84"),
    (feature(coordinates=[[[31.78, 119.9], [31.78, 119.95], [31.82, 119.95], [31.78, 119.9]]]), "经度在前"),
    (feature(coordinates=[[[119.9, 31.78], [119.95, 31.78], [119.95, 31.82], [119.9, 31.8]]]), "闭合"),
    (feature(coordinates=[[["119.9", 31.78], [119.95, 31.78], [119.95, 31.82], ["119.9", 31.78]]]), "两个数字"),
])
def test_bad_boundary_is_refused_in_chinese_and_changes_nothing(people, content, message):
    """R-KB-18: only a FeatureCollection/Feature of Polygons/MultiPolygons in WGS84 lon/lat is accepted;
    anything else is named in Chinese next to the field, and the map keeps its boundary."""
    response = upload(desk(people.admin), content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "区界地图未更换" in html
    assert not map_boundary.uploaded_path().exists()
    assert not AuditLog.objects.filter(action=AuditLog.Action.IMPORT).exists()


def test_only_who_keeps_the_grids_may_replace_the_boundary(people):
    """R-KB-18: the boundary page needs core.change_grid — a leader gets 403 and nothing changes."""
    leader = desk(people.leader)
    assert leader.get(BOUNDARY_PAGE).status_code == 403
    assert upload(leader, feature()).status_code == 403
    assert not map_boundary.uploaded_path().exists()
