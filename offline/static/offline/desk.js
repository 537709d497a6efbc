// Every page: the few behaviours Bootstrap's script did (collapse, dismissable alerts), a refused form's
// errors in view, and for officers the service worker and the outbox of posts kept on this phone.
(function () {
  "use strict";
  var body = document.body;

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-bs-toggle=collapse]");
    if (toggle) {
      var target = document.querySelector(toggle.dataset.bsTarget || toggle.getAttribute("href"));
      if (target) {
        event.preventDefault();
        var open = target.classList.toggle("show");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.classList.toggle("collapsed", !open);
      }
    }
    var dismiss = event.target.closest("[data-bs-dismiss=alert]");
    if (dismiss && dismiss.closest(".alert")) { dismiss.closest(".alert").remove(); }
  });

  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.scrollIntoView({ block: "start" });
    errors.focus();
  }

  document.querySelectorAll("form[data-forget-pages]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("forget-pages");
      }
    });
  });

  // A copy kept on the phone, served offline by the service worker: say when it was saved and how long ago.
  var savedCopy = document.getElementById("saved-copy");
  if (savedCopy && body.dataset.savedAt) {
    var savedAt = Number(body.dataset.savedAt);
    var showAge = function () {
      var minutes = Math.max(0, Math.floor((Date.now() - savedAt) / 60000));
      var age = minutes < 1 ? savedCopy.dataset.justNow
        : minutes < 60 ? savedCopy.dataset.minutes.replace("{n}", minutes)
          : minutes < 24 * 60 ? savedCopy.dataset.hours.replace("{n}", Math.floor(minutes / 60))
            : savedCopy.dataset.days.replace("{n}", Math.floor(minutes / 1440));
      savedCopy.textContent = savedCopy.dataset.text.replace("{time}", clock(savedAt)).replace("{age}", age);
      savedCopy.hidden = false;
    };
    showAge();
    setInterval(showAge, 60000);
  }

  var outbox = document.getElementById("outbox");
  if (!outbox || !window.indexedDB) { return; }
  var user = body.dataset.user;
  var loginPath = outbox.dataset.login;
  var text = outbox.dataset;
  var rounds = JSON.parse(text.rounds || "{}");
  DeskOutbox.limits.bytes = Number(text.maxFileBytes) || 0;
  DeskOutbox.limits.text = text.fileTooLarge || "{name}";

  if (navigator.serviceWorker && outbox.dataset.sw) {
    navigator.serviceWorker.register(outbox.dataset.sw, { scope: "/" }).catch(function () { /* no offline copy */ });
    // Online: the worker fetches again the kept pages that have grown old (it knows which).
    if (navigator.onLine && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("refresh-pages");
    }
  }

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function clock(ms) {
    var date = new Date(ms);
    return String(date.getHours()).padStart(2, "0") + "." + String(date.getMinutes()).padStart(2, "0");
  }

  function label(item) {
    if (item.url.indexOf("/reports/") === 0) {
      return text.report + " " + (DeskOutbox.field(item, "report_date") || "");
    }
    if (item.url.indexOf("/logistics/") === 0) {
      return text.receipt + ": " + DeskOutbox.field(item, "item") + " · " + DeskOutbox.field(item, "quantity_received");
    }
    var round = /^\/voting-day\/round\/([a-z]+)\/$/.exec(item.url);
    if (round) {
      return text.round.replace("{round}", rounds[round[1]] || round[1]);
    }
    return text.incident + ": " + String(DeskOutbox.field(item, "description")).slice(0, 60);
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function render(items) {
    var mine = items.filter(function (item) { return item.user === user; });
    var list = outbox.querySelector("ul");
    list.replaceChildren();
    mine.sort(function (a, b) { return b.keptAt - a.keptAt; }).forEach(function (item) {
      var row = element("li", "list-group-item px-0 outbox-item");
      row.dataset.state = item.state;
      row.append(element("div", "fw-semibold text-break", label(item)));
      var state = element("div", "small outbox-state");
      if (item.state === "pending") {
        state.textContent = text.pending;
        state.classList.add("text-warning-emphasis");
      } else if (item.state === "sent") {
        state.textContent = text.sent.replace("{time}", clock(item.sentAt)) + " ";
        state.classList.add("text-success-emphasis");
        var link = element("a", "", text.open);
        link.href = item.resultUrl;
        state.append(link);
      } else {
        state.textContent = text.refused + " " + item.message;
        state.classList.add("text-danger-emphasis");
        var actions = element("div", "d-flex gap-2 mt-1");
        var fix = element("a", "btn btn-sm btn-primary", text.fix);
        fix.href = item.page + "?draft=" + item.id;
        var drop = element("button", "btn btn-sm btn-outline-secondary", text.discard);
        drop.type = "button";
        drop.addEventListener("click", function () { DeskOutbox.remove(item.id).then(refresh); });
        actions.append(fix, drop);
        state.append(actions);
      }
      row.append(state);
      list.append(row);
    });
    outbox.hidden = mine.length === 0;
    var status = outbox.querySelector(".outbox-offline");
    status.hidden = navigator.onLine;
  }

  function refresh() { return DeskOutbox.all().then(render); }

  function flush() {
    if (!navigator.onLine) { return refresh(); }
    return DeskOutbox.flush(user, csrfToken(), loginPath).catch(function () { /* still offline */ }).then(refresh);
  }

  // Items the service worker kept do not know whose they are: the page it sent us back to does.
  function claim() {
    return DeskOutbox.all().then(function (items) {
      return Promise.all(items.filter(function (item) { return item.user === null; }).map(function (item) {
        item.user = user;
        return DeskOutbox.put(item);
      }));
    });
  }

  // Officer forms: a key per draft (a resend never stores twice), the phone's clock, and when the
  // phone knows it is offline, straight into the outbox.
  document.querySelectorAll("form[data-outbox]").forEach(function (form) {
    var key = DeskOutbox.uuid();
    form.addEventListener("submit", function (event) {
      var keyInput = form.querySelector("input[name=idempotency_key]");
      if (keyInput) { keyInput.value = key; }
      var composed = form.querySelector("input[name=composed_at]");
      if (composed) { composed.value = new Date().toISOString(); }
      var draft = form.dataset.draftId;
      if (draft) { DeskOutbox.remove(Number(draft)); }
      if (navigator.onLine) { return; }
      event.preventDefault();
      DeskOutbox.keep({ url: new URL(form.action, location.href).pathname, page: location.pathname,
                        data: new FormData(form), user: user }).then(function (item) {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          location.href = location.pathname + "?queued=" + item.id;
        } else {
          form.reset();
          refresh().then(function () { outbox.scrollIntoView(); });
        }
      });
    });
  });

  // "Perbaiki": the refused draft back in its form.
  var draftId = new URLSearchParams(location.search).get("draft");
  if (draftId) {
    DeskOutbox.all().then(function (items) {
      var item = items.filter(function (candidate) { return String(candidate.id) === draftId; })[0];
      if (!item) { return; }
      var form = document.querySelector("form[data-outbox][action='" + item.url + "']")
        || document.querySelector("form[data-outbox]");
      if (!form) { return; }
      form.dataset.draftId = item.id;
      // Its files too, checked again by the form (a refused one keeps the form from being saved).
      var files = {};
      item.fields.forEach(function (pair) {
        if (typeof pair[1] !== "string" && (pair[1].size || pair[1].name)) {
          (files[pair[0]] = files[pair[0]] || []).push(pair[1]);
        }
      });
      Object.keys(files).forEach(function (name) {
        form.querySelectorAll("input[type=file][name='" + name + "']").forEach(function (input) {
          var chosen = new DataTransfer();
          files[name].forEach(function (file) { chosen.items.add(file); });
          input.files = chosen.files;
          input.dispatchEvent(new Event("change"));
        });
      });
      item.fields.forEach(function (pair) {
        if (pair[0] === "csrfmiddlewaretoken" || pair[0] === "idempotency_key" || typeof pair[1] !== "string") { return; }
        form.querySelectorAll("[name='" + pair[0] + "']").forEach(function (input) {
          if (input.type === "checkbox" || input.type === "radio") {
            if (input.value === pair[1]) { input.checked = true; }
          } else if (input.type !== "file") {
            input.value = pair[1];
          }
        });
      });
      var collapse = form.closest(".collapse");
      if (collapse) { collapse.classList.add("show"); }
      form.scrollIntoView();
    });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", refresh);
  setInterval(flush, 20000);
  claim().then(flush);
})();
