/* Suivi item pages, progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // The filter form leaves empty fields out of the URL, so a shared view stays short.
  var filters = document.querySelector("form[data-compact-url]");
  if (filters) {
    filters.addEventListener("submit", function () {
      Array.prototype.forEach.call(filters.elements, function (el) {
        if (el.name && !el.value) { el.disabled = true; }
      });
    });
  }
  // The filters fold away on a phone (closed in the page, so without this file too); on a
  // wide screen there is room for them: open.
  var fold = document.getElementById("filters-fold");
  if (fold && window.matchMedia && window.matchMedia("(min-width: 50rem)").matches) {
    fold.open = true;
  }
  // The status update form marks the note as required for the transitions that need one.
  var status = document.getElementById("u-status");
  var note = document.getElementById("u-note");
  if (status && note) {
    var sync = function () {
      var option = status.options[status.selectedIndex];
      var needed = !!(option && option.hasAttribute("data-note-required"));
      note.required = needed;
      note.setAttribute("aria-required", needed ? "true" : "false");
    };
    status.addEventListener("change", sync);
    sync();
  }
  // The bulk edit's "select all on this page" box: shown only when this file runs.
  var all = document.querySelector("input[data-select-all]");
  if (all) {
    var boxes = all.form.querySelectorAll("input[type=checkbox][name=item]");
    all.hidden = false;
    all.addEventListener("change", function () {
      Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
    });
  }
}());
