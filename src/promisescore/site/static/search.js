/* promisescore site search: shows the index's promise cards that match the words typed
   (in titles, texts, statuses, categories and tags) and the status, category and tag
   chosen, from the site's own search.json. Without this script the search form stays
   hidden and every card is shown; every filter is also a plain page. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var input = form.querySelector("input[type=search]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var count = document.getElementById("search-count");
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-promise]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var index = {};
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var want = {};
    selects.forEach(function (s) { want[s.name] = s.value; });
    var shown = 0;
    cards.forEach(function (card) {
      var p = index[card.getAttribute("data-promise")];
      var ok = Boolean(p) &&
        (!want.status || p.s === want.status) &&
        (!want.category || p.c === want.category) &&
        (!want.tag || p.g.indexOf(want.tag) >= 0) &&
        words.every(function (w) { return p.blob.indexOf(w) >= 0; });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector("[data-promise]:not([hidden])");
    });
    var template = count.getAttribute(shown === 1 ? "data-one" : "data-many");
    count.textContent = template.replace("%n", String(shown));
  }
  fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      data.promises.forEach(function (p) {
        p.blob = fold([p.t, p.x, p.sl, p.cl, p.c, p.g.join(" ")].join(" "));
        index[p.id] = p;
      });
      var params = new URLSearchParams(window.location.search);
      if (params.get("q")) input.value = params.get("q");
      selects.forEach(function (s) {
        var value = params.get(s.name);
        if (value && s.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) s.value = value;
      });
      form.hidden = false;
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
      form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
      apply();
    })
    .catch(function () { /* no index: the form stays hidden, every card shown */ });
})();
