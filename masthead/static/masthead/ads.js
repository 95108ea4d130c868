// Ad slots. The server sends every running house ad of a slot (the page is cached whole), the
// first one showing; here one is chosen at random, and its impression is counted once it is at
// least half on screen (once per ad per page view). Provider slots (Google Ad Manager) load the
// provider's script, from an origin the Content-Security-Policy allows, and define the slot
// from its data attributes: no inline script anywhere.
(function () {
  "use strict";

  var send = function (url) {
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      fetch(url, { method: "POST", credentials: "omit", keepalive: true }).catch(function () {});
    }
  };

  // House ads: rotate, then count what readers actually see.
  var shown = [];
  document.querySelectorAll('[data-part="ad-slot"]').forEach(function (slot) {
    var ads = slot.querySelectorAll("[data-ad-id]");
    if (!ads.length) return;
    var pick = Math.floor(Math.random() * ads.length);
    ads.forEach(function (ad, index) { ad.hidden = index !== pick; });
    shown.push(ads[pick]);
  });

  if (shown.length && "IntersectionObserver" in window) {
    var counted = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var ad = entry.target;
        observer.unobserve(ad);
        if (counted[ad.dataset.adId]) return;
        counted[ad.dataset.adId] = true;
        send(ad.dataset.adImpression);
      });
    }, { threshold: 0.5 });
    shown.forEach(function (ad) { observer.observe(ad); });
  }

  // Provider slots.
  var slots = document.querySelectorAll('[data-ad-provider="gpt"]');
  if (!slots.length) return;
  var sizes = function (text) {
    return text.split(",").map(function (size) {
      var parts = size.split("x");
      return [Number(parts[0]), Number(parts[1])];
    });
  };
  window.googletag = window.googletag || { cmd: [] };
  var script = document.createElement("script");
  script.src = slots[0].dataset.adScript;
  script.async = true;
  document.head.appendChild(script);
  window.googletag.cmd.push(function () {
    var googletag = window.googletag;
    slots.forEach(function (element) {
      var slot = googletag.defineSlot(element.dataset.adUnit, sizes(element.dataset.adSizes), element.id);
      if (slot) slot.addService(googletag.pubads());
    });
    googletag.pubads().enableSingleRequest();
    googletag.enableServices();
    slots.forEach(function (element) { googletag.display(element.id); });
  });
})();
