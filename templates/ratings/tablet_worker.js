/* The tablet's pages offline: a service worker for {{ scope }} (issue #15).
 *
 * A reload while the network is gone used to show the browser's error page, and the client
 * could neither finish nor hand the tablet back. Now each tablet page (the form, the thank-you,
 * the helper's unlock page) is kept here as it was last drawn, with the form's script and
 * stylesheet, and shown when the network fails. Online, the server always answers first, so
 * nothing here is ever staler than the network.
 *
 * Answers are not kept here: the page's outbox (localStorage) keeps them and sends them, and the
 * server stores each submission key once. A kept page is shown for at most the hand-over's own
 * time (TABLET_HANDOVER_HOURS) and is dropped when the helper takes the tablet back.
 */
"use strict";

var PAGES = "tablet-pages";
var ASSETS = "tablet-assets-{{ version }}";
var SCOPE = "{{ scope }}";
var FORM = "{{ form }}";
var THANKS = "{{ thanks }}";
var UNLOCK = "{{ unlock }}";
var ASSET_URLS = [{% for url in assets %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var MAX_AGE_MS = {{ max_age_ms }};
var KEPT_AT = "X-Tablet-Kept-At";

/* Keep a page as the server drew it for this tablet, if it drew the page itself (a redirect,
   say to the login, is not kept). A copy, so it can be shown for a navigation later. */
function keepPage(cache, path, response) {
  if (!response.ok || response.type !== "basic" || response.redirected) {
    return Promise.resolve();
  }
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(KEPT_AT, String(Date.now()));
    return cache.put(path, new Response(body, {status: 200, headers: headers}));
  });
}

function fetchAndKeep(path) {
  return fetch(path, {credentials: "same-origin", redirect: "manual"}).then(function (response) {
    return caches.open(PAGES).then(function (cache) { return keepPage(cache, path, response); });
  }).catch(function () { /* offline now: what is kept stays */ });
}

function keptPage(path) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(path).then(function (found) {
      if (found || path !== THANKS) { return found; }
      return cache.match(FORM);  /* the form knows whether its answer waits on the device */
    });
  }).then(function (found) {
    var kept = found ? Number(found.headers.get(KEPT_AT)) : 0;
    return found && Date.now() - kept < MAX_AGE_MS ? found : Response.error();
  });
}

function forget() {
  return caches.delete(PAGES);
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS)
      .then(function (cache) { return cache.addAll(ASSET_URLS); })
      .then(function () { return fetchAndKeep(FORM); })  /* one request at a time, as a page would */
      .then(function () { return fetchAndKeep(UNLOCK); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("tablet-assets-") === 0 && name !== ASSETS;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function page(event, path) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (path === UNLOCK && response.type === "opaqueredirect") {
      /* Unlocked with the PIN, or the helper has logged in again: the tablet is theirs. */
      event.waitUntil(forget());
    } else if (request.method === "GET") {
      var formShown = path === FORM && response.ok;
      event.waitUntil(caches.open(PAGES).then(function (cache) {
        return keepPage(cache, path, response.clone());
      }).then(function () {
        /* The way to hand the tablet back must open offline too. */
        return formShown ? fetchAndKeep(UNLOCK) : null;
      }));
    }
    return response;
  }).catch(function () {
    /* Offline. After a post (the PIN, the language, the comment) the page it was sent from. */
    var sentFrom = path === UNLOCK || path === THANKS ? path : FORM;
    return keptPage(request.method === "GET" ? path : sentFrom);
  });
}

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (url.origin !== self.location.origin) { return; }
  if (event.request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0) {
    event.respondWith(page(event, url.pathname));
  } else if (event.request.method === "GET" && ASSET_URLS.indexOf(url.pathname) >= 0) {
    event.respondWith(fetch(event.request).catch(function () {
      return caches.match(url.pathname, {cacheName: ASSETS}).then(function (found) {
        return found || Response.error();
      });
    }));
  } else {
    /* The answers the page sends: straight to the server, never kept here. Sent from here, not
       left to the browser, so they meet the same network as the pages (and an emulated one in
       the tests: a request left to the browser there could slip past the offline switch). */
    event.respondWith(fetch(event.request));
  }
});
