/* Questionnaire pages (answer pages, the desk's preview): a question with a
   condition (data-show-if / data-show-equals) shows only while the earlier
   answer has that value — the server applies the same rule (rules.is_shown)
   and drops hidden answers; 看不清？换一张 fetches a new captcha; forms with
   data-confirm ask first. No inline script (CSP). */
(function () {
  "use strict";
  var form = document.getElementById("qn-form");

  function answerOf(code) {
    if (!form) return [];
    var inputs = form.querySelectorAll('[name="a_' + code + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.value.trim()) {
        values.push(input.value.trim());
      }
    });
    return values;
  }

  function isShown(box) {
    var code = box.getAttribute("data-show-if");
    if (!code) return true;
    var source = document.getElementById("q-" + code);
    if (source && source.hidden) return false;
    return answerOf(code).indexOf(box.getAttribute("data-show-equals")) !== -1;
  }

  function refresh() {
    if (!form) return;
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      box.hidden = !isShown(box);
    });
  }

  if (form) {
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-captcha-refresh]");
    if (!button) return;
    var box = button.parentElement;
    fetch(button.getAttribute("data-captcha-refresh"), {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        box.querySelector("[data-captcha-key]").value = data.key;
        box.querySelector("[data-captcha-image]").src = data.image_url;
        var input = box.querySelector("input[name=captcha_1]");
        if (input) { input.value = ""; input.focus(); }
      });
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
