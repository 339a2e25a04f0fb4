/* iran-palestine-data static site: our own script (MIT, like the package's code), no third-party code.
   Every page reads well without it; it only adds copy buttons, sorting, searching and filtering,
   the timeline's filters and its merge toggle, and scrolls a row's quote into view. */
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function show(el, visible) {
    el.style.display = visible ? "" : "none";
  }

  /* copy buttons on citation boxes */
  function copyText(pre, button) {
    var text = pre.textContent;
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = button.getAttribute("data-label"); }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectAndCopy(pre, done); });
    } else {
      selectAndCopy(pre, done);
    }
  }

  function selectAndCopy(pre, done) {
    var range = document.createRange();
    range.selectNodeContents(pre);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      if (document.execCommand("copy")) { done(); }
    } catch (e) { /* the text stays selected: the reader can copy it */ }
  }

  function copyButtons() {
    each("figure.cite", function (figure) {
      var pre = figure.querySelector("pre.copyable");
      var caption = figure.querySelector("figcaption");
      if (!pre || !caption) { return; }
      var button = document.createElement("button");
      var label = "Copy " + caption.textContent.trim();
      button.type = "button";
      button.className = "copy";
      button.textContent = label;
      button.setAttribute("data-label", label);
      button.addEventListener("click", function () { copyText(pre, button); });
      caption.appendChild(button);
    });
  }

  /* sortable, searchable, filterable tables */
  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) { return ""; }
    var sort = cell.getAttribute("data-sort");
    return sort !== null ? sort : cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.replace(/^0+(?=\d)/, "") && String(y) === b.replace(/^0+(?=\d)/, "")) {
      return x - y;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var descending = th.getAttribute("aria-sort") === "ascending";
    each("thead th", function (other) { other.removeAttribute("aria-sort"); }, table);
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var c = compare(cellValue(r1, index), cellValue(r2, index));
      return descending ? -c : c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function sortableTables() {
    each("table.sortable", function (table) {
      each("thead th", function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        button.setAttribute("aria-label", "Sort by " + th.textContent);
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, th); });
      }, table);
    });
  }

  function tableControls() {
    each("form[data-table-controls]", function (form) {
      var table = document.getElementById(form.getAttribute("data-table-controls"));
      if (!table) { return; }
      form.hidden = false;
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      var search = form.querySelector("[data-search]");
      var status = form.querySelector(".status");
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var text = rows.map(function (row) { return row.textContent.toLowerCase(); });
      var apply = function () {
        var query = search ? search.value.trim().toLowerCase() : "";
        var filters = [];
        each("select[data-filter]", function (select) {
          if (select.value) { filters.push([select.getAttribute("data-filter"), select.value]); }
        }, form);
        var shown = 0;
        rows.forEach(function (row, i) {
          var ok = !query || text[i].indexOf(query) >= 0;
          filters.forEach(function (f) { ok = ok && row.getAttribute("data-" + f[0]) === f[1]; });
          row.hidden = !ok;
          if (ok) { shown += 1; }
        });
        if (status) { status.textContent = shown + " of " + rows.length + " rows shown"; }
      };
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
      apply();
    });
  }

  /* the timeline: filters and the merge toggle */
  function timelineControls() {
    var form = document.getElementById("timeline-controls");
    if (!form) { return; }
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var items = Array.prototype.slice.call(document.querySelectorAll("svg.timeline a.mark, #undated li"));
    var merge = form.querySelector("[data-merge]");
    var status = document.getElementById("timeline-status");
    var apply = function () {
      var wanted = {};
      each("select[data-filter]", function (select) { wanted[select.getAttribute("data-filter")] = select.value; }, form);
      var passing = items.filter(function (el) {
        var actors = (el.getAttribute("data-actors") || "").split(" ");
        return (!wanted.actors || actors.indexOf(wanted.actors) >= 0) &&
          (!wanted.type || el.getAttribute("data-type") === wanted.type) &&
          (!wanted.source || el.getAttribute("data-source") === wanted.source);
      });
      /* merged: one member per cluster among those passing the filters, a dated one (a mark on the
         axis) before an undated one (in the list), then the lowest id */
      var keep = {};
      if (merge && merge.checked) {
        passing.forEach(function (el) {
          var cluster = el.getAttribute("data-cluster");
          var rank = (el.closest("svg") ? "0" : "1") + el.getAttribute("data-id");
          if (!(cluster in keep) || rank < keep[cluster]) { keep[cluster] = rank; }
        });
      }
      var shown = 0;
      items.forEach(function (el) {
        var ok = passing.indexOf(el) >= 0 &&
          (!merge || !merge.checked ||
            keep[el.getAttribute("data-cluster")] === (el.closest("svg") ? "0" : "1") + el.getAttribute("data-id"));
        show(el, ok);
        if (ok) { shown += 1; }
      });
      if (status) { status.textContent = shown + " of " + items.length + " rows shown"; }
    };
    form.addEventListener("change", apply);
    apply();
  }

  /* a row's page: its quote in view. Opening the page at #quote would also start keyboard navigation
     there; it is put back to the top of the page, so that the first Tab reaches the skip link as on
     every other page (the view stays on the quote). */
  function focusFromTop() {
    // a focusable stand-in at the very top takes the focus (without scrolling) and is removed at once:
    // the browser's starting point for the next Tab stays where it was, before the skip link
    var body = document.body;
    var start = document.createElement("span");
    start.setAttribute("tabindex", "-1");
    body.insertBefore(start, body.firstChild);
    start.focus({ preventScroll: true });
    body.removeChild(start);
  }

  function quoteInView() {
    var mark = document.getElementById("quote");
    if (mark && (location.hash === "" || location.hash === "#quote")) {
      mark.scrollIntoView({ block: "center" });
      focusFromTop();
      window.addEventListener("load", function () {
        focusFromTop();
        // the browser may move its starting point to the #quote target after the load event
        window.setTimeout(focusFromTop, 0);
      });
    }
  }

  function start() {
    copyButtons();
    sortableTables();
    tableControls();
    timelineControls();
    quoteInView();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
