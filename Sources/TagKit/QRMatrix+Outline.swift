/// Outlines of the dark areas of a ``QRMatrix``: closed polygons on the module grid.
///
/// Every renderer fills these with the non-zero rule, so adjacent modules merge into one shape (no
/// hairline seams between modules in PDF viewers or at print RIPs) and a file holds a few hundred
/// corners instead of one rectangle per module.
public struct QROutline: Sendable, Hashable {
    /// One closed polygon: a start corner, then axis-aligned steps (±dx or ±dy, never both), in module
    /// units. The last step returns to the start. Outer edges run clockwise (y down), holes
    /// anticlockwise, so non-zero filling leaves holes open.
    public struct Loop: Sendable, Hashable {
        public var startX: Int
        public var startY: Int
        /// Alternating horizontal/vertical steps; `.horizontal(3)` moves 3 modules right.
        public var steps: [Step]
    }

    public enum Step: Sendable, Hashable {
        case horizontal(Int)
        case vertical(Int)
    }

    /// Corners of every loop, flattened: x, y, x, y, … (module-grid coordinates).
    let points: [Int32]
    /// End offset (exclusive, in corners) of each loop in ``points``.
    let loopEnds: [Int]

    /// Number of closed polygons.
    public var loopCount: Int { loopEnds.count }

    /// The corners of loop `index`, in drawing order (the closing step back to the first is implied).
    public func corners(ofLoop index: Int) -> [(x: Int, y: Int)] {
        let start = index == 0 ? 0 : loopEnds[index - 1]
        return (start..<loopEnds[index]).map { (Int(points[2 * $0]), Int(points[2 * $0 + 1])) }
    }

    /// The loops as start corners and steps.
    public var loops: [Loop] {
        (0..<loopCount).map { index in
            let corners = corners(ofLoop: index)
            var steps: [Step] = []
            for (offset, corner) in corners.enumerated() {
                let next = corners[(offset + 1) % corners.count]
                steps.append(next.x != corner.x ? .horizontal(next.x - corner.x) : .vertical(next.y - corner.y))
            }
            return Loop(startX: corners[0].x, startY: corners[0].y, steps: steps)
        }
    }
}

extension QRMatrix {
    /// Traces the boundary between dark and light modules (quiet zone not included; offset as needed).
    public var outline: QROutline {
        var tracer = OutlineTracer()
        tracer.trace(self)
        return QROutline(
            points: Array(tracer.points[0..<(2 * tracer.cornerCount)]),
            loopEnds: tracer.loopEnds[0..<tracer.loopCount].map { Int($0) })
    }
}

/// The outline tracer behind ``QRMatrix/outline`` and the SVG writer. Its buffers are kept between
/// codes, so a batch worker that owns one traces thousands of codes without allocating.
struct OutlineTracer {
    /// The matrix with a one-module light border, row-major, `(size + 2)²`.
    private var padded: [UInt8] = []
    /// Outgoing edge directions per grid vertex, `(size + 1)²`: bit 0 right, 1 down, 2 left, 3 up.
    private var edges: [UInt8] = []
    /// Corners of every loop, x, y, x, y, …; the first `2 * cornerCount` are valid.
    private(set) var points: [Int32] = []
    /// End offset (exclusive, in corners) of each loop; the first `loopCount` are valid.
    private(set) var loopEnds: [Int32] = []
    private(set) var cornerCount = 0
    private(set) var loopCount = 0

    /// Replaces the stored outline with the outline of `matrix`.
    mutating func trace(_ matrix: QRMatrix) {
        let n = matrix.size
        let width = n + 2  // padded row
        let stride = n + 1  // vertices per row
        if padded.count < width * width { padded = [UInt8](repeating: 0, count: width * width) }
        if edges.count < stride * stride { edges = [UInt8](repeating: 0, count: stride * stride) }
        var edgeCount = 0
        matrix.modules.withUnsafeBufferPointer { cells in
            padded.withUnsafeMutableBufferPointer { padded in
                let p = padded.baseAddress!
                // Border rows and columns light, the symbol inside.
                p.update(repeating: 0, count: width)
                p.advanced(by: (n + 1) * width).update(repeating: 0, count: width)
                for y in 0..<n {
                    let row = p.advanced(by: (y + 1) * width)
                    row[0] = 0
                    row.advanced(by: 1).update(from: cells.baseAddress!.advanced(by: y * n), count: n)
                    row[n + 1] = 0
                }
            }
            // Each vertex from the four modules around it (TL, TR, BL, BR), clockwise around dark
            // modules with y down, only along edges facing a light module:
            // right = BR dark, TR light; down = BL dark, BR light; left = TL dark, BL light; up = TR dark, TL light.
            padded.withUnsafeBufferPointer { padded in
                edges.withUnsafeMutableBufferPointer { edges in
                    let p = padded.baseAddress!, e = edges.baseAddress!
                    var count = 0
                    for y in 0...n {
                        let top = p.advanced(by: y * width), bottom = top.advanced(by: width)
                        let out = e.advanced(by: y * stride)
                        for x in 0...n {
                            let tl = top[x], tr = top[x + 1], bl = bottom[x], br = bottom[x + 1]
                            let bits = (br & ~tr & 1) | ((bl & ~br & 1) << 1) | ((tl & ~bl & 1) << 2)
                                | ((tr & ~tl & 1) << 3)
                            out[x] = bits
                            count &+= bits.nonzeroBitCount
                        }
                    }
                    edgeCount = count
                }
            }
        }
        // Corners are at most one per edge; loops at most one per four edges.
        if points.count < 2 * edgeCount { points = [Int32](repeating: 0, count: 2 * edgeCount) }
        if loopEnds.count < edgeCount / 4 + 1 { loopEnds = [Int32](repeating: 0, count: edgeCount / 4 + 1) }
        var corners = 0, loops = 0
        edges.withUnsafeMutableBufferPointer { edges in
            points.withUnsafeMutableBufferPointer { points in
                loopEnds.withUnsafeMutableBufferPointer { loopEnds in
                    let out = edges.baseAddress!, pts = points.baseAddress!, ends = loopEnds.baseAddress!
                    var searchFrom = 0
                    while edgeCount > 0 {
                        while out[searchFrom] == 0 { searchFrom += 1 }
                        let startX = searchFrom % stride, startY = searchFrom / stride
                        var x = startX, y = startY
                        var direction = -1
                        repeat {
                            let vertex = y * stride + x
                            let bits = Int(out[vertex])
                            // Where two dark cells touch only at this corner there are two ways out: turn
                            // left, so the trace continues into the diagonal neighbour and both become one
                            // loop pinched at the corner (fewer loops, shorter SVG; the non-zero fill is
                            // the same).
                            var next: Int
                            if direction < 0 {
                                next = bits.trailingZeroBitCount
                            } else if bits & (1 << ((direction + 3) & 3)) != 0 {
                                next = (direction + 3) & 3
                            } else if bits & (1 << direction) != 0 {
                                next = direction
                            } else {
                                next = (direction + 1) & 3
                            }
                            out[vertex] &= ~UInt8(1 << next)
                            edgeCount -= 1
                            if next != direction {
                                pts[2 * corners] = Int32(truncatingIfNeeded: x)
                                pts[2 * corners + 1] = Int32(truncatingIfNeeded: y)
                                corners += 1
                                direction = next
                            }
                            switch next {
                            case 0: x += 1
                            case 1: y += 1
                            case 2: x -= 1
                            default: y -= 1
                            }
                        } while x != startX || y != startY
                        ends[loops] = Int32(truncatingIfNeeded: corners)
                        loops += 1
                    }
                }
            }
        }
        cornerCount = corners
        loopCount = loops
    }
}
