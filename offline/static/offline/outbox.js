// The outbox: form posts kept on this phone (IndexedDB) until the server has them.
// Shared by the pages (desk.js) and the service worker (sw.js); no DOM here.
// An item: {id, user, url, page, fields: [[name, value]], key, state, keptAt, sentAt, resultUrl, message}.
// state: "pending" (kept, not sent yet), "sent", "refused" (the server said no; the draft is kept).
var DeskOutbox = (function () {
  "use strict";
  var DB = "desk-outbox";
  var STORE = "items";
  var KEEP_SENT_MS = 3 * 24 * 3600 * 1000;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function uuid() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  // `data` is the FormData of the post; its idempotency key makes a resend safe.
  function keep(entry) {
    var fields = [];
    entry.data.forEach(function (value, name) { fields.push([name, value]); });
    var key = entry.data.get("idempotency_key") || uuid();
    var item = {
      user: entry.user || null, url: entry.url, page: entry.page, fields: fields, key: String(key),
      state: "pending", keptAt: Date.now(), sentAt: null, resultUrl: null, message: "",
    };
    return run("readwrite", function (store) { return store.add(item); }).then(function (id) {
      item.id = id;
      return item;
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); });
  }

  function put(item) {
    return run("readwrite", function (store) { return store.put(item); });
  }

  function remove(id) {
    return run("readwrite", function (store) { return store.delete(id); });
  }

  function field(item, name) {
    for (var i = 0; i < item.fields.length; i++) {
      if (item.fields[i][0] === name) { return item.fields[i][1]; }
    }
    return "";
  }

  function refusalMessage(html) {
    var text = [];
    var summary = /<div[^>]*id="form-errors"[^>]*>([\s\S]*?)<\/div>/.exec(html);
    var chunk = summary ? summary[1] : html;
    var pattern = /<li[^>]*>([\s\S]*?)<\/li>|class="invalid-feedback[^"]*"[^>]*>([\s\S]*?)<\/(?:span|div|p)>/g;
    var match;
    while ((match = pattern.exec(chunk)) !== null) {
      var line = (match[1] || match[2] || "").replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
      if (line && text.indexOf(line) === -1) { text.push(line); }
    }
    return text.join(" · ");
  }

  // Files over the server's limit (set by the page: limits.bytes, and limits.text with {name}); the server
  // would refuse the whole item, so it is refused here at once and kept, file included, for "Perbaiki".
  var limits = { bytes: 0, text: "{name}" };

  function oversize(item) {
    if (!limits.bytes) { return []; }
    return item.fields.filter(function (pair) {
      return typeof pair[1] !== "string" && pair[1].size > limits.bytes;
    }).map(function (pair) { return pair[1].name || pair[0]; });
  }

  // Send one item; resolves with its new state. A network failure rejects (still offline).
  function send(item, csrfToken, loginPath) {
    var tooLarge = oversize(item);
    if (tooLarge.length) {
      item.state = "refused";
      item.message = tooLarge.map(function (name) { return limits.text.replace("{name}", name); }).join(" · ");
      return put(item).then(function () { return item; });
    }
    var body = new FormData();
    item.fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") { body.append(pair[0], pair[1]); }
    });
    body.append("csrfmiddlewaretoken", csrfToken);
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrfToken },
    }).then(function (response) {
      var landed = new URL(response.url).pathname;
      if (response.redirected && landed !== loginPath) {
        item.state = "sent"; item.sentAt = Date.now(); item.resultUrl = landed; item.message = "";
        return put(item).then(function () { return item; });
      }
      if (landed === loginPath || response.status >= 500) {
        // Signed out, or the server is down: keep it for the next try.
        return item;
      }
      return response.text().then(function (html) {
        item.state = "refused"; item.message = refusalMessage(html) || String(response.status);
        return put(item).then(function () { return item; });
      });
    });
  }

  var flushing = null;

  // Send every pending item of `user`, one after the other; stops at the first network failure.
  function flush(user, csrfToken, loginPath) {
    if (flushing) { return flushing; }
    flushing = all().then(function (items) {
      var now = Date.now();
      var chain = Promise.resolve();
      items.forEach(function (item) {
        if (item.state === "sent" && now - item.sentAt > KEEP_SENT_MS) {
          chain = chain.then(function () { return remove(item.id); });
        } else if (item.state === "pending" && item.user === user) {
          chain = chain.then(function () { return send(item, csrfToken, loginPath); });
        }
      });
      return chain;
    }).then(function () { flushing = null; }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  return { keep: keep, all: all, put: put, remove: remove, field: field, flush: flush, uuid: uuid, limits: limits };
})();
