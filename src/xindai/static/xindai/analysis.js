// The line chart of the analysis page: <div data-analysis-chart data-source="id-of-json-script">,
// data {periods: [end, ...], series: [{name, percent, data: ["12.34" | null, ...]}, ...]};
// percentages on the left axis, multiples (倍) on the right.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-analysis-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption({
      grid: { left: 40, right: 16, top: 40, bottom: 32 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.periods },
      yAxis: [{ type: "value", name: "%" }, { type: "value", splitLine: { show: false } }],
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", yAxisIndex: s.percent ? 0 : 1,
                 data: s.data.map(function (v) { return v === null ? null : Number(v); }) };
      })
    });
  });
})();
