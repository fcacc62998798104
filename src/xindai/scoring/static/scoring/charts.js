// 存量客户评分 charts: the grade distribution (stacked bars by branch and by village, from
// #grade-data) and a model's gains chart (cumulative capture against the diagonal, #gains-data).
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var colours = { A: "#198754", B: "#0d6efd", C: "#ffc107", D: "#6c757d" };

  function draw(el, option) {
    el.style.height = (el.getAttribute("data-height") || "280") + "px";
    var chart = window.echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption(option);
    el.setAttribute("data-drawn", "1");
  }

  function stacked(data) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.categories,
               axisLabel: { width: 96, overflow: "truncate" } },
      series: data.series.map(function (s) {
        return { name: s.grade, type: "bar", stack: "grade", barMaxWidth: 22,
                 itemStyle: { color: colours[s.grade] }, data: s.data };
      })
    };
  }

  function gains(points, labels) {
    var curve = [[0, 0]].concat(points).map(function (p) {
      return [Math.round(p[0] * 1000) / 10, Math.round(p[1] * 1000) / 10];
    });
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 28, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, name: labels.x, nameLocation: "middle",
               nameGap: 24, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: labels.model, type: "line", showSymbol: false, data: curve,
          lineStyle: { width: 3, color: "#0b6e4f" }, itemStyle: { color: "#0b6e4f" } },
        { name: labels.random, type: "line", showSymbol: false, data: [[0, 0], [100, 100]],
          lineStyle: { type: "dashed", color: "#6c757d" }, itemStyle: { color: "#6c757d" } }
      ]
    };
  }

  var grades = document.getElementById("grade-data");
  if (grades) {
    var data = JSON.parse(grades.textContent);
    document.querySelectorAll(".grade-chart").forEach(function (el) {
      draw(el, stacked(data[el.getAttribute("data-by")]));
    });
  }
  var source = document.getElementById("gains-data");
  var target = document.getElementById("gains-chart");
  if (source && target) {
    var g = JSON.parse(source.textContent);
    draw(target, gains(g.gains, g.labels));
  }
})();
