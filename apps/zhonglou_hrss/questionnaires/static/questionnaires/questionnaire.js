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

  // The ID number checked as it is typed (the same rules and words as core/validators.py).
  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = "10X98765432";
  function idProblem(v) {
    v = (v || "").replace(/\s+/g, "").toUpperCase();
    if (!v) return "";
    if (v.length === 15) return "15位旧身份证号已停用，请填写18位身份证号";
    if (!/^\d{17}[\dX]$/.test(v)) return "身份证号格式不正确：应为18位，前17位为数字，末位为数字或X";
    var y = +v.substr(6, 4), m = +v.substr(10, 2), d = +v.substr(12, 2);
    var born = new Date(y, m - 1, d);
    if (born.getFullYear() !== y || born.getMonth() !== m - 1 || born.getDate() !== d) return "身份证号中的出生日期不存在";
    if (born > new Date()) return "身份证号中的出生日期晚于今天";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += (+v.charAt(i)) * ID_WEIGHTS[i];
    if (ID_CHECK.charAt(sum % 11) !== v.charAt(17)) return "身份证号校验位不正确，请核对";
    return "";
  }
  document.querySelectorAll('[data-check="id_number"]').forEach(function (input) {
    var slot = document.querySelector('[data-error-for="' + input.name + '"]');
    function check(final) {
      var value = input.value.replace(/\s+/g, "");
      var problem = (final || value.length >= 18) ? idProblem(value) : "";
      if (slot) slot.textContent = problem;
      if (problem) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    input.addEventListener("input", function () { check(false); });
    input.addEventListener("change", function () { check(true); });
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
