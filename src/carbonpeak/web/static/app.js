// Draws every chart whose figure the server embedded as JSON; plotly.js is served locally.
(function () {
  function draw() {
    if (typeof Plotly === "undefined") { return; }
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
