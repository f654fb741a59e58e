// Draws each series' quotes per day, week or month (a speaker's, or a search's), a line each, from the table the page already shows (the table
// stays for readers without JavaScript, and the chart holds no data the page does not).
(function () {
  "use strict";
  var table = document.getElementById("attention-table");
  var canvas = document.getElementById("attention-chart");
  if (!table || !canvas || typeof Chart === "undefined") {
    return;
  }
  var colours = ["#b3472d", "#2d6cb3", "#3a8a3a", "#8a3a8a", "#b38a2d", "#2d8a8a"];
  var names = Array.prototype.slice.call(table.querySelectorAll("thead th"), 1).map(function (cell) {
    return cell.textContent;
  });
  var labels = [];
  var series = names.map(function () { return []; });
  table.querySelectorAll("tbody tr").forEach(function (row) {
    labels.push(row.cells[0].textContent);
    series.forEach(function (counts, column) {
      counts.push(Number(row.cells[column + 1].textContent));
    });
  });
  // Points are drawn while they stay apart; over years of days they would hide the lines.
  var radius = labels.length > 120 ? 0 : 3;
  canvas.parentElement.hidden = false;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: names.map(function (name, column) {
        var colour = colours[column % colours.length];
        return { label: name, data: series[column], borderColor: colour, backgroundColor: colour, tension: 0,
                 pointRadius: radius };
      }),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  table.classList.add("beside-chart");
})();
