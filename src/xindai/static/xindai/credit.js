/* Credit process pages: the days spent in each stage as horizontal bars (no inline script:
   the Content-Security-Policy forbids it). <div data-stage-chart data-source="id" data-unit="天">
   reads [[stage label, days], ...] from the JSON script tag of that id. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-stage-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) { return; }
    var rows = JSON.parse(source.textContent);
    var unit = el.getAttribute("data-unit") || "";
    var chart = window.echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption({
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 valueFormatter: function (v) { return v + " " + unit; } },
      xAxis: { type: "value", name: unit, minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", barMaxWidth: 24, itemStyle: { color: "#0b6e4f" },
                 label: { show: true, position: "right", formatter: function (p) { return p.value; } },
                 data: rows.map(function (r) { return r[1]; }) }]
    });
  });
})();
