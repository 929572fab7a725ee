/* The year's declaration form (credit/public/declaration.html). No inline
   script: the site's Content-Security-Policy runs only files.

   - A file chosen for an item is uploaded at once (XMLHttpRequest, so the
     upload's progress shows) to the page's evidence address; the stored file
     joins the item's list and the field is emptied, so 保存 does not send it
     again. Without this script the file fields go with the form when saved.
   - The submit button asks first (data-confirm). */
(function () {
  "use strict";
  var form = document.getElementById("declaration-form");
  if (!form) return;
  var uploadUrl = form.getAttribute("data-upload-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");

  function sizeText(bytes) {
    return bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + " KB" : (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function uploadOne(box, file, done) {
    var item = box.getAttribute("data-item");
    var progress = box.querySelector("[data-upload-progress]");
    var bar = progress.querySelector("progress");
    var text = progress.querySelector("[data-upload-text]");
    var error = box.querySelector("[data-evidence-error]");
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf.value);
    data.append("item", item);
    data.append("file", file);
    progress.hidden = false;
    bar.value = 0;
    text.textContent = "正在上传“" + file.name + "”（" + sizeText(file.size) + "）：0%";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", uploadUrl);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round(e.loaded / e.total * 100);
      bar.value = percent;
      text.textContent = percent < 100 ? "正在上传“" + file.name + "”（" + sizeText(file.size) + "）：" + percent + "%"
        : "已上传，正在检查文件…";
    });
    xhr.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = {}; }
      if (xhr.status === 201) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = answer.url;
        a.textContent = answer.name;
        var size = document.createElement("span");
        size.className = "pt-hint";
        size.textContent = " " + sizeText(answer.size);
        li.appendChild(a);
        li.appendChild(size);
        box.querySelector("[data-evidence-list]").appendChild(li);
        bar.value = 100;
        text.textContent = "已上传：" + answer.name;
      } else {
        progress.hidden = true;
        error.textContent = answer.error || "上传未完成（" + xhr.status + "），请重新选择文件。";
        error.hidden = false;
      }
      done();
    });
    xhr.addEventListener("error", function () {
      progress.hidden = true;
      error.textContent = "网络异常，上传未完成：请稍后重新选择文件。";
      error.hidden = false;
      done();
    });
    xhr.send(data);
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.hasAttribute("data-evidence-input") || !window.FormData || !input.files.length) return;
    var box = input.closest("[data-evidence]");
    var error = box.querySelector("[data-evidence-error]");
    error.hidden = true;
    error.textContent = "";
    var files = Array.prototype.slice.call(input.files);
    input.value = "";  // stored one by one below; 保存 must not send them a second time
    input.disabled = true;
    (function next() {
      if (!files.length) {
        input.disabled = false;
        return;
      }
      uploadOne(box, files.shift(), next);
    })();
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
