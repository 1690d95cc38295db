/* The pages' one script, loaded from /static (the CSP allows no inline script). Everything here is an
   enhancement: every form works without it.

   1. Quick actions (htmx): after a section of the case page is swapped in, the focus goes to its
      message (or to the error summary), and older messages go, so exactly one says what happened.
   2. Session warning: a few minutes before the session ends, a notice with "Angemeldet bleiben"
      (POST /session/renew). The page says how long the session lasts (<meta name="km-session">).
   3. Never lose typed text: a form's input is kept in sessionStorage (this tab only) while it is sent.
      If the session had ended, the answer is the sign-in page; after signing in, the input is put
      back into the same form, with a notice. Any other answer drops it. */
(function () {
  "use strict";

  var WARN_SECONDS = 300; // the warning shows this long before the session ends
  var DRAFT_KEY = "km-draft";
  var SKIP_ACTIONS = /^\/(login|logout|session\/renew)\b/;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || "";
    } catch (error) {
      return "";
    }
  }

  /* 1. Quick actions ------------------------------------------------------------------------ */

  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("[data-km-focus], .flashes").forEach(function (old) { old.remove(); });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var root = (target && target.id && document.getElementById(target.id)) || document.getElementById("main");
    if (!root) return;
    var focus = root.querySelector("[data-km-focus], .error-summary, [aria-invalid=true], .flashes");
    if (!focus) return;
    if (!focus.matches("input, select, textarea, button, a") && !focus.hasAttribute("tabindex")) {
      focus.setAttribute("tabindex", "-1");
    }
    focus.focus({ preventScroll: true });
    focus.scrollIntoView({ block: "nearest" });
  });

  /* 2. Session warning ------------------------------------------------------------------------ */

  var warning = null;
  var deadline = 0; // ms since epoch when the session ends without another request
  var hardEnd = 0; // the absolute lifetime's end
  var idleSeconds = 0;
  var timer = null;

  function part(name) { return warning.querySelector('[data-km-session="' + name + '"]'); }

  function schedule(seconds) {
    deadline = Math.min(Date.now() + seconds * 1000, hardEnd);
    clearTimeout(timer);
    update();
  }

  function update() {
    var left = deadline - Date.now();
    var soon = part("soon");
    if (left > WARN_SECONDS * 1000) {
      warning.hidden = true;
      timer = setTimeout(update, left - WARN_SECONDS * 1000);
      return;
    }
    var over = left <= 0;
    if (!soon.dataset.text) soon.dataset.text = soon.textContent;
    var end = new Date(deadline).toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" });
    soon.textContent = soon.dataset.text.replace("{time}", end);
    soon.hidden = over;
    part("over").hidden = !over;
    part("stay").hidden = over || hardEnd - Date.now() <= WARN_SECONDS * 1000;
    part("login").hidden = !over;
    warning.hidden = false;
    if (!over) timer = setTimeout(update, Math.min(left, 15000));
  }

  function staySignedIn() {
    fetch("/session/renew", {
      method: "POST",
      headers: { "x-csrftoken": csrfToken(), accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    }).then(function (response) {
      if (!response.ok) throw new Error("renew refused");
      return response.json();
    }).then(function (answer) {
      schedule(answer.seconds_left);
    }).catch(function () {
      deadline = Date.now();
      update();
    });
  }

  function startWarning() {
    var meta = document.querySelector('meta[name="km-session"]');
    warning = document.getElementById("session-warning");
    if (!meta || !warning) return;
    var parts = meta.getAttribute("content").split(" ").map(Number);
    idleSeconds = parts[0];
    hardEnd = Date.now() + parts[1] * 1000;
    part("stay").addEventListener("click", staySignedIn);
    schedule(idleSeconds);
    // Every request renews the session as the page load did: htmx requests count too.
    document.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.xhr && event.detail.xhr.status < 400) schedule(idleSeconds);
    });
  }

  /* 3. Drafts --------------------------------------------------------------------------------- */

  function readDraft() {
    try { return JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null"); } catch (error) { return null; }
  }

  function writeDraft(draft) {
    try {
      if (draft) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
      else sessionStorage.removeItem(DRAFT_KEY);
    } catch (error) { /* storage unavailable: nothing to keep */ }
  }

  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "_csrf_token" && !/^(hidden|password|submit|button|file)$/.test(field.type);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action") || "";
    if ((form.getAttribute("method") || "").toLowerCase() !== "post" || SKIP_ACTIONS.test(action)) return;
    var fields = typedFields(form).map(function (field) {
      return [field.name, field.value, field.type === "checkbox" || field.type === "radio" ? field.checked : null];
    });
    writeDraft({ action: action, fields: fields, pending: false });
  }, true);

  // An htmx answer other than "sign in again" (HX-Redirect) means the input arrived: nothing to keep.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && !xhr.getResponseHeader("HX-Redirect")) writeDraft(null);
  });

  function restoreDraft() {
    var draft = readDraft();
    if (!draft) return;
    if (location.pathname === "/login") {
      draft.pending = true; // the session had ended: keep the input until after signing in
      writeDraft(draft);
      return;
    }
    writeDraft(null);
    if (!draft.pending) return;
    var form = formPostingTo(draft.action);
    if (form) {
      fillDraft(form, draft);
      return;
    }
    // A quick action's form is fetched when its disclosure opens (templates/cases/_quick.html): open
    // it, and fill the form once it has arrived.
    var lazy = Array.prototype.find.call(document.querySelectorAll("[data-km-actions]"), function (element) {
      return element.getAttribute("data-km-actions").split(" ").indexOf(draft.action) !== -1;
    });
    if (!lazy) return;
    document.addEventListener("htmx:afterSettle", function arrived() {
      var fetched = formPostingTo(draft.action);
      if (!fetched) return;
      document.removeEventListener("htmx:afterSettle", arrived);
      fillDraft(fetched, draft);
    });
    lazy.closest("details").open = true;
  }

  function formPostingTo(action) {
    return Array.prototype.find.call(document.forms, function (f) { return f.getAttribute("action") === action; });
  }

  function fillDraft(form, draft) {
    draft.fields.forEach(function (entry) {
      var name = entry[0], value = entry[1], checked = entry[2];
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== name || field.type === "hidden") return;
        if (checked === null) field.value = value;
        else if (field.value === value) field.checked = checked;
      });
    });
    var details = form.closest("details");
    if (details) details.open = true;
    var notice = document.getElementById("draft-restored");
    if (notice) {
      notice.hidden = false;
      form.parentNode.insertBefore(notice, form);
    }
    var first = typedFields(form)[0];
    if (first) first.focus();
  }

  function start() {
    startWarning();
    restoreDraft();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
