/* Public phone pages: the 大字 (larger text) switch, remembered on this phone. */
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.getElementById("kb-large-switch");
  if (!button) return;
  function set(on) {
    root.classList.toggle("kb-large", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.title = on ? "恢复标准字号" : "放大文字";
    try { localStorage.setItem("kb-large", on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  set(root.classList.contains("kb-large"));
  button.hidden = false;
  button.addEventListener("click", function () { set(!root.classList.contains("kb-large")); });
})();
