// The results page's table: sorted by a click on a column's title, narrowed to the units
// whose name holds what is typed in the search box (when the table is on one page). The page
// reads without it: the table is in rank order, and the search box is a form the server
// answers (?q=). A page of the table that htmx brings in is made sortable too.
(function () {
  "use strict";

  // as chiso.web.results.display.fold: no case, no accents, "đ" as "d"
  function fold(text) {
    return text
      .toLowerCase()
      .replace(/đ/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  // --- sorting ---------------------------------------------------------------------------
  const collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });

  function key(row, column) {
    const cell = row.cells[column];
    if (!cell) return null;
    if (cell.dataset.value !== undefined) return Number(cell.dataset.value);
    const text = cell.textContent.trim();
    return text === "" || cell.classList.contains("num") ? null : text;
  }

  function compare(a, b, descending) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1; // blanks last
    const order = typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
    return descending ? -order : order;
  }

  function sort(table, column, descending) {
    const body = table.tBodies[0];
    if (!table.chisoRows) table.chisoRows = Array.from(body.rows); // the published order
    const rows = table.chisoRows.filter(function (row) { return !row.classList.contains("section"); });
    // the first column is the published order: ascending, the page as published, sections too
    const published = column === 0 && !descending;
    const ordered = published ? table.chisoRows : rows.map(function (row, index) {
      return { row: row, key: key(row, column), index: index };
    }).sort(function (a, b) {
      return compare(a.key, b.key, descending) || a.index - b.index;
    }).map(function (item) { return item.row; });
    ordered.forEach(function (row) { body.appendChild(row); });
    table.classList.toggle("sorted", !published);
    Array.from(table.tHead.rows[0].cells).forEach(function (th, index) {
      if (index === column) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  }

  function sortable(table) {
    Array.from(table.tHead.rows[0].cells).forEach(function (th, column) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        // a score starts from the largest, a name, a rank or the order from the first
        const current = th.getAttribute("aria-sort");
        const descending = current ? current === "ascending" : th.dataset.first === "descending";
        sort(table, column, descending);
        const input = document.querySelector("[data-unit-search]");
        if (input && input.value) search(input);
      });
    });
  }

  // --- the unit search -------------------------------------------------------------------
  function search(input) {
    const wanted = fold(input.value);
    let found = 0;
    document.querySelectorAll("table.ranking").forEach(function (table) {
      let section = null;
      let shown = false;
      Array.from(table.tBodies[0].rows).forEach(function (row) {
        if (row.classList.contains("section")) {
          if (section) section.hidden = !shown;
          section = row;
          shown = false;
          return;
        }
        const name = row.querySelector("td.unit");
        if (!name) return;
        const match = !wanted || fold(name.textContent).includes(wanted);
        row.hidden = !match;
        shown = shown || match;
        if (match) found += 1;
      });
      if (section) section.hidden = !shown;
    });
    const status = document.getElementById("unit-search-status");
    if (status) status.textContent = wanted ? status.dataset.found.replace("{n}", found) : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(sortable);
    const input = document.querySelector("[data-unit-search]");
    if (input) {
      input.addEventListener("input", function () { search(input); });
      if (input.value) search(input);
    }
  });
  document.addEventListener("htmx:afterSwap", function () {
    const region = document.getElementById("bang-vung");
    if (region) region.querySelectorAll("table.sortable").forEach(sortable);
  });
})();

// A link of the contents to a table of a closed section opens it (browsers that do not).
(function () {
  "use strict";
  function reveal() {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const closed = target && target.closest("details:not([open])");
    if (closed) {
      closed.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  document.addEventListener("DOMContentLoaded", reveal);
})();
