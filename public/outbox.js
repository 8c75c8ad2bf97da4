// Tongxin's outbox: reports (and other forms with photos) made with no connection are
// kept on the phone in IndexedDB — the form's fields, its photos (already shrunk on the
// phone) and its idempotency key — and sent by themselves when the connection returns:
// by Background Sync where the browser has it (the service worker, even with the page
// closed), otherwise on the page's `online` event and the next time the app is opened.
// The server keeps the first request with a given key, so a report is never created
// twice however often it is sent. Runs in pages and in the service worker (`sw.js`
// imports it); no dependencies.
(function (scope) {
  "use strict";
  var DB = "tongxin", STORE = "outbox", TAG = "tongxin-outbox";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var out = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(out && "result" in out ? out.result : out); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function all() { return tx("readonly", function (s) { return s.getAll(); }); }

  // Tells open pages (and their badges) what is waiting now.
  function announce() {
    return all().then(function (items) {
      var list = items.map(function (i) {
        return { key: i.key, label: i.label, at: i.at, error: i.error || "" };
      });
      if (scope.document) {
        scope.dispatchEvent(new CustomEvent("tongxin-outbox", { detail: list }));
      } else if (scope.clients) {
        scope.clients.matchAll({ type: "window" }).then(function (cs) {
          cs.forEach(function (c) { c.postMessage({ outbox: list }); });
        });
      }
      return list;
    });
  }

  var sending = null;

  // Sends everything waiting, oldest first; stops at the first lost connection.
  // Answers how many are still waiting.
  function flush() {
    if (sending) return sending;
    sending = all().then(function (items) {
      items.sort(function (a, b) { return a.at - b.at; });
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) return false;
          var init = { method: "POST", credentials: "same-origin" };
          if (item.json !== undefined) {
            // A server function's JSON arguments (a work-log entry, an alert answer).
            init.body = item.json;
            init.headers = { "content-type": "application/json" };
          } else {
            var form = new FormData();
            item.fields.forEach(function (f) { form.append(f[0], f[1]); });
            item.photos.forEach(function (b, i) { form.append("photo", b, "photo" + i + ".jpg"); });
            init.body = form;
          }
          return fetch(item.url, init).then(
            function (r) {
              if (r.ok) return tx("readwrite", function (s) { s.delete(item.key); }).then(function () { return true; });
              // Signed out: it waits for the next sign-in. The server refused it for
              // good otherwise: it stays, with the server's words, for the person to see.
              return r.text().then(function (body) {
                item.error = r.status === 401 ? "" : body.slice(0, 300);
                return tx("readwrite", function (s) { s.put(item); }).then(function () { return r.status !== 401; });
              });
            },
            function () { return false; }
          );
        });
      });
      return chain;
    }).then(announce, announce).then(function (list) {
      sending = null;
      // Waiting to be sent (those the server refused wait for the person instead).
      return list.filter(function (i) { return !i.error; }).length;
    }, function () { sending = null; return 0; });
    return sending;
  }

  // Keeps a form to send later; answers how many are waiting.
  function put(url, fields, photos, label) {
    var key = (fields.filter(function (f) { return f[0] === "idempotency_key"; })[0] || [])[1] ||
      String(Date.now()) + Math.random();
    return keep({ key: key, url: url, fields: fields, photos: photos, label: label, at: Date.now() });
  }

  // Keeps a server function's JSON call to send later, under `key` (its idempotency
  // key, or what makes a repeat harmless: a second answer to one alert replaces the
  // first); answers how many are waiting.
  function putJson(url, json, key, label) {
    return keep({ key: key, url: url, json: json, label: label, at: Date.now() });
  }

  function keep(item) {
    return tx("readwrite", function (s) { s.put(item); }).then(function () {
      if (scope.navigator && scope.navigator.serviceWorker && scope.ServiceWorkerRegistration &&
          "sync" in scope.ServiceWorkerRegistration.prototype) {
        scope.navigator.serviceWorker.ready.then(function (reg) {
          return reg.sync.register(TAG);
        }).catch(function () {});
      }
      return announce();
    }).then(function (list) { return list.length; });
  }

  var api = {
    put: put,
    putJson: putJson,
    flush: flush,
    list: announce,
    // Whether the browser sends with the page closed (Background Sync).
    background: !!(scope.ServiceWorkerRegistration && "sync" in scope.ServiceWorkerRegistration.prototype),
    TAG: TAG,
  };
  scope.tongxinOutbox = api;

  if (scope.document) {
    // Pages: the service worker keeps the app and the report form for offline use;
    // waiting forms go when the connection returns, and when the app is opened.
    if (scope.navigator.serviceWorker) {
      scope.navigator.serviceWorker.register("/sw.js").catch(function () {});
      scope.navigator.serviceWorker.addEventListener("message", function (e) {
        if (e.data && e.data.outbox) {
          scope.dispatchEvent(new CustomEvent("tongxin-outbox", { detail: e.data.outbox }));
        }
      });
    }
    scope.addEventListener("online", function () { flush(); });
    if (scope.navigator.onLine) flush();
  }
})(self);
