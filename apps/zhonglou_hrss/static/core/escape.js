/* The one escaper for HTML built in the browser from data (issue 10 item 3).
   Names in the charts come from rows admins edit (grids, lookup lists): a
   name such as 北港<img src=x onerror=…> must show as that text. Every chart
   tooltip formatter, and any script that builds HTML from data, passes each
   value through zlEscape.html. (Canvas labels are drawn as text: they need
   no escaping, and escaped they would show "&lt;".) */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

  function html(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"'`]/g, function (c) { return ENTITIES[c]; });
  }

  window.zlEscape = { html: html };
})();
