/* Kovablik's small progressive enhancements; the portal works without them. */
(function () {
  "use strict";

  function countWords(text) {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  // Live word counter: <textarea data-word-limit="200" data-counter="id-of-output">.
  document.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
    const output = document.getElementById(area.dataset.counter);
    if (!output) return;
    const limit = parseInt(area.dataset.wordLimit, 10);
    const update = function () {
      const n = countWords(area.value);
      output.textContent = output.dataset.template.replace("{n}", n).replace("{limit}", limit);
      output.classList.toggle("over-limit", n > limit);
    };
    area.addEventListener("input", update);
    update();
  });

  // Forms with data-confirm-if="field=value" ask before being sent with that choice.
  document.querySelectorAll("form[data-confirm-if]").forEach(function (form) {
    const parts = form.dataset.confirmIf.split("=");
    form.addEventListener("submit", function (event) {
      const field = form.elements[parts[0]];
      if (field && field.value === parts[1] && !window.confirm(form.dataset.confirmMessage)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
  });

  // Forms marked data-once disable their submit buttons after the first submit.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      // After this event the browser has already collected the pressed button's value.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // Buttons with data-confirm ask before destructive actions.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
})();
