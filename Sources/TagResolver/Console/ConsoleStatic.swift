import Foundation
import Hummingbird
import NIOCore

/// The console's own stylesheet and scripts (in the binary), and Leaflet from Debian's `libjs-leaflet`
/// (`/usr/share/javascript/leaflet`), served locally: the console loads nothing from another site but tiles.
enum ConsoleStatic {
    static let leafletDirectory = "/usr/share/javascript/leaflet"

    static func addRoutes(to group: RouterGroup<ResolverContext>) {
        group.get("static/console.css") { _, _ in asset(css, type: "text/css; charset=utf-8") }
        group.get("static/console-map.js") { _, _ in asset(mapScript, type: "text/javascript; charset=utf-8") }
        group.get("static/console-alert-map.js") { _, _ in asset(alertMapScript, type: "text/javascript; charset=utf-8") }
        group.get("static/leaflet/{file}") { _, context in
            try leaflet(context.parameters.get("file") ?? "")
        }
        group.get("static/leaflet/images/{file}") { _, context in
            try leaflet("images/" + (context.parameters.get("file") ?? ""))
        }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Leaflet's own files by name, read once on first use (no path outside the directory can be asked for).
    static let leafletFiles: [String: (type: String, body: ByteBuffer)] = {
        let types: [String: String] = [
            "leaflet.js": "text/javascript; charset=utf-8", "leaflet.css": "text/css; charset=utf-8",
            "images/marker-icon.png": "image/png", "images/marker-icon-2x.png": "image/png", "images/marker-shadow.png": "image/png",
            "images/layers.png": "image/png", "images/layers-2x.png": "image/png",
        ]
        return Dictionary(uniqueKeysWithValues: types.compactMap { name, type in
            FileManager.default.contents(atPath: "\(leafletDirectory)/\(name)").map { (name, (type: type, body: ByteBuffer(bytes: $0))) }
        })
    }()

    static func leaflet(_ name: String) throws -> Response {
        guard let file = leafletFiles[name] else { throw HTTPError(.notFound) }
        return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=86400"], body: .init(byteBuffer: file.body))
    }

    /// Plain, high-contrast, readable at 200 % zoom; focus always visible.
    static let css = """
        :root{--ink:#1a1a1a;--muted:#555;--line:#c8c8c8;--link:#0645ad;--accent:#0b5394;--bad:#a00000;--ok:#1e6b30;--bg:#fff}
        *{box-sizing:border-box}body{font-family:system-ui,sans-serif;color:var(--ink);background:var(--bg);margin:0;line-height:1.45}
        a{color:var(--link)}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f5a623;outline-offset:2px}
        .skip{position:absolute;left:-10000px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
        header{background:#f3f5f8;border-bottom:1px solid var(--line);padding:.5rem 1rem}header .brand{font-weight:700;margin:.2rem 0}
        header nav ul{list-style:none;margin:.3rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
        header nav a[aria-current=page]{font-weight:700;text-decoration:none;border-bottom:3px solid var(--accent)}
        .account{float:right;font-size:.95rem}.inline{display:inline}
        button.link{background:none;border:0;color:var(--link);text-decoration:underline;padding:0;font:inherit;cursor:pointer}
        main{padding:1rem;max-width:72rem}h1{font-size:1.6rem;margin:.4rem 0 1rem}h2{font-size:1.25rem}
        label{display:block;font-weight:600;margin-bottom:.15rem}
        input,select,textarea{font:inherit;padding:.35rem;border:1px solid #767676;border-radius:.2rem;max-width:100%}
        textarea{width:100%;min-height:5rem}.narrow{max-width:26rem}.narrow input{width:100%}
        button,.button{font:inherit;padding:.4rem 1rem;background:var(--accent);color:#fff;border:0;border-radius:.25rem;cursor:pointer;text-decoration:none;display:inline-block}
        button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}button.danger{background:var(--bad)}
        table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{background:#f3f5f8}.error{color:var(--bad);font-weight:700}.notice{color:var(--ok);font-weight:700}.muted{color:var(--muted)}
        .cards{display:flex;flex-wrap:wrap;gap:1rem}.card{border:1px solid var(--line);border-radius:.3rem;padding:.6rem 1rem;min-width:14rem;flex:1}
        .card .figure{font-size:1.8rem;font-weight:700}fieldset{border:1px solid var(--line);margin:.6rem 0}
        .filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}.pager{display:flex;gap:1rem;margin:.5rem 0}
        svg.chart{max-width:100%;height:auto}svg.chart text{font-size:11px;fill:#333}#map{height:32rem;border:1px solid var(--line)}
        .qr svg{width:12rem;height:12rem}.secret{font-family:monospace;background:#fff8d6;padding:.3rem;word-break:break-all}
        #map,#area-map{display:none}#map.live{display:block}#area-map.live{display:block;height:24rem;margin:.5rem 0}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
        .swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:50%;vertical-align:middle}
        .kind-place{background:#1e6b30}.kind-stop{background:#0b5394}.kind-url{background:#6a3d9a}.kind-page{background:#b45f06}
        .kind-disabled{background:#666}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
        .leaflet-container .leaflet-control-attribution a{text-decoration:underline}
        @media (max-width:40rem){.account{float:none}}
        """
}
