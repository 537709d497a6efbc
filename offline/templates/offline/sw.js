// Desk Pilkada service worker: officer pages open offline once opened online, the lists the officer has
// seen open offline as last seen (with their age), any other page shows the app's offline page, and a form
// posted while the network fails is kept on the phone (outbox.js) instead of being lost.
"use strict";
const CONFIG = {{ config|safe }};
const STATIC_CACHE = "desk-static-" + CONFIG.version;
const PAGE_CACHE = "desk-pages";
importScripts(CONFIG.outbox);

// A copy to keep, stamped with the moment it was saved (shown on the page when the copy is served offline).
function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Desk-Saved-At", String(Date.now()));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: headers });
}

// One of the officer's pages fetched now and kept (best effort: offline, or signed out, the old copy stays).
function keepPage(cache, page) {
  return fetch(page).then((response) => {
    if (response.ok && !response.redirected) { return cache.put(page, stamped(response)); }
    return null;
  }).catch(() => null);
}

// The officer's pages, fetched once now so that each opens offline even if not visited yet.
function cachePages() {
  return caches.open(PAGE_CACHE).then((cache) => Promise.all(CONFIG.pages.concat(CONFIG.prefetch)
    .map((page) => keepPage(cache, page))));
}

// While the officer is online, the kept pages older than CONFIG.refreshAfter (ms) are fetched again: a form
// kept weeks before voting day (its election, its starting counts) is today's when the signal goes.
function refreshPages() {
  return caches.open(PAGE_CACHE).then((cache) => Promise.all(CONFIG.pages.concat(CONFIG.prefetch)
    .map((page) => cache.match(page).then((hit) => {
      const savedAt = hit ? Number(hit.headers.get("X-Desk-Saved-At")) : 0;
      return savedAt && Date.now() - savedAt < CONFIG.refreshAfter ? null : keepPage(cache, page);
    }))));
}

// The app's own page for a page never opened online, fetched without the session (it names no one) and kept
// with the static files, so it survives signing out.
function cacheOfflinePage() {
  return fetch(CONFIG.offline, { credentials: "omit" }).then((response) => {
    if (response.ok) { return caches.open(STATIC_CACHE).then((cache) => cache.put(CONFIG.offline, response)); }
    return null;
  }).catch(() => null);
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(CONFIG.assets))
    .then(() => Promise.all([cachePages(), cacheOfflinePage()])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith("desk-static-") && name !== STATIC_CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

// The app's offline page (kept at install); a bare one if even that was never saved. Status 200: the page is
// the answer the phone can give (a 503 would only add an error to the console of every offline visit).
function offlinePage() {
  return caches.match(CONFIG.offline).then((hit) => {
    if (hit) {
      return hit.text().then((html) => new Response(html, { status: 200, headers: hit.headers }));
    }
    const links = CONFIG.pages.map((page) => "<li><a href='" + page + "'>" + page + "</a></li>").join("");
    const html = "<!doctype html><html lang=id><meta charset=utf-8><meta name=viewport content='width=device-width'>"
      + "<title>" + CONFIG.offlineTitle + "</title><body><h1>" + CONFIG.offlineTitle + "</h1><p>" + CONFIG.offlineText
      + "</p><ul>" + links + "</ul>";
    return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

// A kept page served offline: its <body> says when it was saved (desk.js shows the age).
function savedCopy(hit) {
  const savedAt = Number(hit.headers.get("X-Desk-Saved-At"));
  if (!savedAt || !(hit.headers.get("Content-Type") || "").startsWith("text/html")) { return hit; }
  return hit.text().then((html) => new Response(html.replace(/<body\b/, "<body data-saved-at=\"" + savedAt + "\""),
    { status: 200, headers: hit.headers }));
}

// Static files carry their content hash in the name: the cached copy is always right.
function cacheFirst(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

// Pages: the network's fresh copy when it answers, else the last copy this phone saw.
function networkFirst(request, key) {
  return fetch(request).then((response) => {
    if (response.ok && !response.redirected && response.type === "basic") {
      const copy = stamped(response.clone());
      caches.open(PAGE_CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  }).catch(() => caches.open(PAGE_CACHE).then((cache) => cache.match(key))
    .then((hit) => (hit ? savedCopy(hit) : offlinePage())));
}

// Any other page: the network, else the app's own offline page (never the browser's).
function networkOrOfflinePage(request) {
  return fetch(request).catch(offlinePage);
}

function sameOriginReferrer(request) {
  try {
    const referrer = new URL(request.referrer);
    if (referrer.origin === self.location.origin) { return referrer.pathname; }
  } catch (error) { /* no referrer */ }
  return CONFIG.pages[0];
}

// A form post the network did not carry: keep it in the outbox, then show the form page again.
function postOrKeep(request) {
  const copy = request.clone();
  return fetch(request).catch(() => copy.formData().then((data) => {
    const page = sameOriginReferrer(copy);
    return DeskOutbox.keep({ url: new URL(copy.url).pathname, page: page, data: data })
      .then((item) => Response.redirect(page + "?queued=" + item.id, 303));
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate"
      && CONFIG.posts.some((pattern) => new RegExp(pattern).test(url.pathname))) {
    event.respondWith(postOrKeep(request));
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" && CONFIG.pages.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (request.mode === "navigate" && CONFIG.lists.some((pattern) => new RegExp(pattern).test(url.pathname))) {
    // The lists the officer has seen, each filter and page its own copy.
    event.respondWith(networkFirst(request, url.pathname + url.search));
  } else if (request.mode === "navigate") {
    event.respondWith(networkOrOfflinePage(request));
  } else if (CONFIG.places.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname + url.search));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") { event.waitUntil(caches.delete(PAGE_CACHE)); }
  if (event.data === "refresh-pages") { event.waitUntil(refreshPages()); }
});
