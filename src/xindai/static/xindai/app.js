/* Xindai page behaviour: no inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  // A select marked data-autosubmit submits its form (the language switch).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Buttons and links with data-confirm ask before an irreversible step.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // htmx sends the CSRF token with every request it makes.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var cookie = document.cookie.split("; ").find(function (c) { return c.indexOf("csrftoken=") === 0; });
    if (cookie) { event.detail.headers["X-CSRFToken"] = cookie.split("=")[1]; }
  });

  // Charts: <div class="chart" data-chart="bar" data-source="id-of-json-script">, data [[x, y], ...].
  function drawCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-source"));
      if (!source) { return; }
      var rows = JSON.parse(source.textContent);
      var chart = window.echarts.init(el);
      chart.setOption({
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: el.getAttribute("data-chart"), barMaxWidth: 36,
                   data: rows.map(function (r) { return r[1]; }),
                   itemStyle: { color: "#0b6e4f" } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  drawCharts();
})();
