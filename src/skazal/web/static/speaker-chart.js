// Draws the speaker's quotes per month from the table the page already shows (the table stays
// for readers without JavaScript, and the chart holds no data the page does not).
(function () {
  "use strict";
  var table = document.getElementById("months-table");
  var canvas = document.getElementById("months-chart");
  if (!table || !canvas || typeof Chart === "undefined") {
    return;
  }
  var labels = [];
  var counts = [];
  table.querySelectorAll("tbody tr").forEach(function (row) {
    labels.push(row.cells[0].textContent);
    counts.push(Number(row.cells[1].textContent));
  });
  canvas.parentElement.hidden = false;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: labels,
      datasets: [{
        label: document.querySelector(".per-month figcaption").textContent,
        data: counts,
        backgroundColor: "#b3472d",
        maxBarThickness: 48,
      }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  table.classList.add("beside-chart");
})();
