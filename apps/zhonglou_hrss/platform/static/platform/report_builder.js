/* 自定义报表 (issue 17): the builder and a report's page. Settings come from
   the page's JSON (#rb-config); sources and fields from the platform API
   (reports/sources/), results from reports/preview/ (the builder) or
   reports/{id}/run/ (a saved report, read-only for those who may not change
   it). Saving is POST/PUT reports/ with the desk session's CSRF token.
   Field labels and values are data admins edit: they are set as text, and
   every value a chart tooltip puts into HTML goes through zlEscape.html. */
(function () {
  "use strict";
  var configEl = document.getElementById("rb-config");
  if (!configEl) return;
  var C = JSON.parse(configEl.textContent);
  var E = window.zlEscape ? window.zlEscape.html : function (s) { return String(s); };
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var COLORS = ["#1d4ed8", "#0891b2", "#7c3aed", "#059669", "#d97706", "#db2777", "#475569", "#65a30d"];
  var csrf = (document.getElementById("rb-csrf") || {}).value || "";
  var $ = function (id) { return document.getElementById(id); };
  var sources = [];
  var chart = null;
  var form = $("rb-form");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function option(value, label, selected) {
    var o = el("option", { value: value }, label);
    if (selected) o.selected = true;
    return o;
  }
  function api(method, url, body) {
    var opts = { method: method, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(url, opts).then(function (r) {
      if (r.status === 204) return { ok: true, status: 204, data: {} };
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; },
        function () { return { ok: r.ok, status: r.status, data: { detail: "服务器返回了无法识别的内容" } }; });
    });
  }
  function source() {
    var key = form ? $("rb-source").value : (C.report && C.report.source);
    return sources.filter(function (s) { return s.key === key; })[0];
  }
  function fieldOf(key) {
    var s = source();
    return s && s.fields.filter(function (f) { return f.key === key; })[0];
  }
  function isDate(f) { return f && (f.type === "date" || f.type === "datetime"); }

  // --- errors next to their fields -------------------------------------------------------------
  function clearErrors() {
    Array.prototype.forEach.call(document.querySelectorAll(".rb-msg"), function (p) { p.hidden = true; p.textContent = ""; });
    $("rb-general-error").hidden = true;
  }
  function showErrors(data) {
    var errors = data.errors || {};
    var shown = false;
    Object.keys(errors).forEach(function (key) {
      var part = key.split(/[.[]/)[0];
      var target = $("rb-err-" + part);
      if (!target) return;
      target.textContent = (target.textContent ? target.textContent + "；" : "") + errors[key].join("；");
      target.hidden = false;
      shown = true;
    });
    var general = $("rb-general-error");
    general.textContent = shown ? (data.detail || "填写内容有误，请按提示修改") : (data.detail || "操作未成功");
    general.hidden = false;
  }

  // --- the builder's controls -----------------------------------------------------------------
  function fillSources() {
    var select = $("rb-source");
    select.textContent = "";
    select.appendChild(option("", "请选择数据来源"));
    sources.forEach(function (s) { select.appendChild(option(s.key, s.label)); });
  }
  function fillColumns(selected) {
    var box = $("rb-columns");
    box.textContent = "";
    var s = source();
    if (!s) return;
    s.fields.forEach(function (f) {
      var label = el("label", { "class": "rb-check" });
      var input = el("input", { type: "checkbox", value: f.key, "data-column": f.key });
      input.checked = selected.indexOf(f.key) >= 0;
      label.appendChild(input);
      label.appendChild(document.createTextNode(f.label + (f.personal ? "（个人信息）" : "")));
      box.appendChild(label);
    });
  }
  function fieldSelect(filter, selected, aria, empty) {
    var select = el("select", { "aria-label": aria });
    if (empty !== undefined) select.appendChild(option("", empty));
    var s = source();
    (s ? s.fields : []).filter(filter).forEach(function (f) { select.appendChild(option(f.key, f.label, f.key === selected)); });
    return select;
  }
  function removeButton(row) {
    var b = el("button", { type: "button", "class": "zl-btn zl-btn-default rb-remove", "aria-label": "删除此项" }, "删除");
    b.addEventListener("click", function () { row.remove(); refreshSort(); });
    return b;
  }

  function valueInputs(row, f, op, value) {
    Array.prototype.forEach.call(row.querySelectorAll(".rb-value"), function (n) { n.remove(); });
    var anchor = row.querySelector(".rb-remove");
    function add(node) { node.classList.add("rb-value"); row.insertBefore(node, anchor); return node; }
    if (!f) return;
    if (op === "isnull") {
      var yn = add(el("select", { "aria-label": "是否为空" }));
      yn.appendChild(option("true", "为空", value !== false));
      yn.appendChild(option("false", "不为空", value === false));
      return;
    }
    if (f.type === "choice") {
      var sel = add(el("select", { "aria-label": f.label + "的取值" }));
      if (op === "in") sel.multiple = true;
      var chosen = [].concat(value === undefined || value === null ? [] : value).map(String);
      f.choices.forEach(function (c) { sel.appendChild(option(c.code, c.label, chosen.indexOf(c.code) >= 0)); });
      return;
    }
    if (f.type === "boolean") {
      var b = add(el("select", { "aria-label": f.label + "的取值" }));
      b.appendChild(option("true", "是", value !== false)); b.appendChild(option("false", "否", value === false));
      return;
    }
    var type = isDate(f) ? "date" : (f.type === "number" ? "number" : "text");
    if (op === "range") {
      var v = value || ["", ""];
      add(el("input", { type: type, "aria-label": f.label + "从", value: v[0] === null ? "" : (v[0] || "").slice(0, 10) }));
      add(el("input", { type: type, "aria-label": f.label + "至", value: v[1] === null ? "" : (v[1] || "").slice(0, 10) }));
      return;
    }
    var text = op === "in" ? [].concat(value || []).join("，") : (value === undefined || value === null ? "" : String(value));
    add(el("input", { type: op === "in" ? "text" : type, "aria-label": f.label + (op === "in" ? "的取值（用逗号分隔）" : "的取值"),
      value: isDate(f) ? text.slice(0, 10) : text }));
  }
  function addFilter(key, spec) {
    var row = el("div", { "class": "rb-row rb-filter" });
    var fsel = fieldSelect(function (f) { return !f.personal; }, key, "筛选字段");
    var osel = el("select", { "aria-label": "筛选方式" });
    row.appendChild(fsel); row.appendChild(osel); row.appendChild(removeButton(row));
    function ops(selectedOp, value) {
      var f = fieldOf(fsel.value);
      osel.textContent = "";
      (C.ops_by_type[f ? f.type : "text"] || []).forEach(function (op) { osel.appendChild(option(op, C.ops[op], op === selectedOp)); });
      valueInputs(row, f, osel.value, value);
    }
    fsel.addEventListener("change", function () { ops(); });
    osel.addEventListener("change", function () { valueInputs(row, fieldOf(fsel.value), osel.value); });
    ops(spec && spec.op, spec && spec.value);
    $("rb-filters").appendChild(row);
  }
  function readFilters() {
    var out = {};
    Array.prototype.forEach.call(document.querySelectorAll(".rb-filter"), function (row) {
      var selects = row.querySelectorAll("select");
      var key = selects[0].value, op = selects[1].value;
      var values = row.querySelectorAll(".rb-value");
      if (!key) return;
      var value;
      if (op === "isnull") value = values[0].value === "true";
      else if (values.length === 2) value = [values[0].value || null, values[1].value || null];
      else if (values[0] && values[0].multiple) value = Array.prototype.filter.call(values[0].options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      else if (op === "in") value = values[0].value.split(/[,，、]/).map(function (v) { return v.trim(); }).filter(Boolean);
      else value = values[0] ? values[0].value : "";
      out[key] = { op: op, value: value };
    });
    return out;
  }

  function groupRow(i, key) {
    var parts = (key || "").split(":");
    var row = el("div", { "class": "rb-row rb-group" });
    var fsel = fieldSelect(function (f) { return f.groupable || isDate(f); }, parts[0], "第" + (i + 1) + "个分组字段", "不分组");
    var tsel = el("select", { "aria-label": "第" + (i + 1) + "个分组的日期粒度" });
    row.appendChild(fsel); row.appendChild(tsel);
    function truncs() {
      var f = fieldOf(fsel.value);
      tsel.textContent = "";
      if (isDate(f)) {
        Object.keys(C.truncations).forEach(function (t) { tsel.appendChild(option(t, C.truncations[t], t === (parts[1] || "month"))); });
        if (f.groupable) tsel.appendChild(option("", "按日期", parts[0] === fsel.value && !parts[1]));
      }
      tsel.hidden = !isDate(f);
      refreshSort();
    }
    fsel.addEventListener("change", truncs);
    tsel.addEventListener("change", refreshSort);
    truncs();
    return row;
  }
  function fillGroups(keys) {
    var box = $("rb-groups");
    box.textContent = "";
    for (var i = 0; i < C.max_groups; i++) box.appendChild(groupRow(i, keys[i]));
  }
  function readGroups() {
    return Array.prototype.map.call(document.querySelectorAll(".rb-group"), function (row) {
      var s = row.querySelectorAll("select");
      return s[0].value ? s[0].value + (s[1].hidden || !s[1].value ? "" : ":" + s[1].value) : "";
    }).filter(Boolean);
  }

  function addAggregate(agg) {
    var row = el("div", { "class": "rb-row rb-aggregate" });
    var osel = el("select", { "aria-label": "统计方式" });
    Object.keys(C.aggregates).forEach(function (op) { osel.appendChild(option(op, C.aggregates[op], agg && agg.op === op)); });
    var fsel;
    function fields() {
      if (fsel) fsel.remove();
      var count = osel.value === "count";
      fsel = fieldSelect(function (f) { return count ? !f.personal : f.summable; }, agg && agg.field, "统计字段",
        count ? "记录数" : undefined);
      fsel.addEventListener("change", refreshSort);
      row.insertBefore(fsel, row.querySelector(".rb-remove"));
      refreshSort();
    }
    row.appendChild(osel); row.appendChild(removeButton(row));
    osel.addEventListener("change", fields);
    fields();
    $("rb-aggregates").appendChild(row);
  }
  function readAggregates() {
    return Array.prototype.map.call(document.querySelectorAll(".rb-aggregate"), function (row) {
      var s = row.querySelectorAll("select");
      return { op: s[0].value, field: s[1] ? s[1].value : "" };
    });
  }

  function outputKeys() {
    var groups = readGroups(), aggs = readAggregates();
    if (groups.length || aggs.length) {
      if (!aggs.length) aggs = [{ op: "count", field: "" }];
      return groups.map(function (g) {
        var p = g.split(":"), f = fieldOf(p[0]);
        return [g, (f ? f.label : g) + (p[1] ? "（" + C.truncations[p[1]] + "）" : "")];
      }).concat(aggs.map(function (a) {
        var f = fieldOf(a.field);
        return [a.field ? a.op + ":" + a.field : a.op, a.op === "count" && !a.field ? "数量" : (f ? f.label : a.field) + "（" + C.aggregates[a.op] + "）"];
      }));
    }
    return Array.prototype.filter.call(document.querySelectorAll("[data-column]"), function (c) { return c.checked; })
      .map(function (c) { var f = fieldOf(c.value); return [c.value, f ? f.label : c.value]; });
  }
  function refreshSort(selected) {
    if (!form) return;
    var select = $("rb-sort");
    var keep = typeof selected === "string" ? selected : select.value;
    select.textContent = "";
    select.appendChild(option("", "默认"));
    outputKeys().forEach(function (k) { select.appendChild(option(k[0], k[1], k[0] === keep)); });
  }

  function definition() {
    var sort = $("rb-sort").value;
    return {
      source: $("rb-source").value,
      columns: Array.prototype.filter.call(document.querySelectorAll("[data-column]"), function (c) { return c.checked; }).map(function (c) { return c.value; }),
      filters: readFilters(), group_by: readGroups(), aggregates: readAggregates(),
      sort: sort ? [{ key: sort, desc: $("rb-sort-desc").checked }] : [], chart: $("rb-chart").value
    };
  }
  function loadDefinition(d) {
    fillColumns(d.columns || []);
    $("rb-filters").textContent = "";
    Object.keys(d.filters || {}).forEach(function (k) { if (fieldOf(k)) addFilter(k, d.filters[k]); });
    fillGroups(d.group_by || []);
    $("rb-aggregates").textContent = "";
    (d.aggregates || []).forEach(addAggregate);
    refreshSort(d.sort && d.sort[0] ? d.sort[0].key : "");
    $("rb-sort-desc").checked = !!(d.sort && d.sort[0] && d.sort[0].desc);
    $("rb-chart").value = d.chart || "bar";
  }

  // --- the result -----------------------------------------------------------------------------
  function render(result) {
    var table = $("rb-table");
    var head = table.querySelector("thead"), body = table.querySelector("tbody");
    head.textContent = ""; body.textContent = "";
    var tr = el("tr");
    result.columns.forEach(function (c) { tr.appendChild(el("th", { scope: "col" }, c.label)); });
    head.appendChild(tr);
    result.rows.forEach(function (row) {
      var r = el("tr");
      row.forEach(function (v) { r.appendChild(el("td", typeof v === "number" ? { "class": "num" } : {}, v === null ? "" : String(v))); });
      body.appendChild(r);
    });
    $("rb-empty").hidden = result.rows.length > 0 || !result.columns.length;
    $("rb-count").textContent = result.columns.length ? "共 " + result.rows.length + " 行" + (result.truncated ? "（已截断）" : "") : "";
    var warnings = $("rb-warnings");
    warnings.textContent = "";
    (result.warnings || []).forEach(function (w) { warnings.appendChild(el("li", {}, w)); });
    warnings.hidden = !(result.warnings || []).length;
    drawChart(result);
  }
  function drawChart(result) {
    var area = $("rb-chart-area");
    if (!area || !window.echarts) return;
    var groups = result.grouped ? result.columns.filter(function (c) { return !/^(count|sum|avg)(:|$)/.test(c.key); }).length : 0;
    var aggs = result.columns.length - groups;
    area.hidden = !(result.grouped && result.rows.length && aggs > 0);
    if (area.hidden) { if (chart) { chart.dispose(); chart = null; } area.removeAttribute("data-rendered"); return; }
    if (!chart) chart = window.echarts.init(area);
    chart.clear();
    var type = result.chart || "bar";
    var option = { textStyle: { fontFamily: FONT }, animation: false, color: COLORS,
      legend: { type: "scroll", top: 0, textStyle: { fontFamily: FONT } } };
    var label = function (v) { return v === "" || v === null ? "（空）" : String(v); };
    if (type === "pie" || groups === 0) {
      option.tooltip = { trigger: "item", formatter: function (p) { return p.marker + E(p.name) + "：" + E(p.value) + "（" + E(p.percent) + "%）"; } };
      option.series = [{ type: "pie", radius: ["35%", "70%"], top: 24,
        data: result.rows.map(function (r) { return { name: groups ? label(r[0]) : result.columns[0].label, value: r[groups] }; }) }];
      if (groups === 0) option.series[0].data = result.columns.map(function (c, i) { return { name: c.label, value: result.rows[0][i] }; });
    } else {
      var categories = [], series = [];
      if (groups === 2) {
        // Time along the axis when one group is a month or year (grid × month: a line per grid).
        var xi = /:(month|year)$/.test(result.columns[1].key) && !/:(month|year)$/.test(result.columns[0].key) ? 1 : 0;
        var names = [], table = {};
        result.rows.forEach(function (r) {
          var x = label(r[xi]), s = label(r[1 - xi]);
          if (categories.indexOf(x) < 0) categories.push(x);
          if (names.indexOf(s) < 0) names.push(s);
          table[x + "\u0000" + s] = r[2];
        });
        if (xi === 1) categories.sort();  // "2026-01" < "2026-02": months in order whichever group came first
        series = names.map(function (s) {
          return { name: s, type: type, data: categories.map(function (x) { return table[x + "\u0000" + s] || 0; }) };
        });
      } else {
        categories = result.rows.map(function (r) { return label(r[0]); });
        series = result.columns.slice(1).map(function (c, i) {
          return { name: c.label, type: type, data: result.rows.map(function (r) { return r[1 + i]; }) };
        });
      }
      option.tooltip = { trigger: "axis", formatter: function (params) {
        var lines = ["<b>" + E(params[0].axisValueLabel) + "</b>"];
        params.forEach(function (p) { lines.push(p.marker + E(p.seriesName) + "：" + E(p.value)); });
        return lines.join("<br>");
      } };
      option.grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
      option.xAxis = { type: "category", data: categories, axisLabel: { fontFamily: FONT, hideOverlap: true } };
      option.yAxis = { type: "value" };
      option.series = series.map(function (s) { s.barMaxWidth = 28; return s; });
    }
    chart.setOption(option, true);
    area.setAttribute("data-rendered", "1");  // for the browser tests: drawn
  }

  function run() {
    clearErrors();
    var request = form ? api("POST", C.preview, definition()) : api("GET", C.run);
    return request.then(function (r) {
      if (r.ok) render(r.data); else showErrors(r.data);
    });
  }

  // --- saving --------------------------------------------------------------------------------
  function fillRoles(selected) {
    var box = $("rb-roles");
    box.textContent = "";
    C.roles.forEach(function (name) {
      var label = el("label", { "class": "rb-check" });
      var input = el("input", { type: "checkbox", value: name, "data-role": name });
      input.checked = selected.indexOf(name) >= 0;
      label.appendChild(input); label.appendChild(document.createTextNode(name));
      box.appendChild(label);
    });
  }
  function save() {
    clearErrors();
    var body = definition();
    body.name = $("rb-name").value;
    body.shared_with = Array.prototype.filter.call(document.querySelectorAll("[data-role]"), function (c) { return c.checked; }).map(function (c) { return c.value; });
    var editing = C.report && C.report.may_change;
    api(editing ? "PUT" : "POST", editing ? C.api + C.report.id + "/" : C.api, body).then(function (r) {
      if (!r.ok) { showErrors(r.data); return; }
      var saved = $("rb-saved");
      saved.textContent = "已保存：" + r.data.name;
      saved.hidden = false;
      if (!editing) window.location.assign(C.page.replace("/0/", "/" + r.data.id + "/"));
    });
  }

  function start() {
    if (form) {
      fillSources();
      fillRoles(C.report ? C.report.shared_with : []);
      $("rb-source").addEventListener("change", function () { loadDefinition({}); });
      $("rb-columns").addEventListener("change", function () { refreshSort(); });
      $("rb-add-filter").addEventListener("click", function () { addFilter(); });
      $("rb-add-aggregate").addEventListener("click", function () { addAggregate(); });
      form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      $("rb-save").addEventListener("click", save);
      var del = $("rb-delete");
      if (del) del.addEventListener("click", function () {
        if (!window.confirm("确定删除报表“" + C.report.name + "”吗？")) return;
        api("DELETE", C.api + C.report.id + "/").then(function (r) {
          if (r.ok) window.location.assign(document.querySelector(".zl-toolbar a").getAttribute("href"));
          else showErrors(r.data);
        });
      });
      if (C.report) {
        $("rb-source").value = C.report.source;
        $("rb-name").value = C.report.name;
        loadDefinition(C.report);
        run();
      } else {
        loadDefinition({});
      }
    } else if (C.report) {
      run();
    }
  }

  api("GET", C.sources).then(function (r) {
    sources = r.ok ? r.data : [];
    start();
  });
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
}());
