// Draws every chart whose figure the server embedded as JSON. plotly.js (served locally under a
// hashed name, given by this script's data-plotly attribute) is fetched only when the page has
// a chart, so pages without one (the login page) never download it.
(function () {
  var script = document.currentScript;
  var plotlyUrl = script && script.getAttribute("data-plotly");

  // The figure's title (and subtitle) as page text above the chart: inside the figure a
  // legend that wraps onto several lines (a phone) would run over it.
  function showTitle(element, layout) {
    var title = layout.title;
    if (!title || !title.text) { return; }
    var heading = document.createElement("div");
    heading.className = "chart-title";
    heading.textContent = title.text;
    if (title.subtitle && title.subtitle.text) {
      var note = document.createElement("small");
      note.textContent = title.subtitle.text;
      heading.appendChild(note);
    }
    element.parentNode.insertBefore(heading, element);
    delete layout.title;
  }

  function draw() {
    document.querySelectorAll(".chart").forEach(function (element) {
      var source = element.querySelector('script[type="application/json"]');
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      showTitle(element, figure.layout);
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
