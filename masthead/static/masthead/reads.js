// "Most read": tell the newsroom once that this story was read. The page is cached whole, so
// the count cannot come from rendering it; the beacon carries no cookie and no personal data.
// A page opened in a background tab (or prerendered) counts only once the reader looks at it.
(function () {
  "use strict";

  var article = document.querySelector("[data-read-beacon]");
  if (!article) return;
  var url = article.getAttribute("data-read-beacon");
  var sent = false;

  var send = function () {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    document.removeEventListener("visibilitychange", send);
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      fetch(url, { method: "POST", credentials: "omit", keepalive: true }).catch(function () {});
    }
  };

  send();
  if (!sent) document.addEventListener("visibilitychange", send);
})();
