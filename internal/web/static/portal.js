// Ombud public portal: small enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The confidentiality note follows the kind of contact chosen.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.name === "kind" && t.form) t.form.setAttribute("data-kind", t.value);
    if (t.type === "file") checkFiles(t);
  });

  // Files over the limits are refused before they are sent.
  function checkFiles(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var maxFiles = parseInt(input.getAttribute("data-max-files"), 10);
    var err = document.getElementById(input.id + "-err");
    var msg = "";
    if (input.files && maxFiles && input.files.length > maxFiles) {
      msg = input.getAttribute("data-msg-count");
    } else if (input.files && max) {
      for (var i = 0; i < input.files.length; i++) {
        if (input.files[i].size > max) {
          msg = input.getAttribute("data-msg-size") + " (" + input.files[i].name + ")";
          break;
        }
      }
    }
    input.setCustomValidity(msg);
    input.setAttribute("aria-invalid", msg ? "true" : "false");
    if (err) {
      err.textContent = msg;
      err.hidden = !msg;
    }
  }

  // A form is sent once, and says so while it uploads.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.getAttribute("data-sent")) {
      e.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
    var button = form.querySelector("button[type=submit]");
    var busy = form.getAttribute("data-busy");
    var before = button ? button.textContent : "";
    if (button && busy) {
      button.textContent = busy;
      // Disabled after the submission has started: a disabled button
      // would not be sent, and the form must still go.
      setTimeout(function () { button.disabled = true; }, 0);
    }
    // With files, the form goes by XMLHttpRequest to show the upload's
    // progress; the page the server answers then replaces this one.
    var files = form.querySelector('input[type="file"]');
    var box = form.querySelector(".p-progress");
    if (!box || !files || !files.files || !files.files.length || !window.FormData || !window.XMLHttpRequest) return;
    e.preventDefault();
    var meter = box.querySelector("progress"), label = box.querySelector(".p-progress-text");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (ev) {
      if (!ev.lengthComputable) return;
      meter.value = Math.round(ev.loaded / ev.total * 100);
      label.textContent = box.getAttribute("data-msg-sending") + " " + meter.value + "%";
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      form.removeAttribute("data-sent");
      if (button) {
        button.disabled = false;
        button.textContent = before;
      }
      label.textContent = box.getAttribute("data-msg-failed");
    });
    meter.value = 0;
    label.textContent = box.getAttribute("data-msg-sending");
    box.hidden = false;
    xhr.send(new FormData(form));
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (f) { f.removeAttribute("data-sent"); });
  });

  // The copy button copies the number and the access code.
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!b) return;
    var text = b.getAttribute("data-copy");
    var done = function () { b.textContent = b.getAttribute("data-done"); };
    var fallback = function () {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.top = "0";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      document.body.removeChild(ta);
      if (ok) done(); else b.textContent = b.getAttribute("data-fail");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
