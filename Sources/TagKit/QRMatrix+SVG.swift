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
    /// workflows place the file on white stock and do not need it. For many codes in a row, a
    /// ``QRSVGRenderer`` per thread renders the same bytes without allocating per code.
    public func svgBytes(layout: QRLayout, background: Bool = false) -> [UInt8] {
        var renderer = QRSVGRenderer()
        return renderer.render(self, layout: layout, background: background)
    }
}

/// Renders SVG documents (the same bytes as ``QRMatrix/svgBytes(layout:background:)``) into buffers it
/// keeps between codes: a batch gives each worker thread one and renders thousands of codes without
/// allocating.
public struct QRSVGRenderer: Sendable {
    private var out = SVGWriter()
    private var tracer = OutlineTracer()

    public init() {}

    /// The SVG document for `matrix` drawn with `layout`. The result shares the renderer's buffer: drop
    /// it before the next call, or that call copies instead of reusing the buffer.
    public mutating func render(_ matrix: QRMatrix, layout: QRLayout, background: Bool = false) -> [UInt8] {
        out.bytes.removeAll(keepingCapacity: true)
        out.bytes.reserveCapacity(1024 + matrix.size * matrix.size)
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
        tracer.trace(matrix)
        out.appendPath(tracer, size: matrix.size)
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
        // One digit routine for the whole document: the one the path writer uses.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            let start = buffer.baseAddress!
            var end = start
            Self.write(value, to: &end)
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
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

    /// Path data for the traced outline, choosing per command whichever of the absolute (`M`, `H`, `V`)
    /// and relative (`m`, `h`, `v`) forms is shorter. Each loop starts at the corner that makes the step
    /// left to `z` (which closes the loop for free) as long as possible. Corners are at most `size` (the
    /// vertex grid is `0...size`), which bounds the text, so it is written straight into the buffer.
    mutating func appendPath(_ tracer: OutlineTracer, size: Int) {
        let corners = tracer.cornerCount, loops = tracer.loopCount
        guard loops > 0 else { return }
        let number = Self.length(-size)  // longest coordinate or difference, sign included
        let bound = corners * (1 + number) + loops * (3 + 2 * number)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: bound))
        var written = 0
        tracer.points.withUnsafeBufferPointer { points in
            tracer.loopEnds.withUnsafeBufferPointer { loopEnds in
                bytes.withUnsafeMutableBufferPointer { bytes in
                    let base = bytes.baseAddress! + start
                    written = Self.writePath(
                        points: points.baseAddress!, loopEnds: loopEnds.baseAddress!, loopCount: loops, into: base)
                }
            }
        }
        precondition(written <= bound, "path text overran its bound")
        bytes.removeLast(bound - written)
    }

    /// Writes the path text for `loopCount` loops; returns the number of bytes written.
    private static func writePath(
        points: UnsafePointer<Int32>, loopEnds: UnsafePointer<Int32>, loopCount: Int,
        into base: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var p = base
        var startX = 0, startY = 0  // after `z` the pen is back at the subpath start
        var begin = 0
        for loop in 0..<loopCount {
            let end = Int(loopEnds[loop])
            let count = end - begin
            let xy = points + 2 * begin
            begin = end
            @inline(__always) func x(_ i: Int) -> Int { Int(xy[2 * i]) }
            @inline(__always) func y(_ i: Int) -> Int { Int(xy[2 * i + 1]) }
            // Start at the corner whose incoming step (dropped: `z` draws it) saves the most text net of
            // the move to it. Ties go to the earliest corner.
            var best = 0, bestGain = Int.min
            var previous = count - 1
            for j in 0..<count {
                let stepCost: Int
                if x(j) != x(previous) {
                    stepCost = min(length(x(j)), length(x(j) - x(previous)))
                } else {
                    stepCost = min(length(y(j)), length(y(j) - y(previous)))
                }
                let absolute = length(x(j)) + length(y(j))
                let move = loop == 0 ? absolute : min(absolute, length(x(j) - startX) + length(y(j) - startY))
                let gain = stepCost - move
                if gain > bestGain { bestGain = gain; best = j }
                previous = j
            }
            let mx = x(best), my = y(best)
            if loop == 0 || length(mx) + length(my) <= length(mx - startX) + length(my - startY) {
                p.pointee = UInt8(ascii: "M"); p += 1
                write(mx, to: &p)
                if my >= 0 { p.pointee = UInt8(ascii: " "); p += 1 }
                write(my, to: &p)
            } else {
                p.pointee = UInt8(ascii: "m"); p += 1
                write(mx - startX, to: &p)
                if my - startY >= 0 { p.pointee = UInt8(ascii: " "); p += 1 }
                write(my - startY, to: &p)
            }
            startX = mx; startY = my
            var i = best
            for _ in 0..<(count - 1) {
                let next = i + 1 == count ? 0 : i + 1
                if x(next) != x(i) {
                    let to = x(next), delta = to - x(i)
                    if length(to) < length(delta) {
                        p.pointee = UInt8(ascii: "H"); p += 1; write(to, to: &p)
                    } else {
                        p.pointee = UInt8(ascii: "h"); p += 1; write(delta, to: &p)
                    }
                } else {
                    let to = y(next), delta = to - y(i)
                    if length(to) < length(delta) {
                        p.pointee = UInt8(ascii: "V"); p += 1; write(to, to: &p)
                    } else {
                        p.pointee = UInt8(ascii: "v"); p += 1; write(delta, to: &p)
                    }
                }
                i = next
            }
            p.pointee = UInt8(ascii: "z"); p += 1
        }
        return p - base
    }

    /// Writes `value` in decimal at `p` (room for 20 bytes) and advances it.
    @inline(__always)
    private static func write(_ value: Int, to p: inout UnsafeMutablePointer<UInt8>) {
        var v = value
        if v < 0 { p.pointee = UInt8(ascii: "-"); p += 1; v = -v }
        if v < 10 {
            p[0] = UInt8(truncatingIfNeeded: 48 + v); p += 1
        } else if v < 100 {
            p[0] = UInt8(truncatingIfNeeded: 48 + v / 10)
            p[1] = UInt8(truncatingIfNeeded: 48 + v % 10)
            p += 2
        } else if v < 1000 {
            p[0] = UInt8(truncatingIfNeeded: 48 + v / 100)
            p[1] = UInt8(truncatingIfNeeded: 48 + v / 10 % 10)
            p[2] = UInt8(truncatingIfNeeded: 48 + v % 10)
            p += 3
        } else {
            let digits = length(v)
            var rest = v
            for k in stride(from: digits - 1, through: 0, by: -1) {
                p[k] = UInt8(truncatingIfNeeded: 48 + rest % 10); rest /= 10
            }
            p += digits
        }
    }

    /// Characters ``write(_:to:)`` writes for `value`.
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
