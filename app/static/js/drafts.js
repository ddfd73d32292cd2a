/* Suivi drafts, progressive enhancement only: without this file the forms work as they are.
   What is typed in a form marked data-draft="user:item:form" is kept on this device (local
   storage) until the server confirms it: the page after a successful post names it in
   data-draft-sent. A post that finds no connection is kept as pending, with the version of the
   item the user saw, and sent when the connection returns (or on the next visit): a change
   made meanwhile then answers with the conflict page, the text kept. Files are never kept. */
(function () {
  "use strict";
  var PREFIX = "suivi.draft.";
  var FLASHES = "suivi.flashes";
  var store = null;
  try { store = window.localStorage; } catch (e) { /* blocked */ }
  if (!store) { return; } // no storage: the forms work as without this file (a full one: write)
  var each = function (list, fn) { [].forEach.call(list, fn); };
  var messages = document.getElementById("draft-messages");
  var worker = navigator.serviceWorker;
  // The page as the server sent it, kept for reading offline on a first visit (a copy taken
  // here, so that keeping it never asks the server again, which could take a message away).
  var first = worker && !worker.controller && !document.querySelector(".flashes, [data-draft-sent]");
  var snapshot = first && "<!doctype html>\n" + document.documentElement.outerHTML;
  var say = function (name) { return (messages && messages.getAttribute("data-" + name)) || ""; };

  function read(key) {
    try { return JSON.parse(store.getItem(PREFIX + key)); } catch (e) { return null; }
  }
  function write(key, draft) {
    try { store.setItem(PREFIX + key, JSON.stringify(draft)); } catch (e) { /* storage full */ }
  }
  function drop(key) { store.removeItem(PREFIX + key); }

  // The server confirmed these posts.
  each(document.querySelectorAll("[data-draft-sent]"), function (el) {
    drop(el.getAttribute("data-draft-sent"));
  });

  // The confirmation a post sent by this script received, shown on the page it leads to.
  // (Suivi's own markup, as the server escaped it.)
  try {
    var shown = sessionStorage.getItem(FLASHES);
    sessionStorage.removeItem(FLASHES);
    var main = document.getElementById("main");
    if (shown && main && !document.querySelector(".flashes")) { main.insertAdjacentHTML("afterbegin", shown); }
  } catch (e) { /* not shown */ }

  // What is kept: text, choices and the version seen; never a file or the CSRF token.
  function fields(form) {
    return [].filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && !/^(file|submit|button)$/.test(el.type);
    });
  }
  function values(form) {
    var out = {};
    fields(form).forEach(function (el) { out[el.name] = el.value; });
    return out;
  }
  function typed(form) {
    return fields(form).some(function (el) {
      return (el.tagName === "TEXTAREA" || el.type === "text" || el.type === "url") && el.value.trim() !== "";
    });
  }
  function fill(form, saved, withVersion) {
    fields(form).forEach(function (el) {
      if (!(el.name in saved)) { return; }
      if (el.name === "version" && !withVersion) { return; }
      el.value = saved[el.name];
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function note(form, key, name) {
    if (name !== "restored") { form.setAttribute("data-draft-waiting", "1"); } // not yet sent
    var p = form.querySelector(".draft-note");
    if (!p) {
      p = document.createElement("p");
      p.className = "draft-note";
      p.setAttribute("role", "status");
      form.insertBefore(p, form.querySelector("[type=submit]"));
    }
    p.textContent = say(name) + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = say("discard");
    discard.addEventListener("click", function () {
      drop(key);
      form.reset();
      p.parentNode.removeChild(p);
    });
    p.appendChild(discard);
    var details = form.closest && form.closest("details");
    if (details) { details.open = true; }
  }

  // The page a post led to confirms it: its marker (keys are digits and colons), or, should a
  // concurrent request have taken the message away, being the form's own next page.
  function confirmed(response, html, form, key) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var next = form.getAttribute("data-draft-next").split("#")[0];
    var sent = !!page.querySelector('[data-draft-sent="' + key + '"]') || new URL(response.url).pathname === next;
    var box = page.querySelector(".flashes");
    if (sent && box) {
      try { sessionStorage.setItem(FLASHES, box.outerHTML); } catch (e) { /* not shown */ }
    }
    return sent;
  }

  function send(form, key) {
    if (form.getAttribute("data-draft-busy")) { return; }
    var draft = { v: values(form), pending: true };
    if (navigator.onLine === false) { write(key, draft); note(form, key, "pending"); return; }
    draft.sending = Date.now(); // another tab coming online meanwhile leaves it to this one
    write(key, draft);
    form.setAttribute("data-draft-busy", "1");
    var settle = function (response, html) {
      form.removeAttribute("data-draft-busy");
      draft.pending = false; // the server answered: never sent again by itself
      draft.sending = 0;
      if (response.redirected && confirmed(response, html, form, key)) {
        drop(key);
        history.replaceState(null, "", form.getAttribute("data-draft-next"));
        location.reload(); // the item page again, with what was just posted
        return;
      }
      write(key, draft);
      if (response.redirected) { location.assign(response.url); return; } // to the login
      HTMLFormElement.prototype.submit.call(form); // nothing was saved: show the server's answer
    };
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { settle(response, html); });
      }, function () {
        form.removeAttribute("data-draft-busy");
        draft.sending = 0;
        write(key, draft);
        note(form, key, "pending");
      });
  }

  function setUp(form) {
    var key = form.getAttribute("data-draft");
    var saved = read(key);
    if (typed(form)) {
      // The server gave the form back with the text (a refusal, a conflict): keep that.
      if (saved) { write(key, { v: values(form), pending: false }); }
    } else if (saved && saved.v) {
      fill(form, saved.v, saved.pending);
      note(form, key, saved.pending ? "pending" : "restored");
    }
    var keep = function (event) {
      if (event.type === "input") { form.removeAttribute("data-draft-waiting"); }
      var before = read(key);
      var pending = !!(before && before.pending);
      if (pending || typed(form)) { write(key, { v: values(form), pending: pending }); } else { drop(key); }
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", function (event) {
      var file = form.elements.file;
      // Without text (a status alone) or with a file, the ordinary way.
      if (!window.fetch || !typed(form) || (file && file.files.length)) { return; }
      event.preventDefault();
      send(form, key);
    });
    var resend = function () {
      var current = read(key);
      var busy = current && current.sending > Date.now() - 20000;
      if (current && current.pending && !busy && navigator.onLine !== false) {
        note(form, key, "sending");
        fill(form, current.v, true);
        send(form, key);
      }
    };
    addEventListener("online", resend);
    addEventListener("storage", function (event) { // another tab sent or dropped it
      if (event.key === PREFIX + key && !event.newValue && form.hasAttribute("data-draft-waiting")) { location.reload(); }
    });
    // Once the page's own files are in (their answers carry the session cookie too, and one
    // arriving after the post's could take its message away).
    addEventListener("load", resend);
  }

  each(document.querySelectorAll("form[data-draft]"), setUp);
  // Item pages and My work readable offline (sw.js), where the browser offers it.
  if (worker && isSecureContext) {
    worker.register("/sw.js").then(function () {
      // The first visit's page and its files are kept too (later ones by the worker itself).
      if (!snapshot) { return; }
      var urls = [];
      each(document.querySelectorAll("script[src], link[rel=stylesheet]"), function (el) { urls.push(el.src || el.href); });
      caches.open("suivi-pages-v1").then(function (c) {
        c.put(location.pathname, new Response(snapshot, { headers: { "Content-Type": "text/html" } }));
        c.addAll(urls);
      });
    }).catch(function () { /* reading offline is a bonus */ });
  }
}());
