// Draws the dashboard's charts over the tables the server rendered (portal/_dashboard_charts.html).
// Without JavaScript the tables stand alone; the charts' boxes have their height in the HTML.
(function () {
  "use strict";
  const palette = { T1: "#0d6efd", T2: "#198754", T3: "#6f42c1", T4: "#fd7e14", T5: "#0f7b6c",
    A1: "#0d6efd", A2: "#6610f2", A3: "#198754", A4: "#fd7e14" };
  // A composed entry's colour: by its place among the plan's entries the palette does not name,
  // from colours none of T1–T5 uses.
  const spare = ["#d63384", "#6f42c1", "#997404", "#dc3545", "#495057", "#20c997", "#0dcaf0",
    "#6610f2", "#adb5bd", "#8c510a"];
  let composed = [];
  const colourOf = (code) => palette[code] || spare[Math.max(0, composed.indexOf(code)) % spare.length];
  const ink = "#212529";
  const pct = (value) => (value === null || value === undefined ? null : Math.round(value * 1000) / 10);
  const still = () => document.documentElement.dataset.noAnimation === "1" || window.matchMedia("print").matches;
  const percent = (value) => value.toLocaleString("vi-VN") + "%";
  const charts = [];

  // A scale from 0 to a little above the largest value or target, so that shares of a few
  // percent (T2, T3) are not flattened at the foot of a 0–100% axis.
  function fitted(values) {
    const top = Math.max(0, ...values.filter((v) => v !== null && v !== undefined));
    return { min: 0, suggestedMax: top > 0 ? Math.min(100, top * 1.15) : 10,
      max: top * 1.15 >= 100 ? 100 : undefined, ticks: { callback: percent } };
  }
  const tooltip = (axis) => ({ callbacks: { label: (ctx) => ctx.dataset.label + ": " +
    (ctx.parsed[axis] === null ? "—" : percent(ctx.parsed[axis])) } });

  // Each chart is drawn when it comes near the screen, in a task of its own: a page of nine
  // charts drawn at once blocked a slow phone's main thread for half a second.
  const pending = new Map();
  const observer = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    entries.forEach((entry) => {
      if (!entry.isIntersecting || !pending.has(entry.target)) { return; }
      const config = pending.get(entry.target);
      pending.delete(entry.target);
      observer.unobserve(entry.target);
      setTimeout(() => charts.push(new Chart(entry.target, config)), 0);
    });
  }, { rootMargin: "300px 0px" }) : null;

  function chart(canvas, config) {
    if (!canvas) { return; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false,
      animation: still() ? false : { duration: 400 } }, config.options || {});
    if (observer && !still()) {
      pending.set(canvas, config);
      observer.observe(canvas);
    } else {
      charts.push(new Chart(canvas, config));
    }
  }

  // One small chart per share or saving (T1–T5 and the composed ones), each on its own scale,
  // its target band shaded.
  function yearChart(canvas, data) {
    const code = canvas.dataset.code;
    const values = data.years.shares[code].map(pct);
    const floors = data.years.shareFloors[code].map(pct);
    const stretches = data.years.shareStretches[code].map((v, i) => (v === null ? floors[i] : pct(v)));
    chart(canvas, {
      type: "line",
      data: { labels: data.years.labels, datasets: [
        { label: data.text.minimum, data: floors, borderColor: ink, borderWidth: 1, borderDash: [4, 3],
          pointRadius: 0, fill: false, spanGaps: true },
        { label: data.text.band, data: stretches, borderColor: colourOf(code) + "55", borderWidth: 1,
          pointRadius: 0, fill: "-1", backgroundColor: colourOf(code) + "26", spanGaps: true },
        { label: code, data: values, borderColor: colourOf(code), backgroundColor: colourOf(code),
          borderWidth: 2.5, spanGaps: true, tension: 0.2 }] },
      options: { scales: { y: fitted(values.concat(floors, stretches)),
        x: { ticks: { maxRotation: 0, autoSkip: true } } },
        plugins: { legend: { display: false }, tooltip: tooltip("y") } },
    });
  }

  // A short dark mark across each bar at its own minimum: one per series and year, never
  // merged with the next series' line.
  function minimumMarks(floors) {
    return { id: "minimumMarks", afterDatasetsDraw(instance) {
      const context = instance.ctx;
      const y = instance.scales.y;
      instance.data.datasets.forEach((dataset, index) => {
        const marks = floors[dataset.label];
        const meta = instance.getDatasetMeta(index);
        if (!marks || meta.hidden) { return; }
        meta.data.forEach((bar, j) => {
          if (marks[j] === null || marks[j] === undefined) { return; }
          const top = y.getPixelForValue(marks[j]);
          const half = Math.max(3, bar.width / 2 - 2);  // within its own bar: never joined
          context.save();
          context.strokeStyle = ink;
          context.lineWidth = 2.5;
          context.beginPath();
          context.moveTo(bar.x - half, top);
          context.lineTo(bar.x + half, top);
          context.stroke();
          context.restore();
        });
      });
    } };
  }

  function countChart(canvas, data) {
    const codes = Object.keys(data.years.counts);
    const all = codes.flatMap((code) => data.years.counts[code].concat(data.years.floors[code]))
      .filter((v) => v !== null);
    chart(canvas, {
      type: "bar",
      data: { labels: data.years.labels, datasets: codes.map((code) => ({
        label: code, data: data.years.counts[code], backgroundColor: colourOf(code), pointStyle: "rect" })).concat([
        // Only a legend entry (a short dark line) for the marks the plugin draws.
        { type: "line", label: data.text.minimum, data: [], borderColor: ink, borderWidth: 2.5, pointStyle: "line" }]) },
      options: { scales: { y: { beginAtZero: true, suggestedMax: Math.max(1, ...all) * 1.1,
        ticks: { precision: 0 } } }, plugins: { legend: { labels: { usePointStyle: true } } } },
      plugins: [minimumMarks(data.years.floors)],
    });
  }

  // Each entry's minimum across its own bars, in a horizontal chart (the province's band: the
  // same for every group).
  function bandMarks(bands) {
    return { id: "bandMarks", afterDatasetsDraw(instance) {
      const context = instance.ctx;
      const x = instance.scales.x;
      instance.data.datasets.forEach((dataset, index) => {
        const band = bands[dataset.label];
        const meta = instance.getDatasetMeta(index);
        if (!band || band[0] === null || meta.hidden) { return; }
        const left = x.getPixelForValue(pct(band[0]));
        meta.data.forEach((bar) => {
          const half = Math.max(3, bar.height / 2 - 1);
          context.save();
          context.strokeStyle = ink;
          context.lineWidth = 2;
          context.beginPath();
          context.moveTo(left, bar.y - half);
          context.lineTo(left, bar.y + half);
          context.stroke();
          context.restore();
        });
      });
    } };
  }

  // Areas and sectors: horizontal bars, largest first by the plan's leading entry (the server
  // sorted them: T2 for the plan to 2020); the reader's own area (a district officer's) in
  // full colour, the others paler; each entry's minimum marked across its bars.
  function groupChart(canvas, data, onClick, own, groupCodes, bands) {
    const colour = (code) => data.keys.map((key) => (own && key !== own ? colourOf(code) + "66" : colourOf(code)));
    // A sector's saving is measured only within its own entry's sectors: no empty slots.
    const datasets = groupCodes.map((code) => ({
      label: code, data: data[code].map(pct), backgroundColor: colour(code), skipNull: true }));
    const floors = groupCodes.map((code) => (bands[code] ? pct(bands[code][0]) : null));
    const narrow = () => canvas.parentElement.clientWidth < 576;
    chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: { indexAxis: "y", onClick: onClick,
        scales: { x: Object.assign(fitted(datasets.flatMap((d) => d.data).concat(floors)), { position: "top" }),
          y: { ticks: { autoSkip: false, callback(value) {
            const label = this.getLabelForValue(value);
            return narrow() && label.length > 20 ? label.slice(0, 19) + "…" : label;
          } } } },
        plugins: { tooltip: tooltip("x") } },
      plugins: [bandMarks(bands)],
    });
  }

  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") { return; }
    while (charts.length) { charts.pop().destroy(); }
    pending.forEach((_config, canvas) => observer.unobserve(canvas));
    pending.clear();
    const data = JSON.parse(source.textContent);
    composed = data.codes.filter((code) => !(code in palette));
    document.querySelectorAll("canvas.chart-year").forEach((canvas) => yearChart(canvas, data));
    countChart(document.getElementById("chart-counts"), data);
    // A click on an area's or a sector's bars opens its facilities (the table's links).
    const follow = (tableId) => (event, elements) => {
      if (!elements.length) { return; }
      const links = document.querySelectorAll("#" + tableId + " tbody a");
      const link = links[elements[0].index];
      if (link) { window.location.href = link.href; }
    };
    groupChart(document.getElementById("chart-areas"), data.areas, follow("table-areas"), data.ownArea,
      data.groupCodes, data.bands);
    groupChart(document.getElementById("chart-sectors"), data.sectors, follow("table-sectors"), "",
      data.groupCodes, data.bands);
    groupChart(document.getElementById("chart-area-savings"), data.areas, follow("table-areas"),
      data.ownArea, data.savingsCodes, data.bands);
    groupChart(document.getElementById("chart-sector-savings"), data.sectors, follow("table-sectors"),
      "", data.savingsCodes, data.bands);
    const shares = data.completeness.completeness.concat(data.completeness.timeliness).map(pct);
    chart(document.getElementById("chart-completeness"), {
      type: "bar",
      data: { labels: data.completeness.labels, datasets: [
        { label: data.text.complete,
          data: data.completeness.completeness.map(pct), backgroundColor: "#198754" },
        { label: data.text.onTime,
          data: data.completeness.timeliness.map(pct), backgroundColor: "#0d6efd" }] },
      options: { indexAxis: "y", scales: { x: Object.assign(fitted(shares), { max: 100 }) },
        plugins: { tooltip: tooltip("x") } },
    });
  }

  // A printed page has every chart, drawn or not yet reached.
  window.addEventListener("beforeprint", () => {
    pending.forEach((config, canvas) => { observer.unobserve(canvas); charts.push(new Chart(canvas, config)); });
    pending.clear();
  });
  document.addEventListener("DOMContentLoaded", draw);
})();
