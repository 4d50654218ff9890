// Ombud staff UI: small enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) {
      window.print();
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
