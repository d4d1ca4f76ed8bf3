// Buttons with data-confirm ask before they act (the Content-Security-Policy allows no inline
// onclick handlers).
document.addEventListener("click", function (e) {
  var el = e.target.closest && e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopImmediatePropagation(); }
}, true);
