// Progressive enhancement of the "Find en af kommunens andre hjemmesider" form:
// the website list narrows as soon as a topic is chosen. Without this script the
// form still works: submitting a topic reloads the page with the list narrowed.
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
})();
