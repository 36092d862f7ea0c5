// KPI dashboards: the charts are complete SVG without this script (Vega-Lite rendered on the server,
// each point named by aria-label). It makes the points focusable, shows a point's name and value on
// hover or keyboard focus, and moves between a chart's points with the arrow keys (Tab reaches each
// point; ←/→ follow the time axis, Home/End jump to its ends).
(function () {
  "use strict";
  function tooltip(card) {
    var tip = card.querySelector(".kpi-tooltip");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "kpi-tooltip";
      tip.setAttribute("aria-hidden", "true");
      tip.hidden = true;
      card.appendChild(tip);
    }
    return tip;
  }
  function show(point) {
    var card = point.closest(".kpi-card");
    var tip = tooltip(card);
    var box = point.getBoundingClientRect();
    var base = card.getBoundingClientRect();
    tip.textContent = point.getAttribute("aria-label");
    tip.hidden = false;
    tip.style.insetBlockStart = box.top - base.top - tip.offsetHeight - 6 + "px";
    tip.style.left = Math.max(0, box.left - base.left + box.width / 2 - tip.offsetWidth / 2) + "px";
  }
  function hide(point) {
    var card = point.closest(".kpi-card");
    if (card) tooltip(card).hidden = true;
  }
  document.querySelectorAll(".kpi-chart").forEach(function (chart) {
    var points = Array.prototype.slice.call(chart.querySelectorAll("[role=graphics-symbol][aria-label]"));
    function x(point) { return point.getBoundingClientRect().left; }
    points.sort(function (a, b) { return x(a) - x(b); });
    points.forEach(function (point, index) {
      point.setAttribute("tabindex", "0");
      point.classList.add("kpi-point");
      point.addEventListener("focus", function () { show(point); });
      point.addEventListener("blur", function () { hide(point); });
      point.addEventListener("mouseenter", function () { show(point); });
      point.addEventListener("mouseleave", function () { hide(point); });
      point.addEventListener("keydown", function (event) {
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: points.length - 1 }[event.key];
        if (next === undefined || !points[next]) return;
        event.preventDefault();
        points[next].focus();
      });
    });
  });
})();
