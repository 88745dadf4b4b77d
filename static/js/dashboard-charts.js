// Draws the dashboard's charts once htmx has loaded them (see portal/_dashboard_charts.html).
(function () {
  "use strict";
  const palette = { T1: "#0d6efd", T2: "#198754", T3: "#6f42c1", T4: "#fd7e14", T5: "#20c997",
    A1: "#0d6efd", A2: "#6610f2", A3: "#198754", A4: "#fd7e14" };
  const pct = (value) => (value === null ? null : Math.round(value * 1000) / 10);
  const still = () => document.documentElement.dataset.noAnimation === "1" || window.matchMedia("print").matches;
  const percentAxis = { min: 0, max: 100, ticks: { callback: (v) => v + "%" } };
  const percentTooltip = { callbacks: { label: (ctx) => ctx.dataset.label + ": " +
    (ctx.parsed.y === null ? "—" : ctx.parsed.y.toLocaleString("vi-VN") + "%") } };
  const charts = [];

  function chart(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) { return; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false,
      animation: still() ? false : { duration: 400 } }, config.options || {});
    charts.push(new Chart(canvas, config));
  }

  // The reader's own area (a district officer's) in full colour, the others paler.
  function shareBars(data, onClick, own) {
    const colour = (code) => data.keys.map((key) => (own && key !== own ? palette[code] + "66" : palette[code]));
    return {
      type: "bar",
      data: { labels: data.labels, datasets: ["T1", "T2", "T4"].map((code) => ({
        label: code, data: data[code].map(pct), backgroundColor: colour(code) })) },
      options: { scales: { y: percentAxis }, plugins: { tooltip: percentTooltip },
        onClick: onClick },
    };
  }

  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") { return; }
    while (charts.length) { charts.pop().destroy(); }
    const data = JSON.parse(source.textContent);
    chart("chart-years", {
      type: "line",
      data: { labels: data.years.labels, datasets: Object.keys(data.years.shares).map((code) => ({
        label: code, data: data.years.shares[code].map(pct), borderColor: palette[code],
        backgroundColor: palette[code], spanGaps: true, tension: 0.2 })) },
      options: { scales: { y: percentAxis }, plugins: { tooltip: percentTooltip } },
    });
    const counts = Object.keys(data.years.counts).map((code) => ({
      type: "bar", label: code, data: data.years.counts[code], backgroundColor: palette[code] }));
    const floors = Object.keys(data.years.floors).map((code) => ({
      type: "line", label: code + " – " + data.text.minimum,
      data: data.years.floors[code], borderColor: palette[code], borderDash: [4, 3], pointRadius: 0,
      fill: false }));
    chart("chart-counts", { type: "bar", data: { labels: data.years.labels, datasets: counts.concat(floors) },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
    // A click on an area's or a sector's bars opens its facilities (the table's links).
    const follow = (tableId) => (event, elements) => {
      if (!elements.length) { return; }
      const links = document.querySelectorAll("#" + tableId + " tbody a");
      const link = links[elements[0].index];
      if (link) { window.location.href = link.href; }
    };
    chart("chart-areas", shareBars(data.areas, follow("table-areas"), data.ownArea));
    chart("chart-sectors", shareBars(data.sectors, follow("table-sectors")));
    chart("chart-completeness", {
      type: "bar",
      data: { labels: data.completeness.labels, datasets: [
        { label: data.text.complete,
          data: data.completeness.completeness.map(pct), backgroundColor: "#198754" },
        { label: data.text.onTime,
          data: data.completeness.timeliness.map(pct), backgroundColor: "#0d6efd" }] },
      options: { scales: { y: percentAxis }, plugins: { tooltip: percentTooltip } },
    });
  }

  document.addEventListener("htmx:afterSettle", draw);
  document.addEventListener("DOMContentLoaded", draw);
})();
