// Tongxin's service worker: shows pushed alerts and missing-person notices, and opens
// the page they point to when tapped. The payload is the server's PushMessage JSON:
// {title, body, url, tag}.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

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
