/* The moderation desk, keyboard first.
 *
 * Without this file every action is a form that posts and comes back to the queue. With it:
 * - j/k move between comments, a approves, r rejects (for the reason shown), b opens the ban
 *   form, x selects for a bulk decision, u undoes your last decision, o opens the comment's
 *   page, / searches, ? shows the shortcuts;
 * - decisions go through the desk API at once and the comment leaves the queue;
 * - every few seconds the desk asks which of the shown comments someone else has decided,
 *   and takes them away, so no comment is worked twice.
 * No inline script, no framework, no build.
 */
(function () {
  "use strict";

  var API = "/api/v1/moderation";
  var desk = document.querySelector("[data-desk]");
  if (!desk || !window.fetch) return;

  var list = desk.querySelector("[data-desk-queue]");
  var queueName = list ? list.dataset.deskQueue : null;
  var pollMs = list ? Math.max(250, parseInt(list.dataset.pollMs, 10) || 3000) : 0;
  var announcer = desk.querySelector("[data-desk-announce]");
  var help = document.getElementById("desk-help");
  var helpButton = desk.querySelector("[data-desk-help-open]");
  var emptyNote = desk.querySelector("[data-desk-empty]");
  var bulkForm = desk.querySelector("[data-bulk]");
  var current = -1;
  var lastDecided = null; // {id, node, next} for undo
  var csrfToken = null;

  // --- Helpers --------------------------------------------------------------------------

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  function getCsrf() {
    if (csrfToken) return Promise.resolve(csrfToken);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) { csrfToken = field.value; return Promise.resolve(csrfToken); }
    return fetch("/api/v1/csrf", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { csrfToken = data.csrf_token; return csrfToken; });
  }

  function api(method, url, body) {
    return getCsrf().then(function (token) {
      var options = {
        method: method,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, Accept: "application/json" },
      };
      if (body !== undefined) {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
      return fetch(url, options).then(function (response) {
        return response.text().then(function (text) {
          var data = {};
          try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {}; }
          if (!response.ok) {
            var error = new Error(data.message || "Something went wrong. Please try again.");
            error.status = response.status;
            error.code = data.error;
            throw error;
          }
          return data;
        });
      });
    });
  }

  function items() {
    return list ? Array.prototype.slice.call(list.querySelectorAll("[data-desk-item]")) : [];
  }

  function itemById(id) {
    return list ? list.querySelector('[data-desk-item][data-comment-id="' + id + '"]') : null;
  }

  function setStatus(item, text) {
    var box = item.querySelector("[data-item-status]");
    if (box) box.textContent = text;
  }

  function setCurrent(index, focus) {
    var all = items();
    if (!all.length) { current = -1; return; }
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (node, i) { node.classList.toggle("is-current", i === index); });
    current = index;
    if (focus !== false) {
      all[index].focus({ preventScroll: true });
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function currentItem() {
    var all = items();
    if (current < 0 && all.length) setCurrent(0, false);
    return all[current] || null;
  }

  function bumpCount(delta) {
    if (!queueName) return;
    var badge = desk.querySelector('[data-count="' + queueName + '"]');
    if (!badge) return;
    var n = parseInt(badge.textContent.replace(/[^0-9]/g, ""), 10);
    if (isNaN(n) || /\+/.test(badge.textContent)) return;
    badge.textContent = String(Math.max(0, n + delta));
  }

  function checkEmpty() {
    if (emptyNote) emptyNote.hidden = items().length > 0;
    if (bulkForm && !items().length) bulkForm.hidden = true;
    updateBulkCount();
  }

  // Take an item out of the queue; keep where it was, so an undo can put it back.
  function removeItem(item) {
    var all = items();
    var index = all.indexOf(item);
    var place = { node: item, next: item.nextElementSibling };
    var hadFocus = item.contains(document.activeElement) || index === current;
    item.remove();
    bumpCount(-1);
    checkEmpty();
    if (items().length) {
      setCurrent(index >= current ? Math.min(current, items().length - 1) : current - 1, hadFocus);
    } else {
      current = -1;
    }
    return place;
  }

  // --- Decisions ------------------------------------------------------------------------

  var DONE = { approve: "Approved", reject: "Rejected", ban: "Rejected and banned" };

  function decide(item, payload) {
    if (!item || item.dataset.busy) return;
    var id = item.dataset.commentId;
    payload.seen = item.dataset.seen || null;
    item.dataset.busy = "true";
    item.classList.add("is-busy");
    setStatus(item, "Saving…");
    api("POST", API + "/comments/" + id + "/decision", payload)
      .then(function () {
        var place = removeItem(item);
        lastDecided = { id: id, node: place.node, next: place.next };
        announce(DONE[payload.action] + ". Press u to undo.");
      })
      .catch(function (error) {
        delete item.dataset.busy;
        item.classList.remove("is-busy");
        setStatus(item, error.message);
        if (error.status === 409 && error.code === "already_decided") {
          item.classList.add("is-gone");
          announce(error.message);
          window.setTimeout(function () { if (item.isConnected) removeItem(item); }, 1500);
        }
      });
  }

  function payloadFrom(form) {
    var data = new FormData(form);
    var action = data.get("action");
    var payload = { action: action, reason: data.get("reason") || "" };
    if (action === "ban") {
      var days = data.get("ban_days");
      payload.ban_days = days === "permanent" ? null : parseInt(days, 10);
      payload.message = data.get("message") || "";
    }
    return payload;
  }

  function undo() {
    if (!lastDecided) { announce("Nothing to undo."); return; }
    var done = lastDecided;
    lastDecided = null;
    api("POST", API + "/comments/" + done.id + "/undo")
      .then(function (result) {
        var node = done.node;
        node.dataset.seen = result.status + "|" + (result.decided_at || "");
        delete node.dataset.busy;
        node.classList.remove("is-busy", "is-gone");
        setStatus(node, "Decision undone.");
        if (done.next && done.next.isConnected) list.insertBefore(node, done.next);
        else list.appendChild(node);
        bumpCount(1);
        checkEmpty();
        setCurrent(items().indexOf(node));
        announce("Undone: the comment is back in the queue.");
      })
      .catch(function (error) { lastDecided = done; announce(error.message); });
  }

  function approveCurrent() {
    var item = currentItem();
    if (!item) return;
    if (!item.querySelector('[data-decision="approve"]')) {
      announce("Nothing to approve: this comment is published and nothing is open against it.");
      return;
    }
    decide(item, { action: "approve" });
  }

  function rejectCurrent() {
    var item = currentItem();
    if (!item) return;
    var select = item.querySelector('[data-decision="reject"] select[name=reason]');
    decide(item, { action: "reject", reason: select ? select.value : "" });
  }

  function openBan() {
    var item = currentItem();
    if (!item) return;
    var details = item.querySelector("[data-ban]");
    if (!details) return;
    details.open = true;
    var days = details.querySelector("[data-ban-days]");
    if (days) days.focus();
  }

  function toggleSelect() {
    var item = currentItem();
    if (!item) return;
    var box = item.querySelector("[data-select]");
    if (box) { box.checked = !box.checked; item.classList.toggle("is-selected", box.checked); }
    updateBulkCount();
  }

  function selectedIds() {
    return items()
      .filter(function (node) { var box = node.querySelector("[data-select]"); return box && box.checked; })
      .map(function (node) { return parseInt(node.dataset.commentId, 10); });
  }

  function updateBulkCount() {
    if (!bulkForm) return;
    var counter = bulkForm.querySelector("[data-bulk-count]");
    var n = selectedIds().length;
    if (counter) counter.textContent = "(" + n + " selected)";
  }

  function bulk(action) {
    var ids = selectedIds();
    if (!ids.length) { announce("Select some comments first: x selects the current one."); return; }
    var reason = bulkForm.querySelector("select[name=reason]");
    var seen = {};
    ids.forEach(function (id) { var node = itemById(id); if (node) seen[id] = node.dataset.seen || ""; });
    api("POST", API + "/decisions", { ids: ids, action: action, reason: reason ? reason.value : "", seen: seen })
      .then(function (result) {
        result.done.forEach(function (id) { var node = itemById(id); if (node) removeItem(node); });
        result.already_decided.forEach(function (entry) {
          var node = itemById(entry.id);
          if (node) removeItem(node);
        });
        result.failed.forEach(function (entry) {
          var node = itemById(entry.id);
          if (node) setStatus(node, entry.message);
        });
        lastDecided = null;
        var text = (action === "approve" ? "Approved " : "Rejected ") + result.done.length + ".";
        if (result.already_decided.length) text += " " + result.already_decided.length + " already decided by others.";
        announce(text);
      })
      .catch(function (error) { announce(error.message); });
  }

  // --- Live: take away what others decided -----------------------------------------------

  function poll() {
    if (document.hidden || !queueName) return;
    var ids = items().filter(function (n) { return !n.dataset.busy; })
      .map(function (n) { return n.dataset.commentId; });
    if (!ids.length) return;
    fetch(API + "/queues/" + queueName + "/gone?ids=" + ids.join(","), {
      credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        data.gone.forEach(function (entry) {
          var node = itemById(entry.id);
          if (!node || node.dataset.busy) return;
          removeItem(node);
          if (lastDecided && String(lastDecided.id) === String(entry.id)) return;
          announce("Comment " + entry.id + " was decided by " + (entry.by || "another moderator") + ".");
        });
      })
      .catch(function () { /* try again next time */ });
  }

  // --- Wiring -------------------------------------------------------------------------------

  if (list) {
    list.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-decision]");
      if (!form) return;
      event.preventDefault();
      decide(form.closest("[data-desk-item]"), payloadFrom(form));
    });
    list.addEventListener("focusin", function (event) {
      var item = event.target.closest("[data-desk-item]");
      if (item) {
        var index = items().indexOf(item);
        if (index !== current) setCurrent(index, false);
      }
    });
    list.addEventListener("change", function (event) {
      if (event.target.matches("[data-select]")) {
        var item = event.target.closest("[data-desk-item]");
        if (item) item.classList.toggle("is-selected", event.target.checked);
        updateBulkCount();
      }
    });
    if (bulkForm) {
      bulkForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var action = event.submitter ? event.submitter.value : "approve";
        bulk(action);
      });
    }
    if (items().length) setCurrent(0, false);
    updateBulkCount();
    window.setInterval(poll, pollMs);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  }

  if (help && helpButton && typeof help.showModal === "function") {
    helpButton.hidden = false;
    helpButton.addEventListener("click", function () { help.showModal(); });
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (help && help.open) return; // the dialog handles Escape itself
    if (typing(event.target)) {
      if (event.key === "Escape") {
        var details = event.target.closest("details[open]");
        if (details) { details.open = false; var item = details.closest("[data-desk-item]"); if (item) item.focus(); }
        else event.target.blur();
      }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "?":
        if (help && typeof help.showModal === "function") help.showModal();
        break;
      case "/":
        var search = desk.querySelector("[data-search]");
        if (search) search.focus(); else handled = false;
        break;
      case "j": if (list) setCurrent(current + 1); else handled = false; break;
      case "k": if (list) setCurrent(current - 1); else handled = false; break;
      case "a": if (list) approveCurrent(); else handled = false; break;
      case "r": if (list) rejectCurrent(); else handled = false; break;
      case "b": if (list) openBan(); else handled = false; break;
      case "x": if (list) toggleSelect(); else handled = false; break;
      case "u": if (list) undo(); else handled = false; break;
      case "o":
        var open = currentItem() && currentItem().querySelector("[data-open]");
        if (open) window.location.href = open.href; else handled = false;
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
