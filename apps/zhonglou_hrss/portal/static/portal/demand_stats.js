/* 需求统计 (R-PT-14): one ECharts chart beside each table — the share of the
   demanded headcount per dimension as a ring, the services and the
   enterprises as bars. Data: the page's JSON (#dm-stats-config), the same
   figures as the tables. Names come from lookup entries admins edit: every
   value a tooltip puts into HTML goes through zlEscape.html (core/escape.js). */
(function () {
  "use strict";
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';
  var configEl = document.getElementById("dm-stats-config");
  if (!configEl || !window.echarts || !window.zlEscape) return;
  var E = window.zlEscape.html;
  var config = JSON.parse(configEl.textContent);
  var COLORS = ["#1d4ed8", "#0891b2", "#7c3aed", "#059669", "#d97706", "#db2777", "#475569", "#65a30d", "#0d9488", "#9333ea"];
  var charts = [];

  function ring(el, data) {
    var chart = window.echarts.init(el);
    chart.setOption({
      textStyle: { fontFamily: FONT }, animation: false, color: COLORS,
      tooltip: { trigger: "item", textStyle: { fontFamily: FONT }, formatter: function (p) {
        return p.marker + E(p.name) + "：" + E(p.value) + "人（" + E(p.percent) + "%）";
      } },
      legend: { type: "scroll", orient: "vertical", right: 0, top: "middle", textStyle: { fontFamily: FONT } },
      series: [{ type: "pie", radius: ["40%", "75%"], center: ["38%", "50%"], avoidLabelOverlap: true,
        // Shares written on the ring (canvas text: no HTML); slivers below 6% only in the tooltip and table.
        label: { position: "inside", color: "#fff", fontSize: 11, fontWeight: 600, fontFamily: FONT,
          formatter: function (p) { return p.percent >= 6 ? p.percent.toFixed(1) + "%" : ""; } },
        labelLine: { show: false },
        data: data.names.map(function (n, i) { return { name: n, value: data.values[i] }; }) }]
    });
    return chart;
  }

  function bars(el, names, series, unit) {
    var chart = window.echarts.init(el);
    chart.setOption({
      textStyle: { fontFamily: FONT }, animation: false, color: COLORS,
      tooltip: { trigger: "axis", textStyle: { fontFamily: FONT }, formatter: function (params) {
        var lines = ["<b>" + E(params[0].axisValueLabel) + "</b>"];
        params.forEach(function (p) { lines.push(p.marker + E(p.seriesName) + "：" + E(p.value) + unit); });
        return lines.join("<br>");
      } },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: names,
        axisLabel: { fontFamily: FONT, width: 140, overflow: "truncate" } },
      series: series.map(function (s) { return { name: s.name, type: "bar", barMaxWidth: 16, data: s.data }; })
    });
    return chart;
  }

  Object.keys(config).forEach(function (key) {
    var el = document.getElementById("chart-" + key);
    var data = config[key];
    if (!el || !data.names.length) return;
    if (key === "enterprises") {
      charts.push(bars(el, data.names, [{ name: "需求人数", data: data.requested }, { name: "实际招聘", data: data.hired }], "人"));
    } else if (key === "services") {
      charts.push(bars(el, data.names, [{ name: "需求条数", data: data.values }], "条"));
    } else {
      charts.push(ring(el, data));
    }
    el.setAttribute("data-rendered", "1");
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
