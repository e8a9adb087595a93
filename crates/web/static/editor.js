// The news editor, enhanced: a Markdown toolbar and a live preview rendered by
// the server (the same renderer as the public page). Without this script the
// form works as plain fields.
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor]");
  if (!form) {
    return;
  }
  var body = form.querySelector("#body");
  var csrf = form.querySelector("input[name=_csrf]");

  // Toolbar: each button wraps the selection or prefixes the selected lines.
  var actions = [
    ["Fed", "**", "**", false],
    ["Kursiv", "*", "*", false],
    ["Mellemrubrik", "## ", "", true],
    ["Punktopstilling", "- ", "", true],
    ["Nummereret liste", "1. ", "", true],
    ["Citat", "> ", "", true],
    ["Link", "[", "](https://)", false]
  ];
  if (body) {
    var bar = document.createElement("div");
    bar.className = "toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatering af brødteksten");
    bar.setAttribute("aria-controls", "body");
    actions.forEach(function (a) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--tool";
      button.textContent = a[0];
      button.addEventListener("click", function () {
        apply(a[1], a[2], a[3]);
      });
      bar.appendChild(button);
    });
    body.parentNode.insertBefore(bar, body);
  }

  function apply(before, after, perLine) {
    var start = body.selectionStart;
    var end = body.selectionEnd;
    var text = body.value;
    var selected = text.slice(start, end);
    var replacement;
    if (perLine) {
      var lineStart = text.lastIndexOf("\n", start - 1) + 1;
      selected = text.slice(lineStart, end);
      start = lineStart;
      replacement = selected.split("\n").map(function (line) { return before + line; }).join("\n");
    } else {
      replacement = before + selected + after;
    }
    body.value = text.slice(0, start) + replacement + text.slice(end);
    body.focus();
    body.setSelectionRange(start + replacement.length, start + replacement.length);
    schedulePreview();
  }

  // Live preview.
  var preview = form.querySelector("[data-live-preview]");
  var previewBody = form.querySelector("[data-live-preview-body]");
  var timer = null;
  function schedulePreview() {
    if (!preview || !previewBody || !csrf) {
      return;
    }
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(renderPreview, 400);
  }
  function renderPreview() {
    var data = new URLSearchParams();
    data.set("_csrf", csrf.value);
    data.set("body", body.value);
    fetch("/admin/markdown", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: data.toString()
    }).then(function (response) {
      // 422: the body cannot be saved as it is; the answer says why.
      if (!response.ok && response.status !== 422) {
        throw new Error(String(response.status));
      }
      return response.text();
    }).then(function (html) {
      // The server renders this HTML with the same rules as the public page.
      previewBody.innerHTML = html;
      preview.hidden = false;
    }).catch(function () {
      preview.hidden = true;
    });
  }
  if (body) {
    body.addEventListener("input", schedulePreview);
    schedulePreview();
  }
})();
