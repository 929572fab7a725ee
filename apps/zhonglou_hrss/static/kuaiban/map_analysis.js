/* 数据分析 (R-KB-19): the charts beside the tables — per grid per year
   (received, completion rate) and the chosen year by month for one grid or
   all. Data: the page's JSON (#zl-analysis-config), the same figures as
   GET /api/v1/kuaiban/stats/analysis/. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';
  var configEl = document.getElementById("zl-analysis-config");
  if (!configEl || !window.echarts || !window.zlEscape) return;
  var E = window.zlEscape.html;  // every value put into HTML (core/escape.js)
  var config = JSON.parse(configEl.textContent);
  var MONTHS = ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"];
  var BLUES = ["#1d4ed8", "#0891b2", "#7c3aed", "#059669", "#d97706", "#db2777", "#475569"];
  var charts = [];

  // The axis tooltip: the category (a grid's name, a month) and each series'
  // value, every one escaped; ``percent`` says which series are rates.
  function axisTooltip(percent) {
    return function (params) {
      if (!params || !params.length) return "";
      var lines = ["<b>" + E(params[0].axisValueLabel) + "</b>"];
      params.forEach(function (p) {
        var v = p.value === null || p.value === undefined || p.value === "-" ? "—"
          : p.value + (percent && percent(p.seriesIndex) ? "%" : "");
        lines.push(p.marker + E(p.seriesName) + "：" + E(v));  // marker: ECharts' own swatch
      });
      return lines.join("<br>");
    };
  }

  function base(percent) {
    return {
      textStyle: { fontFamily: FONT },
      animation: false,
      color: BLUES,
      tooltip: { trigger: "axis", textStyle: { fontFamily: FONT }, formatter: axisTooltip(percent) },
      legend: { top: 0, type: "scroll", textStyle: { fontFamily: FONT } },
      grid: { left: 48, right: 56, top: 40, bottom: 56 }
    };
  }

  function yearly() {
    var el = document.getElementById("chart-yearly");
    if (!el) return;
    var years = config.yearly.years;
    var grids = [], byKey = {};
    config.yearly.rows.forEach(function (r) {
      if (grids.indexOf(r.name) < 0) grids.push(r.name);
      byKey[r.name + "|" + r.year] = r;
    });
    var series = [];
    years.forEach(function (y) {
      series.push({ name: y + "年收到", type: "bar", barMaxWidth: 18, yAxisIndex: 0,
        data: grids.map(function (g) { return byKey[g + "|" + y].received; }) });
    });
    years.forEach(function (y) {
      series.push({ name: y + "年完成率", type: "line", yAxisIndex: 1, symbolSize: 7, connectNulls: false,
        data: grids.map(function (g) { return byKey[g + "|" + y].rate; }) });
    });
    var opt = base(function (i) { return i >= years.length; });  // the lines are the rates
    opt.xAxis = { type: "category", data: grids, axisLabel: { interval: 0, rotate: grids.length > 6 ? 30 : 0, fontFamily: FONT } };
    opt.yAxis = [
      { type: "value", name: "收到（件）", minInterval: 1, nameTextStyle: { fontFamily: FONT } },
      { type: "value", name: "完成率（%）", min: 0, max: 100, nameTextStyle: { fontFamily: FONT }, splitLine: { show: false } }
    ];
    opt.series = series;
    var chart = window.echarts.init(el);
    chart.setOption(opt);
    charts.push(chart);
  }

  function monthly() {
    var el = document.getElementById("chart-monthly");
    var select = document.getElementById("monthly-grid");
    if (!el) return;
    var chart = window.echarts.init(el);
    charts.push(chart);
    function draw(code) {
      var received = config.monthTotals.received, completed = config.monthTotals.completed, name = "全部网格";
      config.monthly.grids.forEach(function (g) {
        if (g.code === code) { received = g.received; completed = g.completed; name = g.name; }
      });
      var opt = base();
      opt.title = { text: config.year + "年 · " + name, left: "center", top: 22, textStyle: { fontFamily: FONT, fontSize: 13, fontWeight: "normal", color: "#475569" } };
      opt.grid.top = 56;
      opt.xAxis = { type: "category", data: MONTHS, axisLabel: { fontFamily: FONT } };
      opt.yAxis = { type: "value", name: "件", minInterval: 1, nameTextStyle: { fontFamily: FONT } };
      opt.series = [
        { name: "收到", type: "bar", barMaxWidth: 22, data: received, label: { show: true, position: "top", formatter: function (p) { return p.value || ""; } } },
        { name: "完成", type: "line", symbolSize: 7, data: completed, itemStyle: { color: "#059669" } }
      ];
      chart.setOption(opt, true);
      el.setAttribute("data-grid", code || "");
    }
    draw(select ? select.value : "");
    if (select) select.addEventListener("change", function () { draw(select.value); });
  }

  yearly();
  monthly();
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.getElementById("stats-analysis").setAttribute("data-charts-ready", "1");
})();
