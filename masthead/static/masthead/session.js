/* The reader's part of a cached page.
 *
 * Public pages (stories, fronts, lists) are the same bytes for every reader, so one cached copy
 * serves everyone. When the browser holds the `masthead_signed_in` hint (set at sign-in, cleared
 * at sign-out) or `masthead_flash` (a message waits after signing out), this asks
 * /api/v1/me/page-state once and fills in the header's account links and the flash messages.
 * Other scripts (comments.js, appeal.js) wait for the same answer: `Masthead.session` is a
 * promise of it, or of null when there is nothing to ask. Everything is inserted as text.
 */
(function () {
  "use strict";

  var M = (window.Masthead = window.Masthead || {});
  M.session = window.Promise ? Promise.resolve(null) : null;

  var nav = document.querySelector("[data-account-nav]");
  // A personal page (the thread page, the profile) was rendered for this reader already.
  if (!window.fetch || !nav || nav.hasAttribute("data-signed-in")) return;

  function hasCookie(name) {
    return document.cookie.split(";").some(function (part) {
      return part.trim() === name + "=1";
    });
  }
  if (!hasCookie("masthead_signed_in") && !hasCookie("masthead_flash")) return;

  var url = "/api/v1/me/page-state";
  var section = document.querySelector('[data-part="comments"][data-article-id]');
  if (section && section.dataset.signedIn !== "true") {
    url += "?article=" + encodeURIComponent(section.dataset.articleId);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showMessages(messages) {
    var box = document.querySelector("[data-flash]");
    if (!box || !messages || !messages.length) return;
    var list = box.querySelector("ul") || box.appendChild(el("ul", "flash__list"));
    messages.forEach(function (message) {
      var level = /^[a-z]+$/.test(message.level) ? message.level : "info";
      list.appendChild(el("li", "flash__message flash__message--" + level, message.text));
    });
    box.hidden = false;
  }

  function showAccount(state) {
    while (nav.firstChild) nav.removeChild(nav.firstChild);
    var name = el("span", "account-nav__name", state.display_name);
    name.setAttribute("data-account-name", "");
    nav.appendChild(name);
    var profile = el("a", "", "Your profile");
    profile.href = state.profile_url;
    nav.appendChild(profile);
    var form = el("form", "account-nav__signout");
    form.method = "post";
    form.action = state.logout_url;
    var token = el("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = state.csrf_token;
    form.appendChild(token);
    var button = el("button", "link-button", "Sign out");
    button.type = "submit";
    form.appendChild(button);
    nav.appendChild(form);
    nav.setAttribute("data-session-signed-in", "");
  }

  M.session = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .catch(function () { return null; });

  M.session.then(function (state) {
    if (!state) return;
    showMessages(state.messages);
    if (state.signed_in) showAccount(state);
  });
})();
