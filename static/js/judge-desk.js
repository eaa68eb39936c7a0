/* The judges' desk: a running weighted total while scores are typed, and Enter that moves on
   instead of sending. The server's total, computed when the sheet is sent, is the one that
   counts; this one only helps the judge see where the sheet stands. */
(function () {
  "use strict";

  // "Tidak ada konflik" for every row at once; the judge then changes the few that differ.
  document.querySelectorAll("button[data-check-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      const choice = button.dataset.checkAll;
      button.form.querySelectorAll("input[type=radio]").forEach(function (radio) {
        if (radio.value === choice) radio.checked = true;
      });
    });
  });

  const form = document.querySelector("form[data-live-total]");
  if (!form) return;
  const output = document.getElementById("desk-live-total");
  const totalLine = output ? output.closest("[data-incomplete]") : null;
  const criteria = Array.from(form.querySelectorAll("fieldset[data-weight]"));
  const lang = document.documentElement.lang || "id";
  const number = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function valueOf(input) {
    // Both 82.5 and 82,5: the number field gives a dot, a text field may hold a comma.
    const raw = (input.value || "").trim().replace(",", ".");
    if (!/^\d+(\.\d+)?$/.test(raw)) return null;
    return parseFloat(raw);
  }

  function update() {
    if (!output) return;
    let total = 0;
    let filled = 0;
    criteria.forEach(function (fieldset) {
      const input = fieldset.querySelector("input.desk-score");
      const max = parseFloat(fieldset.dataset.max);
      const weight = parseFloat(fieldset.dataset.weight);
      const value = input ? valueOf(input) : null;
      if (value === null || !(max > 0) || value > max) return;
      filled += 1;
      total += (value / max) * weight;
    });
    if (!filled) {
      output.textContent = "—";
    } else if (filled < criteria.length) {
      output.textContent = number.format(total) + " (" + totalLine.dataset.incomplete + ")";
    } else {
      output.textContent = number.format(total);
    }
  }

  form.addEventListener("input", update);
  update();

  // Enter in a score field goes to the next field (its comment, then the next criterion),
  // never sends the sheet.
  const fields = Array.from(form.querySelectorAll("input:not([type=hidden]), textarea"));
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    const next = fields[fields.indexOf(event.target) + 1];
    if (next) next.focus();
  });
})();
