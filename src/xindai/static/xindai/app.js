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

  // A link marked data-query-from="form-id" carries that form's current values (an export of
  // the list as filtered, even after htmx changed the filters without reloading the page).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-query-from]");
    var form = link && document.getElementById(link.getAttribute("data-query-from"));
    if (!form) { return; }
    var query = new URLSearchParams(new FormData(form)).toString();
    link.setAttribute("href", link.getAttribute("href").split("?")[0] + (query ? "?" + query : ""));
  });

  // htmx sends the CSRF token with every request it makes.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var cookie = document.cookie.split("; ").find(function (c) { return c.indexOf("csrftoken=") === 0; });
    if (cookie) { event.detail.headers["X-CSRFToken"] = cookie.split("=")[1]; }
  });

  // A select marked data-navigate opens the address of the chosen option (tabs on phones).
  document.querySelectorAll("select[data-navigate]").forEach(function (select) {
    select.addEventListener("change", function () { window.location.assign(select.value); });
  });

  // A relation graph: {center: id, nodes: [{id, name}], links: [{source, target, label}],
  // categories: [{name}, {name}]}; the centre is the customer whose page this is.
  function graphOption(data) {
    return {
      color: ["#0b6e4f", "#f0ad4e"],
      tooltip: { formatter: function (p) {  // tooltips are HTML: escape what users typed
        return window.echarts.format.encodeHTML(p.dataType === "edge" ? p.data.label : p.name);
      } },
      legend: [{ data: data.categories.map(function (c) { return c.name; }), bottom: 0 }],
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 500, edgeLength: [120, 180] },
        categories: data.categories,
        label: { show: true, position: "bottom" },
        edgeLabel: { show: true, fontSize: 11, formatter: function (p) { return p.data.label; } },
        lineStyle: { color: "#6c757d", curveness: 0.15 },
        data: data.nodes.map(function (n) {
          var centre = n.id === data.center;
          return { id: String(n.id), name: n.name, category: centre ? 0 : 1, symbolSize: centre ? 48 : 32 };
        }),
        links: data.links.map(function (l) {
          return { source: String(l.source), target: String(l.target), label: l.label };
        })
      }]
    };
  }

  // 贷款试算: choosing a product fills in the terms it implies (its <option data-terms="{...}">).
  document.querySelectorAll("select[data-product-terms]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var terms = option && option.getAttribute("data-terms");
      if (!terms) { return; }
      var values = JSON.parse(terms);
      Object.keys(values).forEach(function (name) {
        var field = select.form.elements.namedItem(name);
        if (field && field !== select) { field.value = values[name]; }
      });
    });
  });

  // A schedule: {labels: [due dates], series: [{name, data: ["amount", ...]}, ...]} as stacked bars.
  function stackedOption(data) {
    return {
      color: ["#0b6e4f", "#f0ad4e"],
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "payment", barMaxWidth: 28,
                 data: s.data.map(function (v) { return Number(v); }) };
      })
    };
  }

  // Charts: <div class="chart" data-chart="bar" data-source="id-of-json-script">, data [[x, y], ...];
  // data-chart="graph" draws a relation graph instead, data-chart="stacked" stacked bars.
  function drawCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-source"));
      if (!source) { return; }
      var rows = JSON.parse(source.textContent);
      var chart = window.echarts.init(el);
      window.addEventListener("resize", function () { chart.resize(); });
      if (el.getAttribute("data-chart") === "graph") {
        chart.setOption(graphOption(rows));
        return;
      }
      if (el.getAttribute("data-chart") === "stacked") {
        chart.setOption(stackedOption(rows));
        return;
      }
      chart.setOption({
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: el.getAttribute("data-chart"), barMaxWidth: 36,
                   data: rows.map(function (r) { return r[1]; }),
                   itemStyle: { color: "#0b6e4f" } }]
      });
    });
  }
  drawCharts();
})();
