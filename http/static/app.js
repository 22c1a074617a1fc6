// concord web UI: optional enhancements. Every page works without this file.
// Tables with class "sortable" get buttons in their headers that sort the rows
// (keyboard: Tab to a header, Enter or Space to sort), announced with aria-sort.
(function () {
  "use strict";
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) return "";
    var t = c.textContent.trim();
    var n = parseFloat(t.replace(/[%,]/g, ""));
    return t !== "" && !isNaN(n) && /^-?[\d.,%]+$/.test(t) ? n : t.toLowerCase();
  }
  function sortBy(table, th, i) {
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i);
      if (x === "" && y !== "") return 1;
      if (y === "" && x !== "") return -1;
      var r = x < y ? -1 : x > y ? 1 : 0;
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead || !table.tBodies[0] || table.tBodies[0].rows.length < 2) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      b.setAttribute("aria-label", "Sort by " + th.textContent);
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, th, i); });
    });
  });
})();
// The year slider of the blocs page shows its value as it moves.
(function () {
  "use strict";
  var r = document.getElementById("year"), out = document.getElementById("year-out");
  if (!r || !out) return;
  r.addEventListener("input", function () { out.textContent = r.value; r.setAttribute("aria-valuetext", r.value); });
})();
