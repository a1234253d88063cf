// Draws every chart whose figure the server embedded as JSON. plotly.js (served locally under a
// hashed name, given by this script's data-plotly attribute) is fetched only when the page has
// a chart, so pages without one (the login page) never download it.
(function () {
  var script = document.currentScript;
  var plotlyUrl = script && script.getAttribute("data-plotly");

  function draw() {
    document.querySelectorAll(".chart").forEach(function (element) {
      var source = element.querySelector('script[type="application/json"]');
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(element, figure.data, figure.layout,
        { displaylogo: false, responsive: true }).then(function () {
        element.setAttribute("data-drawn", "true");
      });
    });
  }

  function start() {
    if (!document.querySelector(".chart")) { return; }
    if (typeof Plotly !== "undefined") { draw(); return; }
    if (!plotlyUrl) { return; }
    var loader = document.createElement("script");
    loader.src = plotlyUrl;
    loader.onload = draw;
    document.head.appendChild(loader);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
