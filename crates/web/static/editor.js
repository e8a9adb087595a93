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

  // Blocks (the help under the body field): each button inserts a block on
  // lines of its own at the cursor, its placeholder selected to type over.
  var templates = {
    foldeud: ["::: foldeud ", "Overskrift", "\nTekst\n:::"],
    faktaboks: ["::: faktaboks ", "Fakta", "\n- \n:::"]
  };
  var chosenContact = form.querySelector("[data-block-contact]");
  function insertBlock(parts) {
    var start = body.selectionStart;
    var text = body.value;
    var before = text.slice(0, start);
    var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var after = text.slice(body.selectionEnd);
    var trail = /^\n/.test(after) ? "\n" : "\n\n";
    var block = lead + parts[0] + parts[1] + parts[2] + trail;
    body.value = before + block + after;
    body.focus();
    var at = start + lead.length + parts[0].length;
    body.setSelectionRange(at, at + parts[1].length);
    schedulePreview();
  }
  var blockButtons = body ? form.querySelectorAll("[data-block], [data-block-buttons]") : [];
  Array.prototype.forEach.call(blockButtons, function (button) {
    button.hidden = false;
    if (!button.hasAttribute("data-block")) {
      return;
    }
    var kind = button.getAttribute("data-block");
    button.addEventListener("click", function () {
      if (kind === "kontakt") {
        insertBlock(["::: kontakt ", chosenContact ? chosenContact.value : "", ""]);
      } else {
        insertBlock(templates[kind]);
      }
    });
  });

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
      // Redirected: the session has ended (the sign-in page is no preview).
      if (response.redirected || (!response.ok && response.status !== 422)) {
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

// Never lose text: what is typed is kept in this browser (localStorage),
// keyed by the article and the version it was based on, until it is saved;
// after a crash or a closed tab it is offered back. Leaving the page with
// unsaved changes asks first. Without this script the form works as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor]");
  var key = form && form.getAttribute("data-draft-key");
  var storage = null;
  try {
    storage = window.localStorage;
    storage.getItem("raadhus");
  } catch (e) {
    storage = null;
  }
  if (!form || !key || !storage) {
    return;
  }
  var version = form.getAttribute("data-draft-version") || "0";
  var ownKey = key + "@v" + version;
  var SUBMITTED = "raadhus-sendt";

  // The form's fields as [name, value] pairs, in order (no CSRF token).
  function snapshot() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "_csrf" && typeof value === "string") {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }
  function read(k) {
    try {
      return JSON.parse(storage.getItem(k));
    } catch (e) {
      return null;
    }
  }
  function keysOfThisArticle() {
    var keys = [];
    for (var i = 0; i < storage.length; i += 1) {
      var k = storage.key(i);
      if (k && k.indexOf(key + "@v") === 0) {
        keys.push(k);
      }
    }
    return keys;
  }
  function forget() {
    keysOfThisArticle().forEach(function (k) { storage.removeItem(k); });
  }

  // Right after a save the kept copy is no longer needed: this article's,
  // and that of the form it was sent from (a new article's has no id yet).
  if (form.hasAttribute("data-saved")) {
    forget();
    try {
      var sent = window.sessionStorage.getItem(SUBMITTED);
      if (sent) {
        storage.removeItem(sent);
        window.sessionStorage.removeItem(SUBMITTED);
      }
    } catch (e) { /* no session storage: nothing to clear */ }
  }

  var initial = JSON.stringify(snapshot());
  var submitting = false;
  var timer = null;

  function keep() {
    timer = null;
    var now = snapshot();
    if (JSON.stringify(now) === initial) {
      storage.removeItem(ownKey);
      return;
    }
    try {
      storage.setItem(ownKey, JSON.stringify({ version: version, at: Date.now(), fields: now }));
    } catch (e) { /* storage full: the form still works */ }
  }
  function scheduleKeep() {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(keep, 400);
  }
  form.addEventListener("input", scheduleKeep);
  form.addEventListener("change", scheduleKeep);
  form.addEventListener("editor:changed", scheduleKeep);

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === "preview") {
      return;
    }
    if (timer) {
      clearTimeout(timer);
      keep();
    }
    submitting = true;
    try {
      window.sessionStorage.setItem(SUBMITTED, ownKey);
    } catch (e) { /* cleared on the next save instead */ }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && JSON.stringify(snapshot()) !== initial) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Offer back what was kept and not sent: this version's first, else the
  // newest kept from another version of the article.
  var found = read(ownKey) ? ownKey : null;
  if (!found) {
    keysOfThisArticle().forEach(function (k) {
      var kept = read(k);
      if (kept && (!found || kept.at > read(found).at)) {
        found = k;
      }
    });
  }
  var kept = found && read(found);
  if (!kept || !kept.fields || JSON.stringify(kept.fields) === initial) {
    return;
  }
  var box = document.createElement("div");
  box.className = "restore-draft";
  box.setAttribute("role", "region");
  box.setAttribute("aria-labelledby", "restore-draft-title");
  var title = document.createElement("h2");
  title.id = "restore-draft-title";
  title.textContent = "Gendan utilsendt tekst?";
  var text = document.createElement("p");
  var when = new Date(kept.at);
  text.textContent = "Denne browser har tekst til nyheden, som ikke blev gemt (skrevet " +
    when.toLocaleString("da-DK", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) +
    (kept.version !== version ? ", ud fra version " + kept.version : "") + ").";
  var restore = document.createElement("button");
  restore.type = "button";
  restore.className = "button";
  restore.textContent = "Gendan teksten";
  var discard = document.createElement("button");
  discard.type = "button";
  discard.className = "button button--secondary";
  discard.textContent = "Kassér den";
  var buttons = document.createElement("div");
  buttons.className = "actions";
  buttons.appendChild(restore);
  buttons.appendChild(discard);
  box.appendChild(title);
  box.appendChild(text);
  box.appendChild(buttons);
  form.parentNode.insertBefore(box, form);

  restore.addEventListener("click", function () {
    var byName = {};
    kept.fields.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    Object.keys(byName).forEach(function (name) {
      var values = byName[name];
      var controls = form.querySelectorAll("[name=\"" + name.replace(/["\\]/g, "") + "\"]");
      var i = 0;
      Array.prototype.forEach.call(controls, function (control) {
        if (control.type === "radio" || control.type === "checkbox") {
          control.checked = values.indexOf(control.value) !== -1;
        } else if (control.type !== "submit") {
          control.value = i < values.length ? values[i] : "";
          i += 1;
        }
      });
    });
    form.dispatchEvent(new CustomEvent("editor:restored"));
    var bodyField = form.querySelector("#body");
    if (bodyField) {
      bodyField.dispatchEvent(new Event("input", { bubbles: true }));
    }
    box.remove();
    form.querySelector("#title").focus();
  });
  discard.addEventListener("click", function () {
    storage.removeItem(found);
    box.remove();
    form.querySelector("#title").focus();
  });
})();
