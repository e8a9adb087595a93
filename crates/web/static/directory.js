// Progressive enhancement of "Find en af kommunens andre hjemmesider": the
// form's website list narrows as soon as a topic is chosen, and on
// /hjemmesider a field filters the list of websites as one types. Without
// this script the form still works: submitting a topic reloads the page with
// the list narrowed.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-directory]");
  Array.prototype.forEach.call(forms, function (form) {
    var topic = form.querySelector("select[name=emne]");
    var website = form.querySelector("select[name=hjemmeside]");
    var status = form.querySelector("[data-directory-status]");
    var all;
    try {
      all = JSON.parse(form.getAttribute("data-websites") || "[]");
    } catch (e) {
      return;
    }
    if (!topic || !website || !Array.isArray(all)) {
      return;
    }
    var placeholder = website.options[0] ? website.options[0].cloneNode(true) : null;

    function refill() {
      var chosen = topic.value;
      var previous = website.value;
      var shown = all.filter(function (w) {
        return chosen === "" || w.topics.indexOf(chosen) !== -1;
      });
      while (website.options.length > 0) {
        website.remove(0);
      }
      if (placeholder) {
        website.add(placeholder.cloneNode(true));
      }
      shown.forEach(function (w) {
        var option = new Option(w.name, String(w.id));
        if (String(w.id) === previous) {
          option.selected = true;
        }
        website.add(option);
      });
      if (status) {
        var label = topic.options[topic.selectedIndex] ? topic.options[topic.selectedIndex].text : "";
        status.textContent = shown.length + (shown.length === 1 ? " hjemmeside" : " hjemmesider") +
          (chosen === "" ? " i alt." : " under " + label + ".");
      }
    }

    // The list now narrows by itself, so the no-script "show" button is not needed.
    var narrow = form.querySelector("[data-directory-narrow]");
    if (narrow) {
      narrow.hidden = true;
    }
    topic.addEventListener("change", refill);
    refill();
    if (status) {
      status.textContent = "";
    }
  });

  // An error summary (the form was sent without a website) takes the focus,
  // so it is read first and its link leads on to the field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Type to filter the list of websites on /hjemmesider. The field is in the
  // page but hidden: without this script the selects are the way to choose.
  var search = document.querySelector("[data-directory-search]");
  if (!search) {
    return;
  }
  var input = search.querySelector("input");
  var announce = search.querySelector("[data-directory-search-status]");
  var groups = document.querySelectorAll("[data-directory-group]");
  var timer = null;

  function fold(text) {
    return text.toLocaleLowerCase("da").replace(/\s+/g, " ").trim();
  }

  function filter() {
    var wanted = fold(input.value);
    var sites = {};
    Array.prototype.forEach.call(groups, function (group) {
      var visible = 0;
      var items = group.querySelectorAll("[data-directory-item]");
      Array.prototype.forEach.call(items, function (item) {
        var match = wanted === "" || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) {
          visible += 1;
          sites[item.querySelector("a").href] = true;
        }
      });
      group.hidden = wanted !== "" && visible === 0;
    });
    var count = Object.keys(sites).length;
    // Announced once the reader pauses, not at every key.
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (wanted === "") {
        announce.textContent = "";
      } else if (count === 0) {
        announce.textContent = "Ingen hjemmesider passer på ”" + input.value.trim() + "”.";
      } else {
        announce.textContent = (count === 1 ? "1 hjemmeside passer" : count + " hjemmesider passer") +
          " på ”" + input.value.trim() + "”.";
      }
    }, 400);
  }

  search.hidden = false;
  input.addEventListener("input", filter);
})();
