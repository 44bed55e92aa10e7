/* zhengwu UI behaviour: the collapsing navigation, the ECharts pictures, saved-phrase buttons.
   Loaded in <head> without defer so the "js" class is set before the page paints;
   everything else waits for DOMContentLoaded. The pages work without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function setupNav() {
    var button = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) return;
    button.addEventListener("click", function () {
      var open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function countLeaves(node) {
    if (!node.children || !node.children.length) return 1;
    var n = 0;
    for (var i = 0; i < node.children.length; i++) n += countLeaves(node.children[i]);
    return n;
  }

  /* "Who is in charge of which units": 区长 at the root, the deputies below, units as leaves
     coloured by unit kind. Data comes from a json_script block named by data-chart-data. */
  function setupOrgChart(el) {
    if (typeof window.echarts === "undefined") return;
    var data = readJson(el.getAttribute("data-chart-data"));
    if (!data || !data.tree) return;
    var tree = data.tree;
    var narrow = function () { return el.clientWidth < 640; };
    var leaves = countLeaves(tree);

    function decorate(node, depth) {
      var isLeaf = !node.children || !node.children.length;
      var color = node.color || (depth === 0 ? "#b8322a" : "#1f4f8f");
      node.symbol = "circle";
      node.itemStyle = { color: isLeaf ? color : "#fff", borderColor: color, borderWidth: isLeaf ? 0 : 2 };
      node.symbolSize = depth === 0 ? 14 : (isLeaf ? 9 : 11);
      node.label = isLeaf ? { color: "#33404d" } : { fontWeight: "bold", color: "#1f2933" };
      if (node.children) node.children.forEach(function (c) { decorate(c, depth + 1); });
    }
    decorate(tree, 0);

    function height() {
      var per = narrow() ? 22 : 24;
      return Math.max(320, Math.min(leaves * per + 40, 1400));
    }
    el.style.height = height() + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });

    function names(node, small) {
      if (node.full_name) node.name = small ? node.short_name : node.full_name;
      if (node.children) node.children.forEach(function (c) { names(c, small); });
    }

    function option() {
      var small = narrow();
      names(tree, small);
      return {
        animationDuration: 300,
        tooltip: {
          trigger: "item", triggerOn: "mousemove", confine: true,
          formatter: function (p) { return escapeHtml(p.data.tip || p.name); }  // names are data: never HTML
        },
        series: [{
          type: "tree",
          data: [tree],
          orient: "LR",
          top: 12, bottom: 12,
          left: small ? 52 : 96,
          right: small ? 112 : 230,
          roam: false,
          expandAndCollapse: false,
          initialTreeDepth: -1,
          edgeShape: "polyline",
          lineStyle: { color: "#c6cdd5", width: 1.2, curveness: 0 },
          label: {
            position: "left", verticalAlign: "middle", align: "right",
            fontSize: small ? 11 : 13, lineHeight: small ? 14 : 17, distance: 6,
            fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif",
            backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 2]
          },
          leaves: {
            label: {
              position: "right", verticalAlign: "middle", align: "left", backgroundColor: "transparent",
              fontSize: small ? 11 : 12.5, lineHeight: 14, width: small ? 104 : 220, overflow: "truncate"
            }
          },
          emphasis: { focus: "descendant" }
        }]
      };
    }
    chart.setOption(option());
    chart.on("click", function (p) {
      if (p.data && p.data.url) window.location.href = p.data.url;
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        el.style.height = height() + "px";
        chart.setOption(option());
        chart.resize();
      }, 120);
    });
  }

  /* Long indexes (the rulebook's chapters) start closed on a phone; open without JS. */
  function collapseOnPhone() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 900px)").matches) return;
    var items = document.querySelectorAll("details[data-collapse-narrow]");
    for (var i = 0; i < items.length; i++) items[i].open = false;
  }

  /* Saved phrases (常用意见): buttons fill the opinion box in one tap. Without JS the page shows a
     select instead, and the server uses its choice when the box is left empty. */
  function setupPhrases(box) {
    var target = document.getElementById(box.getAttribute("data-target"));
    var buttons = box.querySelector("[data-phrase-buttons]");
    var select = box.querySelector("[data-phrase-select]");
    if (!target || !buttons) return;
    buttons.hidden = false;
    if (select) {
      select.hidden = true;
      select.disabled = true;  // the box holds the opinion now; do not send the select too
    }
    buttons.addEventListener("click", function (e) {
      var button = e.target.closest("[data-phrase]");
      if (!button) return;
      target.value = button.getAttribute("data-phrase");
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
      target.setSelectionRange(target.value.length, target.value.length);
      var all = buttons.querySelectorAll("[data-phrase]");
      for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-pressed", all[i] === button ? "true" : "false");
    });
  }

  /* A refusal shown after a POST: bring it into view and give it focus for screen readers. */
  function focusRefusal() {
    var el = document.getElementById("refusal");
    if (el && el.focus) el.focus();
  }

  /* A filter <select data-autosubmit> sends its form when changed (a <noscript> button without JS).
     Behaviour lives here, not in on…= attributes: the Content-Security-Policy runs no inline script. */
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setupNav();
    var phraseBoxes = document.querySelectorAll("[data-phrases]");
    for (var p = 0; p < phraseBoxes.length; p++) setupPhrases(phraseBoxes[p]);
    focusRefusal();
    collapseOnPhone();
    var charts = document.querySelectorAll("[data-org-chart]");
    for (var i = 0; i < charts.length; i++) setupOrgChart(charts[i]);
  });
})();
