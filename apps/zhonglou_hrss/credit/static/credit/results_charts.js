/* 评价结果 (R-CR-10, R-CR-11): the charts of the version on the page — the
   companies per grade as bars and as a ring, the total scores in bins of ten.
   Data: the page's JSON (#cr-charts-config), the same figures as the table.
   Values a tooltip puts into HTML go through zlEscape.html (core/escape.js). */
(function () {
  "use strict";
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';
  var configEl = document.getElementById("cr-charts-config");
  if (!configEl || !window.echarts || !window.zlEscape) return;
  var E = window.zlEscape.html;
  var config = JSON.parse(configEl.textContent);
  if (!config) return;
  // Grades from the best down: green to red, as the status colours of ui.md read.
  var GRADE_COLORS = ["#059669", "#0891b2", "#1d4ed8", "#d97706", "#dc2626", "#475569", "#7c3aed"];
  var charts = [];

  function init(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = window.echarts.init(el);
    charts.push(chart);
    // Marked once drawn (zrender paints on the next frame), so a reader or a test knows it is there.
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    return chart;
  }

  function bars(id, names, values, seriesName, colors) {
    var chart = init(id);
    if (!chart) return;
    chart.setOption({
      textStyle: { fontFamily: FONT }, animation: false,
      tooltip: { trigger: "axis", textStyle: { fontFamily: FONT }, formatter: function (params) {
        var p = params[0];
        return E(p.axisValueLabel) + "：" + E(p.value) + "家";
      } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { fontFamily: FONT, interval: 0, rotate: names.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1, name: "企业数", nameTextStyle: { fontFamily: FONT } },
      series: [{ name: seriesName, type: "bar", barMaxWidth: 36, label: { show: true, position: "top" },
        data: values.map(function (v, i) { return { value: v, itemStyle: { color: colors ? colors[i % colors.length] : "#1d4ed8" } }; }) }]
    });
  }

  function ring(id, names, values) {
    var chart = init(id);
    if (!chart) return;
    chart.setOption({
      textStyle: { fontFamily: FONT }, animation: false,
      tooltip: { trigger: "item", textStyle: { fontFamily: FONT }, formatter: function (p) {
        return p.marker + E(p.name) + "：" + E(p.value) + "家（" + E(p.percent) + "%）";
      } },
      // Grades no company reached are left out of the pie (their zero is in the bars and the table);
      // each slice carries its grade and count inside, the legend below names the colours.
      legend: { bottom: 0, textStyle: { fontFamily: FONT } },
      series: [{ type: "pie", radius: "62%", center: ["50%", "45%"],
        label: { position: "inside", color: "#fff", fontWeight: 600, fontFamily: FONT,
          formatter: function (p) { return p.percent >= 5 ? p.name + "\n" + p.value + "家" : ""; } },
        labelLine: { show: false },
        data: names.map(function (n, i) { return { name: n, value: values[i], itemStyle: { color: GRADE_COLORS[i % GRADE_COLORS.length] } }; })
          .filter(function (d) { return d.value > 0; }) }]
    });
  }

  bars("chart-grades", config.grades, config.grade_counts, "企业数", GRADE_COLORS);
  ring("chart-grade-share", config.grades, config.grade_counts);
  bars("chart-histogram", config.bins, config.bin_counts, "企业数", null);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
