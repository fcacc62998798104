// 整村授信: the bar chart of households by credit rating (#rating-data) and the print button of
// the public list.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var source = document.getElementById("rating-data");
  var target = document.getElementById("rating-chart");
  if (!window.echarts || !source || !target) { return; }
  var data = JSON.parse(source.textContent);
  target.style.height = (target.getAttribute("data-height") || "220") + "px";
  var chart = window.echarts.init(target);
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", barMaxWidth: 36, label: { show: true, position: "top" },
               data: data.counts.map(function (n, i) {
                 return { value: n, itemStyle: { color: ["#198754", "#0d6efd", "#0dcaf0", "#6c757d"][i] } };
               }) }]
  });
  target.setAttribute("data-drawn", "1");
})();
