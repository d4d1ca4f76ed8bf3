// Forms marked data-guard: warn before leaving with unsaved changes, and keep what was typed in
// sessionStorage so that a re-login after the session expired brings the input back.
(function () {
  var KEY = "junheng-draft:" + location.pathname;
  var dirty = false;
  var leaving = false;

  function form() { return document.querySelector("form[data-guard]"); }

  function values(f) {
    var out = {};
    Array.prototype.forEach.call(f.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.tagName === "BUTTON") return;
      out[el.name] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value;
    });
    return out;
  }

  function version(f) {
    var v = f.querySelector("input[name=version]");
    return v ? v.value : "";
  }

  function remember() {
    var f = form();
    if (!f) return;
    dirty = true;
    try { sessionStorage.setItem(KEY, JSON.stringify({ version: version(f), values: values(f) })); } catch (e) { /* private mode */ }
  }

  function forget() {
    dirty = false;
    try { sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }

  function restore() {
    var f = form();
    if (!f) return;
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    // only onto the version it was typed over: a newer save by someone else wins
    if (!saved || saved.version !== version(f)) { if (saved) forget(); return; }
    var changed = 0;
    Array.prototype.forEach.call(f.elements, function (el) {
      if (!el.name || !(el.name in saved.values) || el.disabled) return;
      var v = saved.values[el.name];
      if (el.type === "checkbox") { if (el.checked !== (v === "1")) { el.checked = v === "1"; changed++; } }
      else if (el.value !== v) { el.value = v; changed++; }
    });
    if (!changed) { forget(); return; }
    dirty = true;
    var note = document.createElement("p");
    note.className = "restored";
    note.textContent = "已恢复您上次未保存的 " + changed + " 项输入，请核对后保存。";
    f.insertBefore(note, f.firstChild);
  }

  document.addEventListener("input", function (e) { if (e.target.closest && e.target.closest("form[data-guard]")) remember(); });
  document.addEventListener("change", function (e) { if (e.target.closest && e.target.closest("form[data-guard]")) remember(); });
  document.addEventListener("submit", function (e) { if (e.target.matches && e.target.matches("form[data-guard]")) { leaving = true; } });

  document.addEventListener("htmx:beforeOnLoad", function (e) {
    var xhr = e.detail.xhr;
    var to = xhr && xhr.getResponseHeader("HX-Redirect");
    // saved and submitted, or sent to the login page: the input is stored, so leave without asking
    if (to) { leaving = true; if (to.indexOf("/login/") !== 0) forget(); }
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (document.querySelector("[data-saved]")) forget();
  });

  window.addEventListener("beforeunload", function (e) {
    if (!dirty || leaving) return;
    e.preventDefault();
    e.returnValue = "您有未保存的修改，确定离开吗？";
    return e.returnValue;
  });

  // a native submit that comes back with the page (saved or refused) starts clean
  window.addEventListener("pageshow", function () { leaving = false; });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
