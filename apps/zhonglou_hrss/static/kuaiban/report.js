/* 群众登记 (R-KB-01) on a phone: companions added and removed in place, ID
   number and phone checked as they are typed, a photo preview, and the upload
   sent with a progress bar. The server decides; this only helps. Without
   JavaScript the form still works as a plain POST. */
(function () {
  "use strict";
  var form = document.getElementById("kb-report-form");
  if (!form) return;

  var MAX_PHOTO = 15 * 1024 * 1024;
  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = "10X98765432";

  // --- checks (the same rules and words as core/validators.py) -------------------
  function normId(v) { return (v || "").replace(/\s+/g, "").toUpperCase(); }
  function idProblem(v) {
    v = normId(v);
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
  function normPhone(v) {
    v = (v || "").replace(/[\s\-]/g, "");
    if (v.indexOf("+86") === 0) v = v.slice(3);
    else if (v.indexOf("0086") === 0) v = v.slice(4);
    else if (v.length === 13 && v.indexOf("86") === 0) v = v.slice(2);
    return v;
  }
  function phoneProblem(v) {
    v = normPhone(v);
    if (!v) return "";
    return /^1[3-9]\d{9}$/.test(v) ? "" : "手机号格式不正确：应为以1开头的11位数字";
  }
  var CHECKS = {
    id_number: { problem: idProblem, complete: function (v) { return normId(v).length >= 18; } },
    phone: { problem: phoneProblem, complete: function (v) { return normPhone(v).length >= 11; } }
  };

  // --- where each field's error goes ------------------------------------------------
  function slotFor(input) {
    var row = input.closest("[data-companion]");
    if (row) {
      var field = input.name.replace(/^companion_/, "");
      return row.querySelector('[data-companion-error="' + field + '"]');
    }
    var name = input.name === "captcha_1" ? "captcha" : input.name;
    return form.querySelector('[data-error-for="' + name + '"]');
  }
  function inputFor(slot) {
    var key = slot.getAttribute("data-error-for") || "";
    var row = slot.closest("[data-companion]");
    if (row) return row.querySelector('[name="companion_' + slot.getAttribute("data-companion-error") + '"]');
    if (key === "captcha") return form.querySelector('[name="captcha_1"]');
    return form.querySelector('[name="' + key + '"]');
  }
  function setError(input, message) {
    var slot = slotFor(input);
    if (slot) slot.textContent = message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.classList.remove("kb-valid");
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  function live(input, final) {
    var check = CHECKS[input.getAttribute("data-check")];
    if (!check) return "";
    var value = input.value;
    if (!final && !check.complete(value)) {  // still typing: no nagging
      setError(input, "");
      input.classList.remove("kb-valid");
      return "";
    }
    var problem = check.problem(value);
    setError(input, problem);
    input.classList.toggle("kb-valid", !problem && !!value.trim());
    return problem;
  }
  form.addEventListener("input", function (e) {
    var t = e.target;
    var bar = document.getElementById("kb-form-message");
    if (bar && !bar.hidden) { bar.hidden = true; bar.textContent = ""; }  // being fixed: stop covering the form
    if (t.hasAttribute && t.hasAttribute("data-check")) live(t, false);
    else if (t.name && t.getAttribute("aria-invalid") && t.value.trim()) setError(t, "");
  });
  form.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-check")) live(e.target, true);
  }, true);

  // --- companions --------------------------------------------------------------------
  var list = document.getElementById("kb-companions");
  var template = document.getElementById("kb-companion-template");
  var addButton = document.getElementById("kb-add-companion");
  var maxRows = +(list.getAttribute("data-max") || 50);

  function renumber() {
    var rows = list.querySelectorAll("[data-companion]");
    for (var i = 0; i < rows.length; i++) {
      rows[i].querySelector("[data-companion-no]").textContent = i + 1;
      rows[i].querySelector("[data-remove-companion]").value = i;
      var slots = rows[i].querySelectorAll("[data-companion-error]");
      for (var j = 0; j < slots.length; j++) {
        slots[j].setAttribute("data-error-for", "companions[" + i + "]." + slots[j].getAttribute("data-companion-error"));
      }
    }
    addButton.hidden = rows.length >= maxRows;
  }
  addButton.addEventListener("click", function (e) {
    e.preventDefault();
    var row = template.content.firstElementChild.cloneNode(true);
    list.appendChild(row);
    renumber();
    row.querySelector('[name="companion_name"]').focus();
  });
  list.addEventListener("click", function (e) {
    var button = e.target.closest("[data-remove-companion]");
    if (!button) return;
    e.preventDefault();
    var row = button.closest("[data-companion]");
    row.parentNode.removeChild(row);
    renumber();
  });
  renumber();

  // --- photo preview -------------------------------------------------------------------
  var photo = document.getElementById("f-photo");
  var preview = document.getElementById("kb-photo-preview");
  var plus = document.getElementById("kb-photo-plus");
  var photoName = document.getElementById("kb-photo-name");
  var photoHint = photoName.textContent;
  function megabytes(n) { return (n / 1024 / 1024).toFixed(1) + " MB"; }
  function clearPreview() {
    preview.hidden = true;
    preview.removeAttribute("src");
    plus.hidden = false;
    photoName.textContent = photoHint;
  }
  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    setError(photo, "");
    if (!file) { clearPreview(); return; }
    if (file.size > MAX_PHOTO) {
      photo.value = "";
      clearPreview();
      setError(photo, "照片过大（" + megabytes(file.size) + "），请上传不超过 15 MB 的照片");
      return;
    }
    if (file.type && !/^image\/(jpeg|png)$/.test(file.type)) {
      photo.value = "";
      clearPreview();
      setError(photo, "只支持 JPG 或 PNG 格式的照片");
      return;
    }
    photoName.textContent = "已选择：" + file.name + "（" + megabytes(file.size) + "），点击左侧可重新选择";
    if (window.FileReader) {
      var reader = new FileReader();
      reader.onload = function () {
        preview.src = reader.result;
        preview.hidden = false;
        plus.hidden = true;
      };
      reader.readAsDataURL(file);
    }
  });

  // --- demand counter -------------------------------------------------------------------
  var demand = document.getElementById("f-demand");
  var count = document.getElementById("kb-demand-count");
  demand.addEventListener("input", function () { count.textContent = demand.value.length; });

  // --- captcha -----------------------------------------------------------------------------
  var captchaKey = document.getElementById("f-captcha-key");
  var captchaImg = document.getElementById("kb-captcha-img");
  var captchaInput = document.getElementById("f-captcha");
  var refresh = document.getElementById("kb-captcha-refresh");
  function setCaptcha(c) {
    if (!c) return;
    captchaKey.value = c.key;
    captchaImg.src = c.image_url;
    captchaInput.value = "";
  }
  refresh.hidden = false;
  refresh.addEventListener("click", function () {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", refresh.getAttribute("data-url"));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.onload = function () { try { setCaptcha(JSON.parse(xhr.responseText)); } catch (e) { /* keep the old one */ } };
    xhr.send();
  });

  // --- sending with progress ---------------------------------------------------------------
  var submit = document.getElementById("kb-submit");
  var bar = document.getElementById("kb-progress");
  var barInner = document.getElementById("kb-progress-inner");
  var barText = document.getElementById("kb-progress-text");
  var message = document.getElementById("kb-form-message");
  var topMessage = document.getElementById("kb-form-message-top");
  var busy = false;

  function showMessage(text) {
    message.textContent = text || "";
    message.hidden = !text;
  }
  function firstError() {
    var slots = form.querySelectorAll(".kb-error");
    for (var i = 0; i < slots.length; i++) if (slots[i].textContent.trim()) return slots[i];
    return null;
  }
  function goTo(slot) {
    if (!slot) return;
    var input = inputFor(slot);
    (input && input.type !== "file" && input.type !== "hidden" ? input : slot).scrollIntoView({ block: "center" });
    if (input && input.type !== "file" && input.type !== "hidden") {
      try { input.focus({ preventScroll: true }); } catch (e) { input.focus(); }
    }
  }
  function clearErrors() {
    var slots = form.querySelectorAll(".kb-error");
    for (var i = 0; i < slots.length; i++) slots[i].textContent = "";
    var bad = form.querySelectorAll('[aria-invalid="true"]');
    for (var j = 0; j < bad.length; j++) bad[j].removeAttribute("aria-invalid");
  }
  function showErrors(data) {
    clearErrors();
    var unplaced = [];
    var errors = data.errors || {};
    Object.keys(errors).forEach(function (key) {
      var text = errors[key].join("；");
      var slot = form.querySelector('[data-error-for="' + key.replace(/"/g, "") + '"]');
      if (!slot) { unplaced.push(text); return; }
      slot.textContent = text;
      var input = inputFor(slot);
      if (input) input.setAttribute("aria-invalid", "true");
    });
    showMessage([data.message || "填写内容有误，请按提示修改"].concat(unplaced).join("；"));
    setCaptcha(data.captcha);
    goTo(firstError());
  }
  function finish() {
    busy = false;
    submit.disabled = false;
    submit.textContent = "提交登记";
    bar.hidden = true;
  }

  form.addEventListener("submit", function (e) {
    if (!window.FormData || !window.XMLHttpRequest) return;  // plain POST
    e.preventDefault();
    if (busy) return;
    // Obvious slips first (no upload for nothing); everything else is the server's.
    var checked = form.querySelectorAll("[data-check]");
    for (var i = 0; i < checked.length; i++) live(checked[i], true);
    if (firstError()) {
      showMessage("填写内容有误，请按提示修改");
      goTo(firstError());
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = "正在提交…";
    showMessage("");
    if (topMessage) topMessage.hidden = true;
    bar.hidden = false;
    barInner.style.width = "0%";
    barText.textContent = "正在上传…";

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.round(ev.loaded / ev.total * 100);
      barInner.style.width = pct + "%";
      barText.textContent = pct < 100 ? "已上传 " + pct + "%" : "正在处理…";
    });
    xhr.onload = function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (err) { /* not JSON: an error page */ }
      if (data && data.ok) {
        barInner.style.width = "100%";
        barText.textContent = "提交成功";
        window.location.href = data.redirect;
        return;
      }
      finish();
      if (data) showErrors(data);
      else showMessage("提交失败（错误 " + xhr.status + "），请稍后重试。您填写的内容仍在页面上。");
    };
    xhr.onerror = function () {
      finish();
      showMessage("网络连接失败，请检查网络后重新提交。您填写的内容仍在页面上。");
    };
    xhr.send(new FormData(form));
  });
})();
