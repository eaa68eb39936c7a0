/* Draws the organiser's dashboard charts from the numbers in #dashboard-data.
   Every chart has the same numbers in a table beside it; without JavaScript the
   tables are the dashboard. */
(function () {
  "use strict";

  const source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0d6efd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997",
    "#fd7e14", "#0dcaf0", "#6c757d", "#d63384"];

  function seriesDatasets(block) {
    return block.series.map(function (series, i) {
      return { label: series.label, data: series.values, backgroundColor: palette[i % palette.length] };
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    let block = data[canvas.dataset.chart];
    if (canvas.dataset.key) block = block[canvas.dataset.key];
    if (!block) return;
    const kind = canvas.dataset.kind;
    const config = { options: { responsive: true, plugins: { legend: { display: false } } } };
    if (kind === "stacked" || kind === "grouped") {
      config.type = "bar";
      config.data = { labels: block.labels, datasets: seriesDatasets(block) };
      config.options.plugins.legend.display = true;
      if (kind === "stacked") {
        config.options.scales = {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        };
      }
    } else {
      config.type = kind;
      config.data = {
        labels: block.labels,
        datasets: [{
          data: block.values,
          backgroundColor: kind === "doughnut" ? palette : palette[0],
        }],
      };
      if (kind === "doughnut") config.options.plugins.legend.display = true;
      if (kind === "bar") {
        // Counts are whole numbers: no 0,1 ... 0,9 ticks on an empty chart. Long category
        // names on the label axis are shortened rather than cut off at the canvas edge.
        const count = { beginAtZero: true, ticks: { precision: 0 } };
        const names = { ticks: { callback: function (value) {
          const label = String(this.getLabelForValue(value));
          return label.length > 24 ? label.slice(0, 23) + "…" : label;
        } } };
        if (canvas.dataset.horizontal) {
          config.options.indexAxis = "y";
          config.options.scales = { x: count, y: names };
        } else {
          config.options.scales = { x: names, y: count };
        }
      }
    }
    new window.Chart(canvas, config);
  });
})();
