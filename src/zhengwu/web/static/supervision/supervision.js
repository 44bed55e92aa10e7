/* The ledger's on-time-rate chart (vendored ECharts; no inline script under the CSP). The data is a
   json_script block named by data-chart-data; unit names are data, never HTML. */
(function () {
  "use strict";
  function setup(el) {
    if (typeof window.echarts === "undefined") return;
    var node = document.getElementById(el.getAttribute("data-chart-data"));
    if (!node) return;
    var data;
    try { data = JSON.parse(node.textContent); } catch (e) { return; }
    if (!data || !data.units || !data.units.length) return;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animationDuration: 300,
      grid: { left: 120, right: 30, top: 20, bottom: 30 },
      tooltip: { trigger: "axis", confine: true },
      xAxis: { type: "value", min: 0, max: 100, name: data.label },
      yAxis: { type: "category", data: data.units },
      series: [{ type: "bar", data: data.rates, itemStyle: { color: "#1f4f8f" }, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    var els = document.querySelectorAll("[data-sv-chart]");
    for (var i = 0; i < els.length; i++) setup(els[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
