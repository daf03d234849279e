/// How to draw a code: quiet zone, physical size and an optional caption.
public struct QRRenderOptions: Hashable, Sendable {
    /// Light modules around the symbol; the standard asks for 4, some scanners cope with 2.
    public var quietZone: Int
    public var size: QRPhysicalSize
    public var caption: QRCaption?

    public init(quietZone: Int = 4, size: QRPhysicalSize = .default, caption: QRCaption? = nil) {
        precondition((0...40).contains(quietZone), "quiet zone must be 0…40 modules")
        self.quietZone = quietZone
        self.size = size
        self.caption = caption
    }
}

extension QRMatrix {
    /// The layout of this code drawn on its own with `options`.
    public func layout(_ options: QRRenderOptions = .init()) -> QRLayout {
        QRLayout.standalone(
            matrixSize: size, quietZone: options.quietZone, size: options.size, caption: options.caption)
    }

    /// A standalone SVG document: exact size in mm (`width`/`height`), one filled `<path>` for all dark
    /// modules, a white background, and the caption as `<text>` in DejaVu Sans.
    public func svg(_ options: QRRenderOptions = .init(), background: Bool = false) -> String {
        String(decoding: svgBytes(layout: layout(options), background: background), as: UTF8.self)
    }

    /// The SVG document as UTF-8 bytes, for any layout (standalone or a label).
    ///
    /// `background` adds a white rectangle under everything (for viewers with dark backgrounds); print
    /// workflows place the file on white stock and do not need it.
    public func svgBytes(layout: QRLayout, background: Bool = false) -> [UInt8] {
        var out = SVGWriter()
        out.bytes.reserveCapacity(1024 + size * size)
        // User units are modules and the symbol's top-left corner is the origin, so the path is all
        // small integers (the quiet zone and caption sit at negative or beyond-size coordinates).
        let unit = layout.moduleSize
        let origin = layout.symbolOrigin
        let originX = origin.x / unit, originY = origin.y / unit
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" width=""#)
        out.append(layout.width, decimals: 3); out.append(#"mm" height=""#)
        out.append(layout.height, decimals: 3); out.append(#"mm" viewBox=""#)
        out.append(-originX, decimals: 4); out.append(" ")
        out.append(-originY, decimals: 4); out.append(" ")
        out.append(layout.width / unit, decimals: 4); out.append(" ")
        out.append(layout.height / unit, decimals: 4); out.append(#"">"#)
        if background {
            out.append(#"<rect x=""#); out.append(-originX, decimals: 4)
            out.append(#"" y=""#); out.append(-originY, decimals: 4)
            out.append(#"" width="100%" height="100%" fill="#); out.append("\"#fff\"/>")
        }
        out.append(#"<path d=""#)
        out.appendPath(outline, offsetX: 0, offsetY: 0)
        out.append(#""/>"#)
        for line in layout.captionLines {
            let fontSize = line.fontSize / unit
            out.append(#"<text font-family="DejaVu Sans,Verdana,sans-serif" font-size=""#)
            out.append(fontSize, decimals: 3)
            out.append(#"" x=""#)
            out.append((line.centered ? line.boxX + line.boxWidth / 2 : line.boxX) / unit - originX, decimals: 3)
            out.append(#"" y=""#)
            out.append(line.baselineY / unit - originY, decimals: 3)
            out.append("\"")
            if line.centered { out.append(#" text-anchor="middle""#) }
            if QRLayout.estimatedWidth(of: line.text, fontSize: line.fontSize) > line.boxWidth {
                // Squeeze instead of overflowing into the quiet zone or off the label.
                out.append(#" textLength=""#)
                out.append(line.boxWidth / unit, decimals: 3)
                out.append(#"" lengthAdjust="spacingAndGlyphs""#)
            }
            out.append(">")
            out.appendEscaped(line.text)
            out.append("</text>")
        }
        out.append("</svg>\n")
        return out.bytes
    }
}

/// Appends SVG text to a byte buffer without going through `String` interpolation (the batch writes
/// thousands of files a second).
struct SVGWriter {
    var bytes: [UInt8] = []

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Int) {
        var v = value
        if v < 0 { bytes.append(UInt8(ascii: "-")); v = -v }
        // Path coordinates are almost always below 1000: write those without a loop.
        if v < 10 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + v))
        } else if v < 100 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + v / 10))
            bytes.append(UInt8(truncatingIfNeeded: 48 + v % 10))
        } else if v < 1000 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + v / 100))
            bytes.append(UInt8(truncatingIfNeeded: 48 + v / 10 % 10))
            bytes.append(UInt8(truncatingIfNeeded: 48 + v % 10))
        } else {
            var digits: [UInt8] = []
            while v > 0 { digits.append(UInt8(truncatingIfNeeded: 48 + v % 10)); v /= 10 }
            bytes.append(contentsOf: digits.reversed())
        }
    }

    /// Fixed-point decimal with trailing zeros trimmed.
    mutating func append(_ value: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        var scaled = Int((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        append(scaled / scale)
        var fraction = scaled % scale
        guard fraction != 0 else { return }
        var places = decimals
        while fraction % 10 == 0 { fraction /= 10; places -= 1 }
        bytes.append(UInt8(ascii: "."))
        var divisor = 1
        for _ in 1..<max(places, 1) { divisor *= 10 }
        scaled = fraction
        while divisor > 0 { bytes.append(UInt8(48 + (scaled / divisor) % 10)); divisor /= 10 }
    }

    /// Path data for an outline, choosing per command whichever of the absolute (`M`, `H`, `V`) and
    /// relative (`m`, `h`, `v`) forms is shorter. Each loop starts at the corner that makes the step left
    /// to `z` (which closes the loop for free) as long as possible.
    mutating func appendPath(_ outline: QROutline, offsetX: Int, offsetY: Int) {
        var startX = 0, startY = 0  // after `z` the pen is back at the subpath start
        var first = true
        var xs: [Int] = [], ys: [Int] = [], costs: [Int] = []
        var begin = 0
        for end in outline.loopEnds {
            // Corners (absolute) and the cost of the step leaving each one.
            xs.removeAll(keepingCapacity: true); ys.removeAll(keepingCapacity: true)
            costs.removeAll(keepingCapacity: true)
            for corner in begin..<end {
                xs.append(Int(outline.points[2 * corner]) + offsetX)
                ys.append(Int(outline.points[2 * corner + 1]) + offsetY)
            }
            begin = end
            for i in xs.indices {
                let next = i + 1 == xs.count ? 0 : i + 1
                if xs[next] != xs[i] {
                    costs.append(min(Self.length(xs[next]), Self.length(xs[next] - xs[i])))
                } else {
                    costs.append(min(Self.length(ys[next]), Self.length(ys[next] - ys[i])))
                }
            }
            let count = xs.count
            var best = 0, bestGain = Int.min
            for j in 0..<count {
                let move = first ? Self.length(xs[j]) + Self.length(ys[j])
                    : min(Self.length(xs[j]) + Self.length(ys[j]),
                          Self.length(xs[j] - startX) + Self.length(ys[j] - startY))
                let gain = costs[(j + count - 1) % count] - move
                if gain > bestGain { bestGain = gain; best = j }
            }
            let mx = xs[best], my = ys[best]
            if first || Self.length(mx) + Self.length(my) <= Self.length(mx - startX) + Self.length(my - startY) {
                bytes.append(UInt8(ascii: "M")); append(mx); appendSeparated(my)
            } else {
                bytes.append(UInt8(ascii: "m")); append(mx - startX); appendSeparated(my - startY)
            }
            first = false
            startX = mx; startY = my
            for k in 0..<(count - 1) {
                let i = (best + k) % count, next = (i + 1) % count
                if xs[next] != xs[i] {
                    let dx = xs[next] - xs[i]
                    if Self.length(xs[next]) < Self.length(dx) {
                        bytes.append(UInt8(ascii: "H")); append(xs[next])
                    } else {
                        bytes.append(UInt8(ascii: "h")); append(dx)
                    }
                } else {
                    let dy = ys[next] - ys[i]
                    if Self.length(ys[next]) < Self.length(dy) {
                        bytes.append(UInt8(ascii: "V")); append(ys[next])
                    } else {
                        bytes.append(UInt8(ascii: "v")); append(dy)
                    }
                }
            }
            bytes.append(UInt8(ascii: "z"))
        }
    }

    /// Appends a second coordinate: a minus sign separates it by itself, otherwise a space.
    private mutating func appendSeparated(_ value: Int) {
        if value >= 0 { bytes.append(UInt8(ascii: " ")) }
        append(value)
    }

    /// Characters `append(_: Int)` writes for `value`.
    @inline(__always)
    static func length(_ value: Int) -> Int {
        let sign = value < 0 ? 1 : 0
        let v = value < 0 ? -value : value
        if v < 10 { return 1 + sign }
        if v < 100 { return 2 + sign }
        if v < 1000 { return 3 + sign }
        var count = 3, rest = v / 1000
        while rest > 0 { rest /= 10; count += 1 }
        return count + sign
    }

    mutating func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): append("&lt;")
            case UInt8(ascii: ">"): append("&gt;")
            case UInt8(ascii: "&"): append("&amp;")
            case UInt8(ascii: "\""): append("&quot;")
            default: bytes.append(byte)
            }
        }
    }
}
