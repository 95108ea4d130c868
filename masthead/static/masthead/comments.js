/* "Your Voice": progressive enhancement of the comments section.
 *
 * The story page is cached and the same for every reader: its section is the public one.
 * Without this file, readers comment on the thread page (/comments/<id>/), where every form
 * posts and lands back. With it:
 * - a signed-in reader gets their part of the story's section from session.js's page state
 *   (the form, likes, edit/delete/feature, their comments awaiting review, a suspension notice);
 * - signed-in readers post, reply and like without a reload (the JSON API, session + CSRF);
 * - every reader sees "N new comments" appear while the tab is visible and can insert them.
 * Data comes from data-* attributes and JSON; text goes in as text, and the only HTML inserted
 * is the server's own (sanitised comment bodies, comments rendered by the thread's template).
 * No inline script, no framework, no build.
 */
(function () {
  "use strict";

  var section = document.querySelector('[data-part="comments"][data-article-id]');
  if (!section || !window.fetch) return;

  var API = "/api/v1";
  var articleId = section.dataset.articleId;
  // The thread page is rendered for the signed-in reader; the story page is not.
  var serverSignedIn = section.dataset.signedIn === "true";
  var pollMs = Math.max(250, parseInt(section.dataset.pollMs, 10) || 5000);
  var knownCount = parseInt(section.dataset.commentCount, 10) || 0;
  var knownVersion = null;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var list = section.querySelector("[data-thread]");
  var countEl = section.querySelector('[data-part="comment-count"]');
  var newButton = section.querySelector("[data-new-comments]");
  var csrfToken = null;

  // --- Helpers --------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function getCsrf() {
    if (csrfToken) return Promise.resolve(csrfToken);
    return fetch(API + "/csrf", { credentials: "same-origin" })
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
            throw error;
          }
          return data;
        });
      });
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function setCount(n) {
    knownCount = n;
    if (countEl) countEl.textContent = plural(n, "comment");
  }

  function showError(form, message) {
    var box = form.querySelector("[data-js-error]");
    if (!box) {
      box = el("p", "form-error");
      box.setAttribute("role", "alert");
      box.setAttribute("data-js-error", "");
      box.id = "js-error-" + Math.random().toString(36).slice(2);
      var textarea = form.querySelector("textarea");
      form.insertBefore(box, textarea || form.firstChild);
      if (textarea) textarea.setAttribute("aria-describedby", (textarea.getAttribute("aria-describedby") || "") + " " + box.id);
    }
    box.textContent = message;
  }

  function clearError(form) {
    var box = form.querySelector("[data-js-error]");
    if (box) box.textContent = "";
  }

  function highlight(node) {
    if (!reduceMotion) {
      node.classList.add("comment--new");
      window.setTimeout(function () { node.classList.remove("comment--new"); }, 2500);
    }
  }

  function focusComment(node) {
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
  }

  // --- Building a comment from the API --------------------------------------------------

  function buildComment(data, own) {
    var li = el("li", "comment comment--depth-" + depthOf(data));
    li.id = "comment-" + data.id;
    li.tabIndex = -1;
    li.setAttribute("data-part", "comment");
    li.dataset.commentId = data.id;
    li.dataset.depth = depthOf(data);
    if (data.status === "pending") li.classList.add("comment--pending");

    var meta = el("p", "comment__meta");
    meta.appendChild(el("span", "comment__author", data.author));
    if (data.badges.indexOf("staff") !== -1) meta.appendChild(el("span", "badge badge--staff", "Staff"));
    if (data.status === "pending") meta.appendChild(el("span", "badge badge--pending", "Awaiting review"));
    if (data.in_reply_to) meta.appendChild(el("span", "comment__reply-to", "in reply to " + data.in_reply_to));
    var link = el("a", "comment__time");
    link.href = "#comment-" + data.id;
    var time = el("time", "", new Date(data.created_at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }));
    time.setAttribute("datetime", data.created_at);
    link.appendChild(time);
    meta.appendChild(link);
    var edited = el("span", "comment__edited", "edited");
    edited.setAttribute("data-edited", "");
    edited.hidden = !data.edited;
    meta.appendChild(edited);
    li.appendChild(meta);

    var body = el("div", "comment__body");
    body.setAttribute("data-body", "");
    body.innerHTML = data.body_html; // sanitised on the server when the comment was written
    li.appendChild(body);

    var actions = el("ul", "comment__actions");
    var likes = el("li", "comment__likes");
    var count = el("span", "", String(data.like_count));
    count.setAttribute("data-like-count", "");
    likes.appendChild(count);
    likes.appendChild(document.createTextNode(data.like_count === 1 ? " like" : " likes"));
    actions.appendChild(likes);
    if (data.status === "published" && section.querySelector("#comment-form, [data-action=reply]")) {
      var replyItem = el("li");
      var reply = el("a", "", "Reply");
      reply.href = "/comments/" + articleId + "/?reply_to=" + data.id + "#reply-" + data.id;
      reply.setAttribute("data-action", "reply");
      reply.dataset.commentId = data.id;
      reply.dataset.author = data.author;
      replyItem.appendChild(reply);
      actions.appendChild(replyItem);
    }
    if (data.status === "published" && !own) {
      var reportItem = el("li");
      var report = el("a", "", "Report");
      report.href = "/comments/" + data.id + "/report/";
      report.rel = "nofollow";
      report.setAttribute("data-part", "report");
      report.setAttribute("data-action", "report");
      report.dataset.commentId = data.id;
      report.appendChild(el("span", "visually-hidden", " comment by " + data.author));
      reportItem.appendChild(report);
      actions.appendChild(reportItem);
    }
    li.appendChild(actions);
    return li;
  }

  function depthOf(data) {
    if (!data.parent_id) return 0;
    var parent = document.getElementById("comment-" + data.parent_id);
    return parent ? Math.min(2, parseInt(parent.dataset.depth, 10) + 1) : 1;
  }

  function repliesOf(parent) {
    var replies = parent.querySelector(":scope > .comment__replies");
    if (!replies) {
      replies = el("ol", "comment__replies");
      parent.appendChild(replies);
    }
    return replies;
  }

  /* Put a comment where the server would: top-level ones first (newest), replies last under
   * their parent. Returns the element, or null when its parent is not on this page. */
  function place(data, own) {
    if (document.getElementById("comment-" + data.id)) return null;
    var node = buildComment(data, own);
    if (!data.parent_id) {
      if (!list) return null;
      list.insertBefore(node, list.firstChild);
    } else {
      var parent = document.getElementById("comment-" + data.parent_id);
      if (!parent) return null;
      repliesOf(parent).appendChild(node);
    }
    var empty = section.querySelector(".comments__empty");
    if (empty) empty.hidden = true;
    return node;
  }

  function fetchComments(ids) {
    return getJSON(API + "/comments?ids=" + ids.join(","));
  }

  // --- Posting and replying (signed-in readers) -----------------------------------------

  function onSubmitPost(form) {
    var textarea = form.querySelector("textarea");
    var parentInput = form.querySelector('input[name="parent_id"]');
    var button = form.querySelector('button[type="submit"]');
    var payload = { body: textarea.value };
    if (parentInput) payload.parent_id = parseInt(parentInput.value, 10);
    clearError(form);
    button.disabled = true;
    api("POST", API + "/articles/" + articleId + "/comments", payload)
      .then(function (created) {
        if (created.status === "published") setCount(knownCount + 1);
        return fetchComments([created.id]).then(function (items) {
          textarea.value = "";
          var node = items.length ? place(items[0], true) : null;
          if (parentInput && form.dataset.inline === "true") form.remove();
          if (node) {
            highlight(node);
            focusComment(node);
          }
          announce(created.status === "published"
            ? "Your comment is published."
            : created.status === "rejected"
              ? "Your comment was not published: our automatic checks found it breaks our community guidelines. We've emailed you the reason and how to appeal."
              : "Thanks! Your comment will appear once our team has checked it.");
        });
      })
      .catch(function (error) {
        showError(form, error.message);
        textarea.focus();
      })
      .then(function () { button.disabled = false; });
  }

  function announce(message) {
    var status = section.querySelector("[data-js-status]");
    if (!status) {
      status = el("p", "message message--success");
      status.setAttribute("role", "status");
      status.setAttribute("data-js-status", "");
      var form = section.querySelector("#comment-form");
      section.insertBefore(status, form || list);
    }
    status.textContent = message;
  }

  function openReplyForm(link) {
    var id = link.dataset.commentId;
    var comment = document.getElementById("comment-" + id);
    var existing = document.getElementById("reply-" + id);
    if (existing) {
      existing.querySelector("textarea").focus();
      return;
    }
    var main = section.querySelector("#comment-form");
    if (!main || !comment) {
      window.location.href = link.href;
      return;
    }
    var form = main.cloneNode(true);
    form.id = "reply-" + id;
    form.dataset.inline = "true";
    form.classList.add("comment-form--reply");
    var oldError = form.querySelector(".form-error");
    if (oldError) oldError.remove();
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "parent_id";
    hidden.value = id;
    form.appendChild(hidden);
    var textarea = form.querySelector("textarea");
    textarea.id = "body-" + id;
    textarea.value = "";
    textarea.rows = 3;
    var hint = form.querySelector(".comment-form__hint");
    if (hint) hint.id = "hint-" + id;
    textarea.setAttribute("aria-describedby", "hint-" + id);
    var label = form.querySelector("label");
    label.htmlFor = textarea.id;
    label.textContent = "Your reply to " + (link.dataset.author || "this comment");
    form.querySelector('button[type="submit"]').textContent = "Post reply";
    var cancel = el("button", "link-button", "Cancel");
    cancel.type = "button";
    cancel.addEventListener("click", function () {
      form.remove();
      link.focus();
    });
    form.appendChild(cancel);
    var actions = comment.querySelector(":scope > .comment__actions");
    comment.insertBefore(form, actions ? actions.nextSibling : null);
    textarea.focus();
  }

  // --- Liking ---------------------------------------------------------------------------

  function setLiked(form, liked, count) {
    var id = form.dataset.commentId;
    form.dataset.liked = liked ? "true" : "false";
    form.action = "/comments/c/" + id + (liked ? "/unlike" : "/like");
    form.querySelector("button").textContent = liked ? "Unlike" : "Like";
    var comment = document.getElementById("comment-" + id);
    updateLikes(comment, count);
  }

  function updateLikes(comment, count) {
    var holder = comment && comment.querySelector(":scope > .comment__actions .comment__likes");
    if (!holder) return;
    holder.textContent = "";
    var span = el("span", "", String(count));
    span.setAttribute("data-like-count", "");
    holder.appendChild(span);
    holder.appendChild(document.createTextNode(count === 1 ? " like" : " likes"));
  }

  function onSubmitLike(form) {
    var liked = form.dataset.liked === "true";
    var button = form.querySelector("button");
    button.disabled = true;
    api(liked ? "DELETE" : "POST", API + "/comments/" + form.dataset.commentId + "/reactions")
      .then(function (data) { setLiked(form, data.liked, data.like_count); })
      .catch(function (error) { showError(form, error.message); })
      .then(function () { button.disabled = false; button.focus(); });
  }

  // --- The signed-in reader's part of a public section -----------------------------------

  function contains(list, id) {
    return list.indexOf(parseInt(id, 10)) !== -1;
  }

  function hiddenInput(name, value) {
    var input = el("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  function postForm(action, label, fields) {
    var form = el("form");
    form.method = "post";
    form.action = action;
    form.appendChild(hiddenInput("csrfmiddlewaretoken", csrfToken));
    form.appendChild(hiddenInput("next", window.location.pathname));
    Object.keys(fields || {}).forEach(function (name) {
      form.appendChild(hiddenInput(name, fields[name]));
    });
    var button = el("button", "link-button", label);
    button.type = "submit";
    form.appendChild(button);
    return form;
  }

  function fromServerHtml(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html; // rendered (and escaped) by the thread's own template
    return holder.content.firstElementChild;
  }

  function placeOwn(item) {
    var node = fromServerHtml(item.html);
    if (!node) return;
    node.setAttribute("data-own", "");
    var existing = document.getElementById("comment-" + item.id);
    if (existing) {
      var replies = existing.querySelector(":scope > .comment__replies");
      if (replies) node.appendChild(replies);
      existing.replaceWith(node);
    } else if (item.parent_id) {
      var parent = document.getElementById("comment-" + item.parent_id);
      if (!parent) return;
      repliesOf(parent).appendChild(node);
    } else if (list) {
      list.insertBefore(node, list.firstChild);
    } else {
      return;
    }
    var empty = section.querySelector(".comments__empty");
    if (empty) empty.hidden = true;
  }

  function addActions(node, state) {
    var actions = node.querySelector(":scope > .comment__actions");
    if (!actions || node.hasAttribute("data-own")) return;
    var id = node.dataset.commentId;
    var own = contains(state.own_ids, id);
    var published = !["comment--pending", "comment--hidden", "comment--deleted", "comment--removed"]
      .some(function (name) { return node.classList.contains(name); });
    var report = actions.querySelector('[data-action="report"]');
    var reportItem = report ? report.closest("li") : null;
    function add(child) {
      var item = el("li");
      item.appendChild(child);
      actions.insertBefore(item, reportItem);
    }
    if (own && reportItem) {
      reportItem.remove();
      reportItem = null;
    }
    if (!own && published) {
      var liked = contains(state.liked_ids, id);
      var like = postForm("/comments/c/" + id + (liked ? "/unlike" : "/like"), liked ? "Unlike" : "Like");
      like.setAttribute("data-action", "like");
      like.dataset.liked = liked ? "true" : "false";
      like.dataset.commentId = id;
      var likes = actions.querySelector(".comment__likes");
      var likeItem = el("li");
      likeItem.appendChild(like);
      actions.insertBefore(likeItem, likes ? likes.nextSibling : actions.firstChild);
    }
    if (contains(state.editable_ids, id)) {
      var edit = el("a", "", "Edit");
      edit.href = "/comments/c/" + id + "/edit";
      add(edit);
    }
    if (state.can_feature && published && node.dataset.depth === "0") {
      var featured = node.classList.contains("comment--featured");
      add(postForm("/comments/c/" + id + "/feature", featured ? "Unpin" : "Feature", { featured: featured ? "0" : "1" }));
    }
    if (contains(state.deletable_ids, id)) {
      var remove = el("a", "", "Delete");
      remove.href = "/comments/c/" + id + "/delete";
      add(remove);
    }
  }

  function showForm(state) {
    var signin = section.querySelector("[data-signin]");
    if (state.notice) {
      var notice = el("p", "comments__notice comments__notice--banned", state.notice);
      notice.setAttribute("role", "status");
      notice.setAttribute("data-part", "suspension");
      if (signin) section.insertBefore(notice, signin);
    }
    var template = section.querySelector("template[data-comment-form]");
    if (state.can_comment && template && signin) {
      var fragment = document.importNode(template.content, true);
      var form = fragment.querySelector("form");
      if (form) form.insertBefore(hiddenInput("csrfmiddlewaretoken", csrfToken), form.firstChild);
      signin.replaceWith(fragment);
    } else if (signin) {
      signin.remove(); // signed in, but may not comment here
    }
  }

  function personalise(page) {
    var state = page.article;
    csrfToken = page.csrf_token;
    showForm(state);
    state.own_comments.forEach(placeOwn);
    section.querySelectorAll('[data-part="comment"]').forEach(function (node) {
      addActions(node, state);
    });
    section.dataset.personalised = "true";
    enableWrites();
  }

  function enableWrites() {
    section.addEventListener("submit", function (event) {
      var form = event.target;
      var action = form.getAttribute("data-action");
      if (action === "post") {
        event.preventDefault();
        onSubmitPost(form);
      } else if (action === "like") {
        event.preventDefault();
        onSubmitLike(form);
      }
    });
    section.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[data-action="reply"]');
      if (!link) return;
      event.preventDefault();
      openReplyForm(link);
    });
  }

  if (serverSignedIn) {
    enableWrites();
  } else {
    // With this script the story page can take the comment: sign-in comes back here.
    var signinLink = section.querySelector("[data-signin-link]");
    if (signinLink && window.URL) {
      var target = new URL(signinLink.href, window.location.href);
      target.searchParams.set("next", window.location.pathname + "#comments");
      signinLink.href = target.pathname + target.search;
    }
    var session = window.Masthead && window.Masthead.session;
    if (session) {
      session.then(function (page) {
        if (page && page.signed_in && page.article && String(page.article.id) === articleId) {
          personalise(page);
        }
      });
    }
  }

  // --- Live updates (everyone) ----------------------------------------------------------

  function highestId() {
    var highest = 0;
    section.querySelectorAll('[data-part="comment"]').forEach(function (node) {
      highest = Math.max(highest, parseInt(node.dataset.commentId, 10) || 0);
    });
    return highest;
  }

  function showNewButton(count) {
    if (!newButton) return;
    if (count <= 0) {
      newButton.hidden = true;
      return;
    }
    newButton.textContent = count === 1 ? "1 new comment" : count + " new comments";
    newButton.hidden = false;
  }

  function insertNew() {
    newButton.disabled = true;
    getJSON(API + "/articles/" + articleId + "/comments?since=" + highestId() + "&limit=100")
      .then(function (data) {
        var first = null;
        data.items.forEach(function (item) {
          var node = place(item);
          if (node) {
            highlight(node);
            if (!first || !item.parent_id) first = node;
          }
        });
        setCount(data.comment_count);
        showNewButton(0);
        if (first) focusComment(first);
      })
      .catch(function () { /* try again on the next click */ })
      .then(function () { newButton.disabled = false; });
  }

  var PLACEHOLDERS = {
    deleted: "This comment was deleted.",
    rejected: "This comment was removed by our moderators.",
    hidden: "This comment is hidden while our team reviews it.",
  };

  function refreshShown() {
    var ids = [];
    section.querySelectorAll('[data-part="comment"]').forEach(function (node) {
      if (ids.length < 100) ids.push(node.dataset.commentId);
    });
    if (!ids.length) return;
    fetchComments(ids).then(function (items) {
      var returned = {};
      items.forEach(function (item) { returned[item.id] = true; });
      // A comment a moderator removed (or reports hid) leaves the page at once; one that has
      // replies is still returned, as a placeholder, so its replies stay in place.
      ids.forEach(function (id) {
        if (returned[id]) return;
        var gone = document.getElementById("comment-" + id);
        if (gone && !gone.querySelector(".comment__replies [data-part=comment]")) gone.remove();
      });
      items.forEach(function (item) {
        var node = document.getElementById("comment-" + item.id);
        if (!node) return;
        var body = node.querySelector(":scope > [data-body]");
        var placeholder = PLACEHOLDERS[item.status];
        if (placeholder && !(item.status === "hidden" && item.body_html)) {
          if (body) body.innerHTML = "<p>" + placeholder + "</p>";
          node.querySelectorAll(":scope > .comment__meta, :scope > .comment__actions").forEach(
            function (part) { part.hidden = true; });
          return;
        }
        if (body && body.innerHTML !== item.body_html) body.innerHTML = item.body_html;
        var edited = node.querySelector(":scope > .comment__meta [data-edited]");
        if (edited) edited.hidden = !item.edited;
        updateLikes(node, item.like_count);
      });
    }).catch(function () {});
  }

  function poll() {
    if (document.visibilityState !== "visible") return;
    getJSON(API + "/articles/" + articleId + "/comments/live")
      .then(function (live) {
        if (live.comment_count > knownCount) {
          showNewButton(live.comment_count - knownCount);
        } else if (knownVersion !== null && live.version !== knownVersion) {
          if (live.comment_count < knownCount) setCount(live.comment_count);
          refreshShown();
        }
        knownVersion = live.version;
      })
      .catch(function () {});
  }

  if (newButton) newButton.addEventListener("click", insertNew);
  var timer = null;
  function schedule() {
    window.clearInterval(timer);
    timer = null;
    if (document.visibilityState === "visible") {
      timer = window.setInterval(poll, pollMs);
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
    schedule();
  });
  schedule();
})();
