/* Reporting a comment in a dialog, on top of the page that works without JavaScript.
 *
 * "Report" is a link to /comments/<id>/report/. With this file it opens that page's form in
 * a <dialog> instead; sending it posts the same form and shows the thank-you in the dialog.
 * Anything unexpected (signed out, an old browser, a network error) falls back to the link.
 */
(function () {
  "use strict";

  if (!window.fetch || !window.DOMParser || typeof HTMLDialogElement !== "function") return;

  var dialog = null;
  var opener = null;

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "report-dialog";
    dialog.setAttribute("aria-labelledby", "report-dialog-title");
    dialog.addEventListener("close", function () {
      dialog.innerHTML = "";
      if (opener) opener.focus();
    });
    dialog.addEventListener("click", function (event) {
      var target = event.target;
      if (target === dialog || target.closest("[data-report-cancel], [data-report-close]")) {
        event.preventDefault();
        dialog.close();
      }
    });
    dialog.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-report-form]");
      if (!form) return;
      event.preventDefault();
      send(form);
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function closeButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button report-dialog__close";
    button.setAttribute("data-report-close", "");
    button.textContent = "Close";
    return button;
  }

  /* Show the useful part of a report page (the form, an error or the thank-you). */
  function show(doc) {
    var page = doc.querySelector("[data-report-page]") || doc.querySelector(".report-page");
    if (!page) return false;
    var box = ensureDialog();
    box.innerHTML = "";
    var title = document.createElement("h2");
    title.id = "report-dialog-title";
    var heading = page.querySelector("h1");
    title.textContent = heading ? heading.textContent : "Report a comment";
    box.appendChild(title);
    Array.prototype.forEach.call(page.children, function (child) {
      if (child.tagName === "H1") return;
      if (child.querySelector && child.querySelector("a") && child.textContent.trim() === "Back to the story") return;
      box.appendChild(document.importNode(child, true));
    });
    box.appendChild(closeButton());
    if (!box.open) box.showModal();
    var focus = box.querySelector("[data-report-error], [data-report-result]") ||
      box.querySelector("input[type=radio]:checked, input[type=radio]");
    if (focus) focus.focus();
    return true;
  }

  function open(link) {
    opener = link;
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected && response.url.indexOf("/report/") === -1) throw new Error("sign in");
        return response.text();
      })
      .then(function (html) {
        if (!show(parse(html))) throw new Error("unexpected page");
      })
      .catch(function () { window.location.href = link.href; });
  }

  function send(form) {
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      body: new FormData(form),
      headers: { Accept: "text/html" },
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (!show(parse(html))) throw new Error("unexpected page");
      })
      .catch(function () {
        if (button) button.disabled = false;
        form.submit();
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[data-action="report"]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) return;
    event.preventDefault();
    open(link);
  });
})();
