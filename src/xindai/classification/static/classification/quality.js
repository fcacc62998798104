// 资产质量 dashboard: draws the charts of <div class="quality-chart" data-kind="..."> from the
// JSON in #quality-data (classes, npl by branch/product/manager, overdue buckets, matrix).
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var source = document.getElementById("quality-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#0b6e4f", "#f0ad4e", "#dc3545", "#a71d2a", "#343a40"];

  function pie(rows) {
    return {
      color: colours,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
                 data: rows.map(function (r) { return { name: r[0], value: Number(r[1]) }; }) }]
    };
  }

  function bars(rows, unit, colour) {
    return {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + unit; } },
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }),
               axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", barMaxWidth: 36, itemStyle: { color: colour },
                 data: rows.map(function (r) { return Number(r[1]); }) }]
    };
  }

  function heatmap(m) {
    var max = m.cells.reduce(function (a, c) { return Math.max(a, c[2]); }, 1);
    return {
      tooltip: { position: "top" },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: m.labels, name: "", splitArea: { show: true } },
      yAxis: { type: "category", data: m.labels, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: max, calculable: false, orient: "horizontal", left: "center",
                   bottom: 0, inRange: { color: ["#f8f9fa", "#0b6e4f"] } },
      series: [{ type: "heatmap", data: m.cells, label: { show: true } }]
    };
  }

  document.querySelectorAll(".quality-chart").forEach(function (el) {
    el.style.height = (el.getAttribute("data-height") || "280") + "px";
    var chart = window.echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    var kind = el.getAttribute("data-kind");
    if (kind === "classes") { chart.setOption(pie(data.classes)); }
    if (kind === "buckets") { chart.setOption(bars(data.buckets, "", "#dc3545")); }
    if (kind === "npl") { chart.setOption(bars(data.npl[el.getAttribute("data-by")], "%", "#a71d2a")); }
    if (kind === "matrix") { chart.setOption(heatmap(data.matrix)); }
    el.setAttribute("data-drawn", "1");
  });
})();
