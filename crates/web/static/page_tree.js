// The admin's tree of pages, enhanced: drag a page with the mouse, or with
// the keyboard (Space or Enter takes it, the arrow keys move it, Space or
// Enter puts it down, Escape puts it back), each step told in the live
// region. A page put down is moved by posting the same form as "Flyt til…"
// (parent_id, placering) to /admin/sider/{id}/flyt. Without this script the
// tree works with its buttons and forms.
(function () {
  "use strict";
  var tree = document.querySelector("[data-page-tree]");
  var status = document.querySelector("[data-page-tree-status]");
  var help = document.querySelector("[data-page-tree-help]");
  var csrf = document.querySelector("input[name=_csrf]");
  if (!tree || !status || !csrf || !window.fetch) {
    return;
  }
  if (help) {
    help.hidden = false;
  }

  function say(text) {
    status.textContent = text;
  }
  function title(item) {
    return "»" + item.getAttribute("data-title") + "«";
  }
  function parentItem(item) {
    var li = item.parentElement && item.parentElement.closest("li[data-page-id]");
    return li || null;
  }
  function siblings(item) {
    return Array.prototype.filter.call(item.parentElement.children, function (e) {
      return e.matches("li[data-page-id]");
    });
  }
  function where(item) {
    var parent = parentItem(item);
    var list = siblings(item);
    var place = list.indexOf(item) + 1;
    return "nummer " + place + " af " + list.length + (parent ? " under " + title(parent) : " på øverste niveau");
  }
  // The list of subpages of `item`, made (and shown) if it has none.
  function childList(item) {
    var details = item.querySelector(":scope > details");
    if (!details) {
      details = document.createElement("details");
      details.className = "page-tree__children";
      var summary = document.createElement("summary");
      summary.textContent = "Undersider";
      details.appendChild(summary);
      details.appendChild(document.createElement("ul"));
      item.appendChild(details);
    }
    details.open = true;
    return details.querySelector(":scope > ul");
  }

  var held = null; // { item, list, next } while a page is held by keyboard

  function post(item) {
    var parent = parentItem(item);
    var data = new URLSearchParams();
    data.set("_csrf", csrf.value);
    data.set("parent_id", parent ? parent.getAttribute("data-page-id") : "");
    data.set("placering", String(siblings(item).indexOf(item) + 1));
    var id = item.getAttribute("data-page-id");
    say(title(item) + " flyttes …");
    fetch("/admin/sider/" + id + "/flyt", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      if (response.ok && response.url.indexOf("flyttet=") !== -1) {
        window.location.assign(response.url);
      } else {
        say(title(item) + " kunne ikke flyttes her. Siden genindlæses.");
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    }, function () {
      say("Siden kunne ikke flyttes: der er ingen forbindelse til serveren.");
    });
  }

  function grab(item, handle) {
    held = { item: item, list: item.parentElement, next: item.nextElementSibling, handle: handle };
    item.classList.add("page-tree__item--held");
    handle.setAttribute("aria-pressed", "true");
    say(title(item) + " er taget, " + where(item) + ". Brug piletasterne til at flytte den, mellemrum eller Enter for at lægge den, Escape for at fortryde.");
  }
  function release(cancel) {
    var h = held;
    held = null;
    h.item.classList.remove("page-tree__item--held");
    h.handle.setAttribute("aria-pressed", "false");
    if (cancel) {
      h.list.insertBefore(h.item, h.next);
      h.handle.focus();
      say("Flytningen er fortrudt. " + title(h.item) + " ligger, hvor den lå.");
      return;
    }
    if (h.item.parentElement === h.list && h.item.nextElementSibling === h.next) {
      say(title(h.item) + " er lagt, hvor den lå. Intet er flyttet.");
      return;
    }
    post(h.item);
  }
  function step(key) {
    var item = held.item;
    var list = siblings(item);
    var i = list.indexOf(item);
    if (key === "ArrowUp" && i > 0) {
      item.parentElement.insertBefore(item, list[i - 1]);
    } else if (key === "ArrowDown" && i < list.length - 1) {
      item.parentElement.insertBefore(item, list[i + 1].nextElementSibling);
    } else if (key === "ArrowRight" && i > 0) {
      childList(list[i - 1]).appendChild(item);
    } else if (key === "ArrowLeft" && parentItem(item)) {
      var parent = parentItem(item);
      parent.parentElement.insertBefore(item, parent.nextElementSibling);
    } else {
      say("Den kan ikke flyttes længere den vej. " + title(item) + " er " + where(item) + ".");
      return;
    }
    held.handle.focus();
    say(title(item) + " er nu " + where(item) + ".");
  }

  Array.prototype.forEach.call(tree.querySelectorAll("li[data-page-id]"), function (item) {
    var row = item.querySelector(":scope > .page-tree__row");
    var handle = document.createElement("button");
    handle.type = "button";
    handle.className = "button button--secondary button--tool page-tree__handle";
    handle.setAttribute("aria-pressed", "false");
    handle.setAttribute("aria-describedby", "page-tree-help");
    handle.textContent = "Flyt";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + title(item);
    handle.appendChild(hidden);
    row.insertBefore(handle, row.firstChild);
    handle.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === " " || key === "Enter") {
        event.preventDefault();
        if (held && held.item === item) {
          release(false);
        } else if (!held) {
          grab(item, handle);
        }
      } else if (held && held.item === item && key === "Escape") {
        event.preventDefault();
        release(true);
      } else if (held && held.item === item && /^Arrow(Up|Down|Left|Right)$/.test(key)) {
        event.preventDefault();
        step(key);
      }
    });
    handle.addEventListener("click", function (event) {
      // A click that is not a key press (Enter and Space are handled above).
      if (event.detail === 0) {
        return;
      }
      say("Træk siden med musen, eller brug tastaturet: mellemrum tager den.");
    });
    handle.addEventListener("blur", function () {
      if (held && held.item === item && !item.contains(document.activeElement)) {
        window.setTimeout(function () {
          if (held && held.item === item && document.activeElement !== handle) {
            release(true);
          }
        }, 0);
      }
    });

    // The mouse: drop a page on another one's row to put it before that page.
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-page-id"));
      item.classList.add("page-tree__item--held");
      say(title(item) + " er taget. Slip den på en anden side for at lægge den før den.");
    });
    row.addEventListener("dragend", function () {
      item.classList.remove("page-tree__item--held");
    });
    row.addEventListener("dragover", function (event) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    });
    row.addEventListener("drop", function (event) {
      event.preventDefault();
      var id = event.dataTransfer.getData("text/plain");
      var moving = tree.querySelector("li[data-page-id='" + id.replace(/\D/g, "") + "']");
      if (!moving || moving === item || moving.contains(item)) {
        say("En side kan ikke lægges under sig selv.");
        return;
      }
      item.parentElement.insertBefore(moving, item);
      post(moving);
    });
  });

  // After a move the page's handle has the focus again.
  var moved = /[?&]flyttet=(\d+)/.exec(window.location.search);
  var again = moved && tree.querySelector("li[data-page-id='" + moved[1] + "'] .page-tree__handle");
  if (again) {
    again.focus();
  }
})();
