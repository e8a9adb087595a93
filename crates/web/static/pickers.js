// The news editor's pickers, enhanced: one searchable list of contact persons
// (choose several, reorder, create a new one in place) and a link picker that
// inserts Markdown links to news and to the directory's websites. Without this
// script the form's own contact selects and the body's text work as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor]");
  if (!form) {
    return;
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }
  function button(text, className, label) {
    var b = element("button", className || "button button--secondary button--tool", text);
    b.type = "button";
    if (label) {
      b.setAttribute("aria-label", label);
    }
    return b;
  }
  // A polite live region: what a button did, for screen readers.
  function liveRegion(id) {
    var live = element("p", "visually-hidden");
    live.id = id;
    live.setAttribute("aria-live", "polite");
    return live;
  }
  function say(live, text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  // A search field named `id`, labelled by `label`, that controls the
  // result list `resultsId`.
  function searchInput(label, id, resultsId) {
    label.setAttribute("for", id);
    var input = element("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", resultsId);
    return input;
  }
  // Runs `run` once typing in `search` pauses for `delay` ms. Enter chooses
  // the first result button instead of sending the form; `settle`, if given,
  // first brings the results up to date with what was typed.
  function searchAsYouType(search, results, run, delay, settle) {
    var timer = null;
    search.addEventListener("input", function () {
      if (timer) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(run, delay);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") {
        return;
      }
      event.preventDefault();
      if (settle) {
        settle();
      }
      var first = results.querySelector("button");
      if (first) {
        first.click();
      }
    });
  }
  function matches(text, query) {
    return text.toLowerCase().indexOf(query.toLowerCase()) !== -1;
  }

  // Contact persons. The form's selects stay the truth (and are sent): the
  // picker shows and changes what they hold.
  (function contacts() {
    var fieldset = form.querySelector("[data-contacts]");
    var slots = fieldset && fieldset.querySelector("[data-contact-slots]");
    if (!slots) {
      return;
    }
    var selects = Array.prototype.slice.call(slots.querySelectorAll("select"));
    if (!selects.length) {
      return;
    }
    var people = Array.prototype.slice.call(selects[0].options)
      .filter(function (o) { return o.value !== ""; })
      .map(function (o) { return { id: o.value, label: o.textContent }; });
    function label(id) {
      var person = people.filter(function (p) { return p.id === id; })[0];
      return person ? person.label : id;
    }
    function chosen() {
      return selects.map(function (s) { return s.value; }).filter(function (v) { return v !== ""; });
    }
    function store(ids) {
      selects.forEach(function (s, i) { s.value = i < ids.length ? ids[i] : ""; });
      form.dispatchEvent(new CustomEvent("editor:changed"));
    }

    slots.hidden = true;
    var picker = element("div", "contact-picker");
    var list = element("ol", "contact-picker__chosen");
    list.setAttribute("aria-label", "Valgte kontaktpersoner");
    var none = element("p", "hint", "Ingen kontaktpersoner valgt.");
    var searchField = element("div", "field");
    var searchLabel = element("label", "", "Find og tilføj kontaktperson");
    var search = searchInput(searchLabel, "contact-search", "contact-results");
    search.setAttribute("aria-describedby", "contact-search-hint");
    var searchHint = element("p", "hint", "Skriv en del af navnet eller stillingen, og vælg i listen herunder.");
    searchHint.id = "contact-search-hint";
    var results = element("ul", "contact-picker__results");
    results.id = "contact-results";
    results.setAttribute("aria-label", "Kontaktpersoner, der passer");
    var live = liveRegion("contact-live");
    searchField.appendChild(searchLabel);
    searchField.appendChild(searchHint);
    searchField.appendChild(search);
    picker.appendChild(none);
    picker.appendChild(list);
    picker.appendChild(searchField);
    picker.appendChild(results);
    picker.appendChild(live);
    slots.parentNode.insertBefore(picker, slots);

    function renderChosen(focus) {
      var ids = chosen();
      list.textContent = "";
      none.hidden = ids.length > 0;
      ids.forEach(function (id, i) {
        var name = label(id);
        var item = element("li", "contact-picker__item");
        item.appendChild(element("span", "contact-picker__name", name));
        var up = button("Op", null, "Flyt " + name + " op");
        var down = button("Ned", null, "Flyt " + name + " ned");
        var remove = button("Fjern", null, "Fjern " + name);
        up.disabled = i === 0;
        down.disabled = i === ids.length - 1;
        up.addEventListener("click", function () { move(i, -1, "op"); });
        down.addEventListener("click", function () { move(i, 1, "ned"); });
        remove.addEventListener("click", function () {
          var rest = chosen();
          rest.splice(i, 1);
          store(rest);
          renderChosen();
          renderResults();
          say(live, name + " er fjernet.");
          search.focus();
        });
        item.appendChild(up);
        item.appendChild(down);
        item.appendChild(remove);
        list.appendChild(item);
        if (focus && focus.index === i) {
          var target = focus.which === "op" ? up : down;
          (target.disabled ? (focus.which === "op" ? down : up) : target).focus();
        }
      });
    }
    function move(i, by, which) {
      var ids = chosen();
      var j = i + by;
      if (j < 0 || j >= ids.length) {
        return;
      }
      var moved = ids[i];
      ids[i] = ids[j];
      ids[j] = moved;
      store(ids);
      renderChosen({ index: j, which: which });
      say(live, label(moved) + " er flyttet " + which + " til nummer " + (j + 1) + ".");
    }
    function add(id) {
      var ids = chosen();
      if (ids.length >= selects.length) {
        say(live, "Der kan højst vælges " + selects.length + " kontaktpersoner.");
        return;
      }
      ids.push(id);
      store(ids);
      search.value = "";
      renderChosen();
      renderResults();
      say(live, label(id) + " er tilføjet som nummer " + ids.length + ".");
      search.focus();
    }
    function createNew(name) {
      var newName = form.querySelector("#new_name");
      var next = form.querySelector("#new_job_title");
      if (!newName) {
        return;
      }
      newName.value = name;
      newName.dispatchEvent(new Event("input", { bubbles: true }));
      say(live, "Udfyld resten af den nye kontaktperson.");
      (next || newName).focus();
    }
    function renderResults() {
      var query = search.value.trim();
      results.textContent = "";
      if (!query) {
        return;
      }
      var ids = chosen();
      var found = people.filter(function (p) {
        return ids.indexOf(p.id) === -1 && matches(p.label, query);
      }).slice(0, 8);
      found.forEach(function (p) {
        var item = element("li");
        var add1 = button("Tilføj " + p.label, "button button--secondary contact-picker__add");
        add1.addEventListener("click", function () { add(p.id); });
        item.appendChild(add1);
        results.appendChild(item);
      });
      var exact = people.some(function (p) { return p.label.toLowerCase() === query.toLowerCase(); });
      if (!exact) {
        var item = element("li");
        var create = button("Opret »" + query + "« som ny kontaktperson", "button button--secondary contact-picker__add");
        create.addEventListener("click", function () { createNew(query); });
        item.appendChild(create);
        results.appendChild(item);
      }
      say(live, found.length === 1 ? "1 kontaktperson passer." : found.length + " kontaktpersoner passer.");
    }
    // Enter in the search field adds the first match rather than sending the form.
    searchAsYouType(search, results, renderResults, 150, renderResults);
    form.addEventListener("editor:restored", function () { renderChosen(); renderResults(); });
    renderChosen();
  })();

  // Link picker: finds news and websites (GET /admin/links, the session's
  // cookie) and inserts a Markdown link at the body's cursor.
  (function links() {
    var body = form.querySelector("#body");
    var toolbar = form.querySelector(".toolbar");
    if (!body || !toolbar || !window.fetch) {
      return;
    }
    var open = button("Link til nyhed eller hjemmeside");
    open.setAttribute("aria-expanded", "false");
    open.setAttribute("aria-controls", "link-picker");
    toolbar.appendChild(open);
    var panel = element("div", "link-picker");
    panel.id = "link-picker";
    panel.hidden = true;
    var field = element("div", "field");
    var searchLabel = element("label", "", "Find en nyhed eller en hjemmeside at linke til");
    var search = searchInput(searchLabel, "link-search", "link-results");
    var results = element("ul", "link-picker__results");
    results.id = "link-results";
    results.setAttribute("aria-label", "Sider, der passer");
    var close = button("Luk");
    var live = liveRegion("link-live");
    field.appendChild(searchLabel);
    field.appendChild(search);
    panel.appendChild(field);
    panel.appendChild(results);
    panel.appendChild(close);
    panel.appendChild(live);
    toolbar.parentNode.insertBefore(panel, body);

    // Where the link goes in: the body's selection when the picker opened.
    var start = 0;
    var end = 0;
    function show(visible) {
      panel.hidden = !visible;
      open.setAttribute("aria-expanded", visible ? "true" : "false");
      if (visible) {
        start = body.selectionStart;
        end = body.selectionEnd;
        search.focus();
        search.select();
        find();
      } else {
        open.focus();
      }
    }
    open.addEventListener("click", function () { show(panel.hidden); });
    close.addEventListener("click", function () { show(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        show(false);
      }
    });

    function insert(link) {
      var text = body.value.slice(start, end) || link.title;
      var url = link.url.replace(/[ ()<>]/g, function (c) {
        return "%" + c.charCodeAt(0).toString(16).toUpperCase();
      });
      var markdown = "[" + text.replace(/[[\]]/g, "") + "](" + url + ")";
      body.value = body.value.slice(0, start) + markdown + body.value.slice(end);
      var at = start + markdown.length;
      panel.hidden = true;
      open.setAttribute("aria-expanded", "false");
      body.focus();
      body.setSelectionRange(at, at);
      body.dispatchEvent(new Event("input", { bubbles: true }));
      say(live, "Link til " + link.title + " er indsat.");
    }
    var asked = 0;
    function find() {
      asked += 1;
      var mine = asked;
      fetch("/admin/links?q=" + encodeURIComponent(search.value.trim()), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error(String(response.status));
        }
        return response.json();
      }).then(function (found) {
        if (mine !== asked) {
          return;
        }
        results.textContent = "";
        found.forEach(function (link) {
          var item = element("li");
          var words = link.kind + ": " + link.title + (link.note ? " (" + link.note + ")" : "");
          var choose = button(words, "button button--secondary link-picker__choose");
          choose.addEventListener("click", function () { insert(link); });
          item.appendChild(choose);
          results.appendChild(item);
        });
        say(live, found.length === 0 ? "Ingen sider passer." : found.length + " sider passer.");
      }).catch(function () {
        results.textContent = "";
        say(live, "Listen kunne ikke hentes. Er du stadig logget ind?");
      });
    }
    searchAsYouType(search, results, find, 200, null);
  })();
})();
