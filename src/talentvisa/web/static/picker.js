// Progressive enhancement for name pickers (templates/_picker.html): while the person types,
// ask the vocabulary API for the best matches and show them as the input's suggestions.
// Without JavaScript, or if the API is unavailable, the server-rendered list stays.
(function () {
  "use strict";
  function enhance(box) {
    var input = box.querySelector("input[list]");
    var list = input && document.getElementById(input.getAttribute("data-list"));
    if (!input || !list) return;
    var kind = box.getAttribute("data-vocab");
    var lang = box.getAttribute("data-lang") || "en";
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (timer) clearTimeout(timer);
      if (q.length < 2 || q === asked) return;
      timer = setTimeout(function () {
        asked = q;
        var url = "/api/v1/vocab/" + encodeURIComponent(kind) + "?limit=10&lang=" +
          encodeURIComponent(lang) + "&q=" + encodeURIComponent(q);
        fetch(url, { headers: { accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (doc) {
            if (!doc || !doc.items || !doc.items.length || input.value.trim() !== q) return;
            list.textContent = "";
            doc.items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              if (item.detail) option.textContent = item.detail;
              list.appendChild(option);
            });
          })
          .catch(function () { /* keep the server's suggestions */ });
      }, 150);
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".picker[data-vocab]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
