// 营销漏斗 charts: the funnel 目标 → 触达 → 意向 → 申请 → 审批 → 放款 (#funnel-chart) and the weekly
// trend of contacts, leads, applications (bars) and disbursed amount in 万元 (line, right axis),
// both from #funnel-data.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var source = document.getElementById("funnel-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);

  function draw(el, option) {
    if (!el) { return; }
    el.style.height = (el.getAttribute("data-height") || "280") + "px";
    var chart = window.echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption(option);
    el.setAttribute("data-drawn", "1");
  }

  var first = data.funnel.length ? data.funnel[0].value : 0;
  draw(document.getElementById("funnel-chart"), {
    tooltip: { trigger: "item", formatter: function (p) {
      var share = first ? Math.round(p.value * 1000 / first) / 10 + "%" : "—";
      return p.name + "：" + p.value + "（" + share + "）";
    } },
    color: ["#0b6e4f", "#198754", "#20c997", "#0d6efd", "#6f42c1", "#fd7e14"],
    series: [{
      type: "funnel", sort: "none", left: "8%", width: "84%", top: 8, bottom: 8, gap: 2,
      min: 0, max: Math.max(first, 1), minSize: "8%",
      label: { show: true, position: "inside", formatter: "{b} {c}" },
      data: data.funnel
    }]
  });

  var t = data.trend;
  var labels = data.labels;
  draw(document.getElementById("trend-chart"), {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: t.weeks.map(function (w) { return w.slice(5); }) },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", name: labels.wan }],
    series: [
      { name: labels.contacts, type: "bar", data: t.contacts, itemStyle: { color: "#20c997" } },
      { name: labels.leads, type: "bar", data: t.leads, itemStyle: { color: "#0d6efd" } },
      { name: labels.applications, type: "bar", data: t.applications,
        itemStyle: { color: "#6f42c1" } },
      { name: labels.disbursed, type: "line", yAxisIndex: 1, data: t.disbursed_wan,
        itemStyle: { color: "#fd7e14" }, lineStyle: { width: 3 } }
    ]
  });
})();
