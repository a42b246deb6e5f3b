// tamledger: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // "/" focuses the search box of the page, as in many products.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    var q = document.querySelector("input[type=search]");
    if (q) { e.preventDefault(); q.focus(); q.select(); }
  });
  // Filters made of selects apply as soon as one changes.
  document.querySelectorAll("form.filters").forEach(function (f) {
    f.querySelectorAll("select").forEach(function (s) {
      s.addEventListener("change", function () { f.submit(); });
    });
  });
  // A Copy button copies the field it names (data-copy) to the clipboard.
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var f = document.getElementById(b.getAttribute("data-copy"));
      if (!f) return;
      f.select();
      var done = function () { b.textContent = "Copied"; };
      if (navigator.clipboard) navigator.clipboard.writeText(f.value).then(done, function () {});
      else if (document.execCommand("copy")) done();
    });
  });
  // A form that failed puts the keyboard on its message.
  var err = document.querySelector(".error[role=alert]");
  if (err) { err.setAttribute("tabindex", "-1"); err.focus(); }
})();
