extension ConsoleStatic {
    /// `/admin/static/console-alert-map.js`: on the alert form, a Leaflet map that draws the typed circle and
    /// polygons as they change, and adds a corner to the last polygon where the map is clicked. The text fields
    /// stay the form's truth: without JavaScript nothing is lost.
    static let alertMapScript = """
        (function () {
          "use strict";
          var box = document.getElementById("area-map");
          var polygon = document.getElementById("f-polygon");
          var lat = document.getElementById("f-circle_lat"), lon = document.getElementById("f-circle_lon");
          var radius = document.getElementById("f-circle_radius");
          if (!box || !polygon || !lat || !lon || !radius || !window.L) { return; }
          box.classList.add("live");
          var hint = document.createElement("p");
          hint.className = "muted";
          hint.textContent = box.getAttribute("data-hint");
          box.parentNode.insertBefore(hint, box);
          var map = L.map(box).setView([20, 0], 2);
          L.tileLayer(box.getAttribute("data-tiles"), { maxZoom: 19, attribution: box.getAttribute("data-attribution") || "" }).addTo(map);
          var layer = L.layerGroup().addTo(map);
          function rings() {
            return polygon.value.split(/\\n\\s*\\n/).map(function (block) {
              return block.split("\\n").map(function (line) {
                var parts = line.replace(/\\s/g, "").split(",");
                return [parseFloat(parts[0]), parseFloat(parts[1])];
              }).filter(function (point) { return isFinite(point[0]) && isFinite(point[1]); });
            }).filter(function (ring) { return ring.length > 0; });
          }
          function draw() {
            layer.clearLayers();
            var points = [];
            rings().forEach(function (ring) {
              (ring.length > 2 ? L.polygon(ring) : L.polyline(ring)).addTo(layer);
              points = points.concat(ring);
            });
            var centre = [parseFloat(lat.value), parseFloat(lon.value)], metres = parseFloat(radius.value);
            if (isFinite(centre[0]) && isFinite(centre[1]) && metres > 0) {
              var circle = L.circle(centre, { radius: metres }).addTo(layer);
              var bounds = circle.getBounds();
              points.push([bounds.getSouth(), bounds.getWest()], [bounds.getNorth(), bounds.getEast()]);
            }
            return points;
          }
          var drawn = draw();
          if (drawn.length) {
            map.fitBounds(drawn, { padding: [24, 24], maxZoom: 16 });
          } else if (window.fetch) {
            fetch(box.getAttribute("data-source"), { credentials: "same-origin" })
              .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
              .then(function (data) {
                var places = data.tags.map(function (tag) { return [tag.lat, tag.lon]; });
                if (places.length) { map.fitBounds(places, { padding: [24, 24], maxZoom: 15 }); }
              });
          }
          map.on("click", function (event) {
            var point = event.latlng.wrap();
            var text = polygon.value.replace(/\\s+$/, "");
            polygon.value = (text ? text + "\\n" : "") + point.lat.toFixed(6) + "," + point.lng.toFixed(6);
            draw();
          });
          [polygon, lat, lon, radius].forEach(function (input) { input.addEventListener("input", draw); });
          var clear = document.createElement("button");
          clear.type = "button";
          clear.className = "secondary";
          clear.textContent = box.getAttribute("data-clear");
          clear.addEventListener("click", function () { polygon.value = ""; draw(); });
          box.parentNode.insertBefore(clear, box.nextSibling);
        })();
        """
}
