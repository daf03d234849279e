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
        let n = size
        let stride = n + 1  // vertices per row
        // Outgoing edge directions per grid vertex: bit 0 right, 1 down, 2 left, 3 up.
        var out = [UInt8](repeating: 0, count: stride * stride)
        var edgeCount = 0
        modules.withUnsafeBufferPointer { cells in
            out.withUnsafeMutableBufferPointer { out in
                for y in 0..<n {
                    let row = y * n
                    for x in 0..<n where cells[row + x] != 0 {
                        // Clockwise around the cell with y pointing down; only edges facing a light cell.
                        if y == 0 || cells[row - n + x] == 0 { out[y * stride + x] |= 1; edgeCount += 1 }
                        if x == n - 1 || cells[row + x + 1] == 0 { out[y * stride + x + 1] |= 2; edgeCount += 1 }
                        if y == n - 1 || cells[row + n + x] == 0 { out[(y + 1) * stride + x + 1] |= 4; edgeCount += 1 }
                        if x == 0 || cells[row + x - 1] == 0 { out[(y + 1) * stride + x] |= 8; edgeCount += 1 }
                    }
                }
            }
        }
        var points: [Int32] = []
        points.reserveCapacity(edgeCount)
        var loopEnds: [Int] = []
        var searchFrom = 0
        out.withUnsafeMutableBufferPointer { out in
            while edgeCount > 0 {
                while out[searchFrom] == 0 { searchFrom += 1 }
                let startX = searchFrom % stride, startY = searchFrom / stride
                var x = startX, y = startY
                var direction = -1
                repeat {
                    let bits = out[y * stride + x]
                    // Where two dark cells touch only at this corner there are two ways out: turn left,
                    // so the trace continues into the diagonal neighbour and both become one loop
                    // pinched at the corner (fewer loops, shorter SVG; the non-zero fill is the same).
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
                    out[y * stride + x] &= ~(1 << next)
                    edgeCount -= 1
                    if next != direction {
                        points.append(Int32(x))
                        points.append(Int32(y))
                        direction = next
                    }
                    switch next {
                    case 0: x += 1
                    case 1: y += 1
                    case 2: x -= 1
                    default: y -= 1
                    }
                } while x != startX || y != startY
                loopEnds.append(points.count / 2)
            }
        }
        return QROutline(points: points, loopEnds: loopEnds)
    }
}
