/* The desk's news editor (Quill, from npm; no inline script: the page's
   Content-Security-Policy runs only files). The editor writes clean HTML
   into the form's hidden content_html on every change; pictures are uploaded
   to the server (re-encoded there, kept in the public uploads) and inserted by
   their address — never as data: URLs, which the server's sanitiser drops. */
(function () {
  "use strict";
  var holder = document.getElementById("news-editor");
  var input = document.getElementById("id_content_html");
  var form = document.getElementById("news-form");
  var status = document.getElementById("editor-status");
  if (!holder || !input || !form || !window.Quill) return;

  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function say(text) { if (status) status.textContent = text || ""; }

  function upload(file) {
    var body = new FormData();
    body.append("image", file);
    say("正在上传图片…");
    return fetch(holder.getAttribute("data-upload-url"), {
      method: "POST", body: body, credentials: "same-origin", headers: {"X-CSRFToken": csrf()}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.detail || "图片上传失败");
        say("");
        return data.url;
      });
    });
  }

  var quill;
  function insertFiles(range, files) {
    var at = range ? range.index : quill.getLength();
    Array.prototype.reduce.call(files, function (chain, file) {
      return chain.then(function () {
        return upload(file).then(function (url) {
          quill.insertEmbed(at, "image", url, "user");
          at += 1;
          quill.setSelection(at, 0, "silent");
        });
      });
    }, Promise.resolve()).catch(function (error) { say(error.message); });
  }

  function pickImage() {
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/jpeg,image/png";
    picker.addEventListener("change", function () {
      if (picker.files && picker.files.length) insertFiles(quill.getSelection(true), picker.files);
    });
    picker.click();
  }

  quill = new window.Quill(holder, {
    theme: "snow",
    placeholder: "在此输入资讯内容…",
    modules: {
      toolbar: {
        container: [[{header: [2, 3, false]}], ["bold", "italic", "underline"], [{list: "ordered"}, {list: "bullet"}],
                    [{align: []}], ["link", "image"], ["clean"]],
        handlers: {image: pickImage}
      },
      // Pasted or dropped picture files: uploaded like the button's.
      uploader: {mimetypes: ["image/png", "image/jpeg"], handler: insertFiles}
    }
  });
  if (input.value) quill.setContents(quill.clipboard.convert({html: input.value}), "silent");

  function sync() {
    var empty = quill.getText().trim() === "" && !quill.root.querySelector("img");
    // Quill 2.0's semantic HTML writes every space as &nbsp;: give the words their spaces back.
    input.value = empty ? "" : quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }
  quill.on("text-change", sync);
  form.addEventListener("submit", sync);
  sync();
})();
