// The contribution appeal on article pages. The server sends the same block to everyone, so the
// page can be cached; here, in the reader's own browser:
// - "Not now" hides it for the number of days the newsroom chose (kept in localStorage);
// - a signed-in monthly supporter sees a thank-you instead (from session.js's page state).
(function () {
  "use strict";

  var KEY = "masthead.appeal.hiddenUntil";
  var blocks = document.querySelectorAll("[data-appeal]");
  if (!blocks.length) return;

  var hiddenUntil = function () {
    try { return Number(window.localStorage.getItem(KEY)) || 0; } catch (e) { return 0; }
  };
  var remove = function () {
    blocks.forEach(function (block) { block.remove(); });
  };

  if (hiddenUntil() > Date.now()) {
    remove();
    return;
  }

  blocks.forEach(function (block) {
    var button = block.querySelector("[data-appeal-dismiss]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var days = Number(block.dataset.appealDays) || 14;
      try { window.localStorage.setItem(KEY, String(Date.now() + days * 86400000)); } catch (e) { /* private mode */ }
      remove();
    });
  });

  // Only a signed-in reader can be a supporter; session.js asks the server once for the
  // reader's part of the page (supporter state included) when the browser is signed in.
  var session = window.Masthead && window.Masthead.session;
  if (!session) return;
  session
    .then(function (data) {
      if (!data || !data.supporter) return;
      blocks.forEach(function (block) {
        var thanks = block.querySelector("[data-appeal-thanks]");
        var ask = block.querySelector("[data-appeal-ask]");
        if (!thanks || !ask) return;
        ask.replaceWith(thanks.content.cloneNode(true));
        block.classList.add("appeal--thanks");
        block.removeAttribute("aria-labelledby");
        block.setAttribute("aria-label", "Thank you");
      });
    })
    .catch(function () { /* the appeal simply stays */ });
})();
