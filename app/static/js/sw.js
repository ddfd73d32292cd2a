/* Suivi's service worker: the item pages, My work and the app's own files stay readable
   without a connection. A page comes from the network when it answers (and a copy is kept on
   the device), from the kept copy when it does not. Logging out forgets every kept page. */
var CACHE = "suivi-pages-v1";
var PAGES = /^\/(items\/\d+|my-work)$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keep(request, response) {
  // Never a page that reports a post (a message, a confirmed draft): shown again it would lie.
  return response.clone().text().then(function (html) {
    if (html.indexOf("data-draft-sent") >= 0 || html.indexOf('class="flashes"') >= 0) { return; }
    return caches.open(CACHE).then(function (cache) {
      return cache.put(request, new Response(html, { headers: response.headers }));
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  var page = request.mode === "navigate" && PAGES.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (request.method !== "GET" || !(page || asset)) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      event.waitUntil(keep(request, response));
    }
    return response;
  }, function () {
    return caches.match(request, { ignoreVary: true }).then(function (kept) { return kept || Response.error(); });
  }));
});
