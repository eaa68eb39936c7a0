/* OPD pages: a print button for the receipt and a live deadline countdown.
   The server already renders both the countdown text and the page; this only refreshes it. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // <span data-deadline="ISO" data-t-days="{days} hari {hours} jam lagi" data-t-hours=".."
  //       data-t-minutes=".." data-t-past="..">
  document.querySelectorAll("[data-deadline]").forEach(function (el) {
    const deadline = Date.parse(el.dataset.deadline);
    if (isNaN(deadline)) return;
    const tick = function () {
      let ms = deadline - Date.now();
      if (ms <= 0) {
        el.textContent = el.dataset.tPast;
        return;
      }
      const days = Math.floor(ms / 86400000);
      ms -= days * 86400000;
      const hours = Math.floor(ms / 3600000);
      ms -= hours * 3600000;
      const minutes = Math.max(1, Math.floor(ms / 60000));
      const template = days ? el.dataset.tDays : hours ? el.dataset.tHours : el.dataset.tMinutes;
      el.textContent = template
        .replace("{days}", days).replace("{hours}", hours).replace("{minutes}", minutes);
    };
    tick();
    window.setInterval(tick, 30000);
  });
})();
