// The compile screen (templates/admin/issues/issue/compile_inline.html): drag item
// rows within a section block or into another; the rows' hidden positions are
// renumbered in print order and each moved row takes its new block's section.
// A row's section menu moves it too, for keyboards and phones.
"use strict";
(function () {
  function blocks(group) {
    return Array.from(group.querySelectorAll(".compile-section"));
  }

  function rowsOf(block) {
    return Array.from(block.querySelectorAll("tr.compile-row"));
  }

  function field(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function renumber(group) {
    let position = 1;
    for (const block of blocks(group)) {
      const rows = rowsOf(block);
      for (const row of rows) {
        const positionInput = field(row, "position");
        if (positionInput && positionInput.value !== String(position)) {
          positionInput.value = String(position);
          row.classList.add("compile-moved");
        }
        const section = field(row, "section");
        if (section && block.dataset.section && section.value !== block.dataset.section) {
          section.value = block.dataset.section;
          row.classList.add("compile-moved");
        }
        position += 1;
      }
      const count = block.querySelector(".compile-count");
      if (count) {
        count.textContent = String(rows.length);
      }
    }
  }

  function init(group) {
    const sortable = group.querySelectorAll("tbody.compile-rows[data-sortable]");
    if (!sortable.length || typeof Sortable === "undefined") {
      return;
    }
    for (const tbody of sortable) {
      Sortable.create(tbody, {
        group: "issue-items",
        handle: ".drag-handle",
        draggable: "tr.compile-row",
        animation: 150,
        onEnd: () => renumber(group),
      });
    }
    group.addEventListener("change", (event) => {
      const select = event.target;
      if (!select.matches('select[name$="-section"]')) {
        return;
      }
      const target = group.querySelector(
        `.compile-section[data-section="${CSS.escape(select.value)}"] tbody.compile-rows`,
      );
      const row = select.closest("tr.compile-row");
      if (target && row) {
        target.insertBefore(row, target.querySelector(".compile-placeholder"));
        renumber(group);
        row.scrollIntoView({ block: "nearest" });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".inline-group.compile").forEach(init);
  });
})();
