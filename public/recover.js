// When the page's code fails to arrive (offline, a weak signal, or a new release while
// the page was open and the old files are gone), say so in words and offer to reload,
// instead of leaving a page whose buttons do nothing. Loaded before the app's own code,
// from this site (the page's CSP allows 'self'); no dependencies.
(function () {
  "use strict";
  var shown = false;
  // The link tapped last and when: a page whose code failed to arrive after a tap
  // reloads to where the tap was going, not to the page it came from.
  var tapped = null;
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    if (a && a.origin === location.origin) tapped = { href: a.href, at: Date.now() };
  }, true);
  var texts = {
    zh: ["页面没有完整加载，按钮可能不起作用。", "重新加载"],
    en: ["The page did not load completely; its buttons may not work.", "Reload"],
  };
  function show() {
    if (shown || !document.body) return;
    shown = true;
    var t = (document.documentElement.lang || "zh").indexOf("en") === 0 ? texts.en : texts.zh;
    var box = document.createElement("div");
    box.className = "reload-notice";
    box.setAttribute("role", "alert");
    box.setAttribute("data-test", "reload-notice");
    var p = document.createElement("p");
    p.textContent = t[0];
    var b = document.createElement("button");
    b.type = "button";
    b.className = "primary";
    b.textContent = t[1];
    var dest = tapped && Date.now() - tapped.at < 30000 && tapped.href !== location.href ? tapped.href : null;
    b.addEventListener("click", function () {
      if (dest) location.assign(dest);
      else location.reload();
    });
    box.appendChild(p);
    box.appendChild(b);
    document.body.insertBefore(box, document.body.firstChild);
  }
  function hydrated() {
    return document.body && document.body.getAttribute("data-hydrated") === "1";
  }
  // A script, module, stylesheet or wasm file that failed to load (these events do not
  // bubble: listen while they pass down).
  window.addEventListener("error", function (e) {
    var el = e.target;
    if (el && el !== window && (el.tagName === "SCRIPT" || el.tagName === "LINK")) show();
    // A trap in the app's code before it came alive leaves it dead too, and so does a
    // trap at any time (a panic aborts the wasm, for example when a page's chunk could
    // not be fetched on a later tap): its buttons would do nothing from then on.
    else if (el === window && (!hydrated() || e.error instanceof WebAssembly.RuntimeError)) show();
  }, true);
  // A failed fetch or compile of the wasm, a chunk's import that failed, or the app's
  // start that threw.
  window.addEventListener("unhandledrejection", function (e) {
    var r = String((e.reason && (e.reason.message || e.reason)) || "");
    if (!hydrated() || e.reason instanceof WebAssembly.RuntimeError ||
        /import|module|WebAssembly|wasm|fetch/i.test(r)) show();
  });
})();
