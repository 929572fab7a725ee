/* The enterprise portal's small behaviours (no inline script: the site's
   Content-Security-Policy runs only files). */
(function () {
  "use strict";
  // 看不清？换一张: a new captcha key and picture (core.views.captcha_refresh).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-captcha-refresh]");
    if (!button) return;
    var box = button.closest(".pt-captcha");
    fetch(button.getAttribute("data-captcha-refresh"), {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        box.querySelector("[data-captcha-key]").value = data.key;
        box.querySelector("[data-captcha-image]").src = data.image_url;
        var input = box.querySelector("input[name=captcha_1]");
        input.value = "";
        input.focus();
      });
  });
})();
