/* 一张图 (R-KB-18): the district boundary (GeoJSON, WGS84) drawn as an ECharts
   `geo`, each grid's center point with the year's figures, a click opening the
   grid's case list. Optional 天地图 tiles behind the map, only when the site
   config enables them (otherwise nothing is requested outside the LAN).
   Data: the page's JSON (#zl-map-config), computed like GET /api/v1/kuaiban/stats/map/. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';
  var configEl = document.getElementById("zl-map-config");
  var el = document.getElementById("zl-map");
  if (!configEl || !el || !window.echarts || !window.zlEscape) return;
  var E = window.zlEscape.html;  // every value put into HTML (core/escape.js)
  var config = JSON.parse(configEl.textContent);
  var tilesEl = document.getElementById("zl-map-tiles");

  // Web Mercator (y down): the boundary keeps its true shape at this latitude and
  // lines up with web-map tiles when they are enabled.
  var R = Math.PI / 180;
  var projection = {
    project: function (p) { return [p[0] * R, -Math.log(Math.tan(Math.PI / 4 + p[1] * R / 2))]; },
    unproject: function (p) { return [p[0] / R, (2 * Math.atan(Math.exp(-p[1])) - Math.PI / 2) / R]; }
  };

  // A canvas label (ECharts rich text), drawn as text: no HTML escaping here.
  function figuresText(g) {
    return "{name|" + g.name + "}\n{v|收到 " + g.cases_received + " · 完成 " + g.cases_completed + "}\n" +
      "{v|信访 " + g.petitions + " · 信访完成 " + g.petitions_completed + "}";
  }

  function rate(g) {
    return g.cases_received ? (Math.round(g.cases_completed * 1000 / g.cases_received) / 10) + "%" : "—";
  }

  function points() {
    return config.grids.filter(function (g) { return g.lat !== null && g.lng !== null; }).map(function (g) {
      return {
        name: g.name,
        value: [g.lng, g.lat, g.cases_received],
        grid: g,
        url: g.list_url,
        symbolSize: Math.min(10 + Math.sqrt(g.cases_received) * 3, 30),
        itemStyle: { color: g.kind === "district" ? "#7c3aed" : "#2563eb" }
      };
    });
  }

  // Labels as callouts in a column on the right, in the order of their points from
  // north to south, each joined to its point: the street grids sit close together
  // in the city centre, where labels beside the points would cover each other.
  var COLUMN = 168, GAP = 6, MARGIN = 8;
  var chart = null;

  function calloutSlots() {
    var data = points(), h = chart.getHeight(), x = chart.getWidth() - COLUMN;
    var items = data.map(function (d, i) {
      var p = chart.convertToPixel({ seriesIndex: 0 }, [d.value[0], d.value[1]]);
      return { i: i, px: p[0], py: p[1], h: labelHeights[i] || 50 };
    }).sort(function (a, b) { return a.py - b.py; });
    var bottom = MARGIN - GAP;
    items.forEach(function (it) {  // downwards: no overlap
      it.top = Math.max(it.py - it.h / 2, bottom + GAP);
      bottom = it.top + it.h;
    });
    var limit = h - MARGIN;
    for (var k = items.length - 1; k >= 0; k--) {  // upwards: stay on the canvas
      var it = items[k];
      it.top = Math.min(it.top, limit - it.h);
      limit = it.top - GAP;
    }
    var slots = {};
    items.forEach(function (it) { slots[it.i] = { x: x, y: Math.max(it.top, MARGIN) + it.h / 2, px: it.px, py: it.py }; });
    return slots;
  }

  var labelHeights = {};

  function calloutLayout(params) {
    if (!chart || params.dataIndex == null) return {};
    labelHeights[params.dataIndex] = params.labelRect.height;
    var s = calloutSlots()[params.dataIndex];
    if (!s) return {};
    return {
      x: s.x, y: s.y, align: "left", verticalAlign: "middle",
      labelLinePoints: [[s.px, s.py], [s.x - 14, s.y], [s.x, s.y]]
    };
  }

  function option() {
    return {
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: {
        trigger: "item",
        textStyle: { fontFamily: FONT },
        formatter: function (p) {
          if (!p.data || !p.data.grid) return "";
          var g = p.data.grid;
          return "<b>" + E(g.name) + "</b>（" + E(config.year) + "年）<br>收到事件 " + E(g.cases_received) +
            "，完成 " + E(g.cases_completed) + "，完成率 " + E(rate(g)) + "<br>无效（正常结束）" + E(g.cases_invalid) +
            "<br>信访 " + E(g.petitions) + "，信访完成 " + E(g.petitions_completed) +
            "<br><span style='color:#64748b'>点击查看事件列表</span>";
        }
      },
      geo: {
        map: "zhonglou",
        projection: projection,
        roam: true,
        scaleLimit: { min: 0.8, max: 12 },
        left: 12, right: COLUMN + 24, top: 24, bottom: 24,
        label: { show: false },
        silent: true,
        itemStyle: {
          areaColor: config.tiles ? "rgba(37,99,235,0.06)" : "#eff6ff",
          borderColor: "#1d4ed8",
          borderWidth: 2
        }
      },
      series: [{
        type: "scatter",
        coordinateSystem: "geo",
        geoIndex: 0,
        data: points(),
        cursor: "pointer",
        z: 5,
        label: {
          show: true,
          position: "right",
          distance: 8,
          fontFamily: FONT,
          formatter: function (p) { return figuresText(p.data.grid); },
          backgroundColor: "rgba(255,255,255,0.94)",
          borderColor: "#93c5fd",
          borderWidth: 1,
          borderRadius: 4,
          padding: [3, 6],
          rich: {
            name: { fontFamily: FONT, fontWeight: "bold", fontSize: 12, lineHeight: 17, color: "#1e3a8a" },
            v: { fontFamily: FONT, fontSize: 11, lineHeight: 15, color: "#334155" }
          }
        },
        labelLayout: calloutLayout,
        labelLine: { show: true, lineStyle: { color: "#64748b", width: 1 } },
        emphasis: { scale: 1.4, label: { borderColor: "#1d4ed8" } }
      }]
    };
  }

  // --- optional tile layer (天地图 URL pattern from the site config) --------------------
  function tileUrl(tiles, layer, x, y, z) {
    var subs = tiles.subdomains || "";
    var s = subs ? subs.charAt((x + y) % subs.length) : "";
    return tiles.url.replace("{s}", s).replace("{x}", x).replace("{y}", y).replace("{z}", z)
      .replace("{layer}", layer).replace("{key}", encodeURIComponent(tiles.key));
  }

  function tileLng(x, z) { return x / Math.pow(2, z) * 360 - 180; }
  function tileLat(y, z) {
    var n = Math.PI - 2 * Math.PI * y / Math.pow(2, z);
    return Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))) / R;
  }
  function lngTile(lng, z) { return Math.floor((lng + 180) / 360 * Math.pow(2, z)); }
  function latTile(lat, z) {
    var r = lat * R;
    return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * Math.pow(2, z));
  }

  // Pixel → [lng, lat], by inverting the affine map from projected units to
  // pixels measured on two reference points (ECharts' convertFromPixel does
  // not undo a custom projection).
  function lngLatAt(chart, pixel) {
    var a = [119.8, 31.75], b = [119.95, 31.85];
    var pa = chart.convertToPixel({ geoIndex: 0 }, a), pb = chart.convertToPixel({ geoIndex: 0 }, b);
    var qa = projection.project(a), qb = projection.project(b);
    if (!pa || !pb) return null;
    var sx = (pb[0] - pa[0]) / (qb[0] - qa[0]), sy = (pb[1] - pa[1]) / (qb[1] - qa[1]);
    return projection.unproject([qa[0] + (pixel[0] - pa[0]) / sx, qa[1] + (pixel[1] - pa[1]) / sy]);
  }

  function drawTiles(chart) {
    var tiles = config.tiles;
    if (!tiles || !tilesEl) return;
    var w = el.clientWidth, h = el.clientHeight;
    var nw = lngLatAt(chart, [0, 0]), se = lngLatAt(chart, [w, h]);
    if (!nw || !se) return;
    var a = chart.convertToPixel({ geoIndex: 0 }, [nw[0], nw[1]]);
    var b = chart.convertToPixel({ geoIndex: 0 }, [nw[0] + 1, nw[1]]);
    var pxPerDegree = Math.abs(b[0] - a[0]);
    var z = Math.max(3, Math.min(18, Math.round(Math.log(pxPerDegree * 360 / 256) / Math.LN2)));
    var x0 = lngTile(nw[0], z), x1 = lngTile(se[0], z), y0 = latTile(nw[1], z), y1 = latTile(se[1], z);
    var html = [];
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 120) return;
    tiles.layers.forEach(function (layer) {
      for (var x = x0; x <= x1; x++) {
        for (var y = y0; y <= y1; y++) {
          var p = chart.convertToPixel({ geoIndex: 0 }, [tileLng(x, z), tileLat(y, z)]);
          var q = chart.convertToPixel({ geoIndex: 0 }, [tileLng(x + 1, z), tileLat(y + 1, z)]);
          html.push('<img alt="" src="' + E(tileUrl(tiles, layer, x, y, z)) + '" style="left:' + p[0].toFixed(1) +
            "px;top:" + p[1].toFixed(1) + "px;width:" + (q[0] - p[0] + 0.5).toFixed(1) + "px;height:" +
            (q[1] - p[1] + 0.5).toFixed(1) + 'px">');
        }
      }
    });
    tilesEl.innerHTML = html.join("");
  }

  function start(geojson) {
    window.echarts.registerMap("zhonglou", geojson);
    chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option());
    chart.setOption({ series: [{ labelLayout: calloutLayout }] });  // again, with every label's height known
    chart.on("click", function (p) {
      if (p.componentType === "series" && p.data && p.data.url) window.location.href = p.data.url;
    });
    var redraw = function () { window.requestAnimationFrame(function () { drawTiles(chart); }); };
    chart.on("georoam", redraw);
    window.addEventListener("resize", function () { chart.resize(); redraw(); });
    redraw();
    el.setAttribute("data-ready", "1");
    window.zlMapChart = chart; // for the browser test and for debugging
  }

  fetch(config.boundaryUrl, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(start)
    .catch(function () {
      el.innerHTML = '<p class="zl-map-missing">区界地图加载失败，请刷新页面；右侧表格中的数据不受影响。</p>';
    });
})();
