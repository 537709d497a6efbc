// Desk Pilkada service worker: officer pages open offline once opened online, and a form
// posted while the network fails is kept on the phone (outbox.js) instead of being lost.
"use strict";
const CONFIG = {{ config|safe }};
const STATIC_CACHE = "desk-static-" + CONFIG.version;
const PAGE_CACHE = "desk-pages";
importScripts(CONFIG.outbox);

// The officer's pages, fetched once now so that each opens offline even if not visited yet (best effort).
function cachePages() {
  return caches.open(PAGE_CACHE).then((cache) => Promise.all(CONFIG.pages.map((page) => fetch(page).then((response) => {
    if (response.ok && !response.redirected) { return cache.put(page, response); }
    return null;
  }).catch(() => null))));
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(CONFIG.assets))
    .then(cachePages).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith("desk-static-") && name !== STATIC_CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

function offlinePage() {
  const html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
    + "<title>" + CONFIG.offlineTitle + "</title><body><h1>" + CONFIG.offlineTitle + "</h1><p>" + CONFIG.offlineText + "</p>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
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
      const copy = response.clone();
      caches.open(PAGE_CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  }).catch(() => caches.open(PAGE_CACHE).then((cache) => cache.match(key)).then((hit) => hit || offlinePage()));
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
  } else if (url.pathname === CONFIG.places) {
    event.respondWith(networkFirst(request, url.pathname + url.search));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") { event.waitUntil(caches.delete(PAGE_CACHE)); }
});
