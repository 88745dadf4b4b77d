// Draws the savings-against-baseline chart of a facility page from its json_script data.
(function () {
  "use strict";
  const canvas = document.getElementById("savings-chart");
  const source = document.getElementById("savings-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const percent = (value) => (value === null ? null : Math.round(value * 1000) / 10);
  // Tests and print turn animation off, so screenshots and paper show the final state.
  const still = document.documentElement.dataset.noAnimation === "1" || window.matchMedia("print").matches;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.energyLabel, data: data.energy.map(percent), borderColor: "#17603a", backgroundColor: "#17603a", spanGaps: true, tension: 0.2 },
        { label: data.combinedLabel, data: data.combined.map(percent), borderColor: "#d08c00", backgroundColor: "#d08c00", spanGaps: true, tension: 0.2 },
      ],
    },
    options: {
      animation: still ? false : { duration: 400 },
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { title: { display: true, text: data.axisLabel }, ticks: { callback: (v) => v + "%" } } },
      plugins: { tooltip: { callbacks: { label: (ctx) => ctx.dataset.label + ": " + (ctx.parsed.y === null ? "—" : ctx.parsed.y.toLocaleString("vi-VN") + "%") } } },
    },
  });
})();
