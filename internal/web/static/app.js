// Ombud staff UI: small enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var help = document.getElementById("kbhelp");
    if (help && !help.hidden && (e.target === help || e.target.closest("[data-kbhelp-close]"))) {
      showHelp(false);
      return;
    }
    var add = e.target.closest("[data-add-row]");
    if (add) {
      var body = document.getElementById(add.getAttribute("data-add-row"));
      var last = body && body.lastElementChild;
      if (!last) return;
      var row = last.cloneNode(true);
      row.querySelectorAll("input, select").forEach(function (el) {
        el.value = "";
        el.removeAttribute("autofocus");
      });
      body.appendChild(row);
      row.querySelector("select, input").focus();
    }
  });

  // Ctrl+Enter (or Cmd+Enter) submits a form marked data-hotkey-submit.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || !e.target.closest) return;
    var form = e.target.closest("form[data-hotkey-submit]");
    if (form) {
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });

  // A form is sent once: a double click must not register a case twice.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.getAttribute("data-sent")) {
      e.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (f) { f.removeAttribute("data-sent"); });
  });

  // Keyboard navigation of the case tables (the list, the dashboard):
  // j and k move a highlighted row, Enter opens its case, x ticks its
  // bulk-assign box, / goes to the search box, ? shows the help and Esc
  // closes it. Never while the user types in a field.
  var lastFocus = null;
  function showHelp(open) {
    var help = document.getElementById("kbhelp");
    if (!help) return;
    help.hidden = !open;
    if (open) {
      lastFocus = document.activeElement;
      var close = help.querySelector("[data-kbhelp-close]");
      if (close) close.focus();
    } else if (lastFocus && lastFocus.focus) {
      lastFocus.focus();
      lastFocus = null;
    }
  }
  var notTyped = ["checkbox", "radio", "button", "submit", "reset"];
  function typing(el) {
    if (!el || !el.closest) return false;
    if (el.isContentEditable || el.closest("textarea, select, [contenteditable]")) return true;
    var input = el.closest("input");
    return !!input && notTyped.indexOf((input.type || "").toLowerCase()) < 0;
  }
  function kbRows() {
    return Array.prototype.filter.call(document.querySelectorAll("[data-kb-rows] tbody tr"), function (tr) {
      return tr.querySelector("a[href]");
    });
  }
  function highlight(rows, i) {
    rows.forEach(function (r, j) { r.classList.toggle("kb-current", j === i); });
    if (rows[i]) rows[i].scrollIntoView({ block: "nearest" });
  }
  if (document.querySelector("[data-kb-rows]")) {
    // A key handled here types nothing, even where its keypress comes on
    // its own (synthetic input): / must focus the search box, not type into it.
    var swallow = false;
    document.addEventListener("keypress", function (e) {
      if (swallow) e.preventDefault();
      swallow = false;
    });
    document.addEventListener("keyup", function () { swallow = false; });
    document.addEventListener("keydown", function (e) {
      swallow = false;
      shortcut(e);
      swallow = e.defaultPrevented;
    });
  }
  // shortcut does what a key pressed outside any field does.
  function shortcut(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var help = document.getElementById("kbhelp");
    if (help && !help.hidden) {
      if (e.key === "Escape" || e.key === "?") {
        e.preventDefault();
        showHelp(false);
      }
      return;
    }
    if (typing(e.target)) return;
    var rows = kbRows();
    var current = rows.indexOf(document.querySelector("[data-kb-rows] tr.kb-current"));
    var row = rows[current];
    switch (e.key) {
      case "j":
      case "k":
        if (!rows.length) return;
        e.preventDefault();
        highlight(rows, e.key === "j" ? Math.min(current + 1, rows.length - 1) : Math.max(current - 1, 0));
        break;
      case "Enter":
        // A focused link or button does what Enter does to it.
        if (!row || e.target.closest("a[href], button")) return;
        e.preventDefault();
        window.location.assign(row.querySelector("a[href]").href);
        break;
      case "x":
        var box = row && row.querySelector('input[type="checkbox"][name="number"]');
        if (!box) return;
        e.preventDefault();
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
        break;
      case "/":
        var q = document.querySelector("[data-kb-search]");
        if (!q) return;
        e.preventDefault();
        q.focus();
        q.select();
        break;
      case "?":
        if (!help) return;
        e.preventDefault();
        showHelp(true);
        break;
      case "Escape":
        if (row) highlight(rows, -1);
        break;
    }
  }

  // Bulk assign: the header's box ticks every assignable case on the page.
  var all = document.querySelector("[data-bulk-all]");
  if (all) {
    var boxes = function () { return document.querySelectorAll('input[type="checkbox"][name="number"][form="bulk"]'); };
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
    });
    document.addEventListener("change", function (e) {
      if (e.target === all || !e.target.matches('input[name="number"][form="bulk"]')) return;
      var n = 0, list = boxes();
      list.forEach(function (b) { if (b.checked) n++; });
      all.checked = n === list.length;
      all.indeterminate = n > 0 && n < list.length;
    });
  }

  // The list answering a bulk assignment takes the list's own address, so
  // that reloading it shows the list again instead of posting once more.
  var bulkDone = document.getElementById("bulk-result");
  if (bulkDone && bulkDone.getAttribute("data-url") && window.history.replaceState) {
    window.history.replaceState(null, "", bulkDone.getAttribute("data-url"));
  }

  // Saved views of the case list: a name for the current filter, kept in
  // this browser's localStorage per user (nothing on the server), shown as
  // links above the list.
  var views = document.querySelector("[data-views]");
  if (views) {
    var key = "ombud.views." + views.getAttribute("data-views");
    var here = views.getAttribute("data-query") || "";
    var viewList = views.querySelector("[data-views-list]");
    var viewsEmpty = views.querySelector("[data-views-empty]");
    var loadViews = function () {
      try {
        var v = JSON.parse(window.localStorage.getItem(key) || "[]");
        return Array.isArray(v) ? v.filter(function (x) {
          return x && typeof x.name === "string" && typeof x.query === "string";
        }) : [];
      } catch (err) {
        return [];
      }
    };
    var storeViews = function (list) {
      try {
        window.localStorage.setItem(key, JSON.stringify(list));
      } catch (err) { /* storage full or disabled: the view is not kept */ }
    };
    var drawViews = function () {
      var list = loadViews();
      viewList.textContent = "";
      list.forEach(function (v) {
        var li = document.createElement("li");
        if (v.query === here) li.className = "active";
        var a = document.createElement("a");
        a.href = "/cases" + (v.query ? "?" + v.query : "");
        a.textContent = v.name;
        var del = document.createElement("button");
        del.type = "button";
        del.textContent = "×";
        del.setAttribute("data-view-delete", v.name);
        del.setAttribute("aria-label", views.getAttribute("data-delete") + " " + v.name);
        del.title = del.getAttribute("aria-label");
        li.appendChild(a);
        li.appendChild(del);
        viewList.appendChild(li);
      });
      viewsEmpty.hidden = list.length > 0;
    };
    views.querySelector("[data-views-save]").addEventListener("submit", function (e) {
      e.preventDefault();
      var input = e.target.elements.name, name = input.value.trim();
      if (!name) return;
      var list = loadViews().filter(function (v) { return v.name !== name; });
      list.push({ name: name, query: here });
      storeViews(list);
      input.value = "";
      drawViews();
    });
    viewList.addEventListener("click", function (e) {
      var del = e.target.closest("[data-view-delete]");
      if (!del) return;
      var name = del.getAttribute("data-view-delete");
      storeViews(loadViews().filter(function (v) { return v.name !== name; }));
      drawViews();
    });
    window.addEventListener("storage", function (e) { if (e.key === key) drawViews(); });
    drawViews();
  }

  // Uploads on the case page go by XMLHttpRequest, to show their
  // progress; files over the limits are refused before they are sent.
  // Without this script the form posts as any other and the page answers.
  var upload = document.querySelector("form[data-upload]");
  if (upload && window.FormData && window.XMLHttpRequest) {
    var fileInput = upload.querySelector('input[type="file"]');
    var uploadErr = document.getElementById("upload-err");
    var bar = upload.querySelector(".progress");
    var meter = bar.querySelector("progress");
    var meterText = bar.querySelector(".progress-text");
    var sendButton = upload.querySelector('button[type="submit"]');
    var showUploadErr = function (msg) {
      uploadErr.textContent = msg;
      uploadErr.hidden = !msg;
      fileInput.setAttribute("aria-invalid", msg ? "true" : "false");
      upload.classList.toggle("failed", !!msg);
    };
    var checkUpload = function () {
      var max = parseInt(upload.getAttribute("data-max-bytes"), 10);
      var maxFiles = parseInt(upload.getAttribute("data-max-files"), 10);
      var files = fileInput.files || [], msg = "";
      if (files.length > maxFiles) {
        msg = upload.getAttribute("data-msg-count");
      } else {
        for (var i = 0; i < files.length; i++) {
          if (files[i].size > max) {
            msg = upload.getAttribute("data-msg-size") + " (" + files[i].name + ")";
            break;
          }
        }
      }
      fileInput.setCustomValidity(msg);
      showUploadErr(msg);
      return !msg;
    };
    fileInput.addEventListener("change", checkUpload);
    upload.addEventListener("submit", function (e) {
      e.preventDefault();
      if (upload.getAttribute("data-sent") || !checkUpload()) return;
      var xhr = new XMLHttpRequest();
      var done = function (msg) {
        upload.removeAttribute("data-sent");
        sendButton.disabled = false;
        bar.hidden = true;
        showUploadErr(msg);
      };
      xhr.open("POST", upload.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (ev) {
        if (!ev.lengthComputable) return;
        meter.value = Math.round(ev.loaded / ev.total * 100);
        meterText.textContent = upload.getAttribute("data-msg-sending") + " " + meter.value + "%";
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status === 201 && body && body.location) {
          meter.value = 100;
          var to = new URL(body.location, window.location.href).href;
          if (to === window.location.href) window.location.reload(); else window.location.assign(to);
          return;
        }
        var msg = upload.getAttribute("data-msg-failed");
        if (body && body.error) msg = (body.error.fields && body.error.fields.file) || body.error.message || msg;
        done(msg);
      });
      xhr.addEventListener("error", function () { done(upload.getAttribute("data-msg-failed")); });
      upload.setAttribute("data-sent", "1");
      sendButton.disabled = true;
      meter.value = 0;
      meterText.textContent = upload.getAttribute("data-msg-sending");
      bar.hidden = false;
      showUploadErr("");
      xhr.send(new FormData(upload));
    });
  }

  // The registration form's hints: what the pack's rules suggest for what
  // has been typed, and the caller's earlier cases, fetched as the clerk
  // types (debounced) and shown beside the form.
  var hints = document.querySelector("[data-hints]");
  if (hints) {
    var form = hints.closest("form"), timer = null, seq = 0;
    var refresh = function () {
      var mine = ++seq;
      fetch(hints.getAttribute("data-hints"), { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (mine === seq && html) hints.innerHTML = html; })
        .catch(function () {});
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 500); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    refresh();
  }
})();
