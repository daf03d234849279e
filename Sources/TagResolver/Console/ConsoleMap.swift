import Foundation
import Hummingbird
import TransitKit

/// The map at `/admin/map`: a table of every tag with coordinates (the page without JavaScript), and, as
/// progressive enhancement, a Leaflet map drawn by `/admin/static/console-map.js` from `/admin/map/tags.json`
/// (same session), markers coloured by kind, each opening `/admin/tags/{id}`. The tile URL reaches the script
/// through a `data-` attribute: no inline code.
struct ConsoleMap<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    /// One marker.
    struct Marker: Encodable, Sendable {
        var id: String
        var name: String
        var kind: String
        var lat: Double
        var lon: Double
    }

    struct Markers: Encodable, Sendable { var tags: [Marker] }

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self, environment = self.environment
        routes.get("map/tags.json", role: .viewer) { _, _, _ in
            PreparedResponse.json(Markers(tags: try await screen.markers()), status: .ok).response
        }
        routes.get("map", role: .viewer) { request, _, session in
            let words = session.words
            let markers = try await screen.markers()
            var body = "<h1>\(words.map)</h1>"
            body += "<div id=\"map\" data-tiles=\"\(HTML.escape(environment.tileURL))\" data-source=\"/admin/map/tags.json\" "
                + "data-attribution=\"\(HTML.escape(words.tileAttribution))\" role=\"region\" aria-label=\"\(words.map)\"></div>"
            body += "<ul class=\"legend\">" + TargetKind.allCases.map {
                "<li><span class=\"swatch kind-\($0.rawValue)\"></span> \(HTML.escape(words.kindName($0)))</li>"
            }.joined() + "</ul>"
            if markers.isEmpty {
                body += "<p>\(words.noMappedTags)</p>"
            } else {
                let rows = markers.map { marker in
                    "<tr><td><a href=\"/admin/tags/\(HTML.escape(marker.id))\">\(HTML.escape(marker.id))</a></td>"
                        + "<td>\(HTML.escape(marker.name))</td><td>\(HTML.escape(words.kindName(TargetKind(rawValue: marker.kind) ?? .url)))</td>"
                        + "<td>\(marker.lat)</td><td>\(marker.lon)</td></tr>"
                }
                body += ConsoleForm.table(["ID", words.tokenName, words.kind, words.latitude, words.longitude], rows, caption: words.mappedTags)
            }
            return ConsoleResponse.page(
                ConsoleLayout.page(
                    title: words.map, section: .map, session: session, town: environment.town, body: body,
                    scripts: ["leaflet/leaflet.js", "console-map.js"], styles: ["leaflet/leaflet.css"], path: request.uri.path))
        }
    }

    /// Every tag with both coordinates, by ID.
    private func markers() async throws -> [Marker] {
        try await environment.store.tags().compactMap { tag in
            guard let lat = tag.place.lat, let lon = tag.place.lon else { return nil }
            return Marker(id: tag.id.rawValue, name: tag.name, kind: tag.target.kind.rawValue, lat: lat, lon: lon)
        }
    }
}

extension ConsoleStatic {
    /// `/admin/static/console-map.js`: draws the map when JavaScript and Leaflet are there; the page's table
    /// stays for everyone else.
    static let mapScript = """
        (function () {
          "use strict";
          var box = document.getElementById("map");
          if (!box || !window.L || !window.fetch) { return; }
          box.classList.add("live");
          var colours = { place: "#1e6b30", stop: "#0b5394", url: "#6a3d9a", page: "#b45f06", disabled: "#666666" };
          var map = L.map(box).setView([20, 0], 2);
          L.tileLayer(box.getAttribute("data-tiles"), { maxZoom: 19, attribution: box.getAttribute("data-attribution") || "" }).addTo(map);
          fetch(box.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
            .then(function (data) {
              var points = [];
              data.tags.forEach(function (tag) {
                var marker = L.circleMarker([tag.lat, tag.lon], { radius: 7, weight: 2, color: colours[tag.kind] || "#333333", fillOpacity: 0.8 });
                var link = document.createElement("a");
                link.href = "/admin/tags/" + encodeURIComponent(tag.id);
                link.textContent = tag.name + " (" + tag.id + ")";
                marker.bindPopup(link);
                marker.bindTooltip(tag.name);
                marker.addTo(map);
                points.push([tag.lat, tag.lon]);
              });
              if (points.length) { map.fitBounds(points, { padding: [24, 24], maxZoom: 17 }); }
            });
        })();
        """
}

extension ConsoleWords {
    var mappedTags: String { fr ? "Codes situés (latitude et longitude connues)" : "Tags with a position" }
    var noMappedTags: String { fr ? "Aucun code n’a de position." : "No tag has a position." }
    var tileAttribution: String { "© OpenStreetMap" }
    func kindName(_ kind: TargetKind) -> String {
        switch kind {
        case .place: fr ? "Lieu" : "Place"
        case .stop: fr ? "Arrêt" : "Stop"
        case .url: fr ? "Lien" : "Link"
        case .page: fr ? "Page" : "Page"
        case .disabled: fr ? "Désactivé" : "Disabled"
        }
    }
}
