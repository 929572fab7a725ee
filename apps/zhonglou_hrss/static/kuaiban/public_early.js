/* Public phone pages, in <head> before the page paints: scripts run (kb-js)
   and the larger text chosen earlier on this phone (kb-large), so the page
   never flashes in the standard size first. A file, not an inline script:
   the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("kb-js");
  try {
    if (window.localStorage.getItem("kb-large") === "1") root.classList.add("kb-large");
  } catch (e) { /* private mode: standard size */ }
})();
