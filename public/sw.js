// Tongxin's service worker: keeps the app and the report form for use with no signal,
// sends the outbox (forms made offline, see outbox.js) when the connection returns,
// shows pushed alerts and missing-person notices, and opens the page they point to
// when tapped. The push payload is the server's PushMessage JSON: {title, body, url, tag}.
importScripts("/outbox.js");

const CACHE = "tongxin-offline-v1";
// Pages kept for offline use (each refreshed whenever it is opened online).
const PAGES = ["/", "/report"];

// The code and style a page needs: the bundle named in its HTML, and the chunks of
// the area the report form lives in (from the build's split manifest).
async function bundleOf(html) {
  const m = /\/(pkg\/[0-9a-f]+)\/tongxin\.css/.exec(html);
  if (!m) return [];
  const dir = "/" + m[1] + "/";
  const urls = ["tongxin.css", "tongxin.js", "tongxin_bg.wasm", "__wasm_split.______________________.js"]
    .map((f) => dir + f);
  try {
    const manifest = await (await fetch(dir + "__wasm_split_manifest.json")).json();
    for (const [area, chunks] of Object.entries(manifest)) {
      if (area.startsWith("ticket_area_")) chunks.forEach((c) => urls.push(dir + c + ".wasm"));
    }
  } catch (_) {}
  return urls;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const page of PAGES) {
      try {
        const r = await fetch(page, { credentials: "same-origin" });
        if (!r.ok) continue;
        const html = await r.clone().text();
        await cache.put(page, r);
        for (const u of await bundleOf(html)) {
          if (!(await cache.match(u))) await cache.add(u).catch(() => {});
        }
      } catch (_) {}
    }
    // The map's own code (its tiles are not kept: the form works without them).
    await cache.addAll(["/favicon.svg", "/recover.js", "/outbox.js", "/manifest.webmanifest",
      "/leaflet/leaflet.css", "/leaflet/leaflet.js"]).catch(() => {});
    await self.skipWaiting();
  })());
});
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  await self.clients.claim();
  // Bundles of older releases go.
  const cache = await caches.open(CACHE);
  const html = await cache.match("/report").then((r) => (r ? r.text() : ""));
  const keep = /\/pkg\/([0-9a-f]+)\//.exec(html);
  if (keep) {
    for (const req of await cache.keys()) {
      const p = new URL(req.url).pathname;
      if (p.startsWith("/pkg/") && !p.startsWith("/pkg/" + keep[1] + "/")) await cache.delete(req);
    }
  }
})()));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    // The network first; with no signal, the page as last seen, else the report form.
    event.respondWith((async () => {
      try {
        const r = await fetch(req);
        if (r.ok && PAGES.includes(url.pathname) && !url.search) {
          const cache = await caches.open(CACHE);
          await cache.put(url.pathname, r.clone());
        }
        return r;
      } catch (e) {
        const cache = await caches.open(CACHE);
        return (await cache.match(url.pathname)) || (await cache.match("/report")) || Response.error();
      }
    })());
    return;
  }
  // Hashed bundles never change: the cache first, kept once fetched.
  if (url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/leaflet/")) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(req);
      if (hit) return hit;
      const r = await fetch(req);
      if (r.ok) await cache.put(req, r.clone());
      return r;
    })());
    return;
  }
  if (["/favicon.svg", "/recover.js", "/outbox.js", "/grids.geojson"].includes(url.pathname)) {
    event.respondWith((async () => {
      try {
        const r = await fetch(req);
        if (r.ok) await (await caches.open(CACHE)).put(req, r.clone());
        return r;
      } catch (e) {
        return (await caches.match(req)) || Response.error();
      }
    })());
  }
});

// Background Sync: the connection is back (the page may be closed).
self.addEventListener("sync", (event) => {
  if (event.tag === self.tongxinOutbox.TAG) {
    event.waitUntil(self.tongxinOutbox.flush().then((left) => {
      // Still waiting: the browser tries the sync again later.
      if (left > 0) throw new Error("still waiting");
    }));
  }
});

self.addEventListener("push", (event) => {
  let m = { title: "同心", body: "", url: "/alerts", tag: "tongxin" };
  try {
    if (event.data) m = Object.assign(m, event.data.json());
  } catch (_) {
    if (event.data) m.body = event.data.text();
  }
  event.waitUntil(
    self.registration.showNotification(m.title, {
      body: m.body,
      tag: m.tag,
      data: { url: m.url },
      icon: "/favicon.svg",
      badge: "/favicon.svg",
      requireInteraction: true,
      vibrate: [400, 200, 400, 200, 400],
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/alerts", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((list) => {
      for (const c of list) {
        if (c.url === url && "focus" in c) return c.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
