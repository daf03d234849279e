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

    public let loops: [Loop]
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
            @inline(__always) func dark(_ x: Int, _ y: Int) -> Bool {
                x >= 0 && y >= 0 && x < n && y < n && cells[y * n + x] != 0
            }
            for y in 0..<n {
                for x in 0..<n where cells[y * n + x] != 0 {
                    // Clockwise around the cell with y pointing down; only edges facing a light cell.
                    if !dark(x, y - 1) { out[y * stride + x] |= 1; edgeCount += 1 }
                    if !dark(x + 1, y) { out[y * stride + x + 1] |= 2; edgeCount += 1 }
                    if !dark(x, y + 1) { out[(y + 1) * stride + x + 1] |= 4; edgeCount += 1 }
                    if !dark(x - 1, y) { out[(y + 1) * stride + x] |= 8; edgeCount += 1 }
                }
            }
        }
        var loops: [QROutline.Loop] = []
        var searchFrom = 0
        while edgeCount > 0 {
            while out[searchFrom] == 0 { searchFrom += 1 }
            let startX = searchFrom % stride, startY = searchFrom / stride
            var x = startX, y = startY
            var steps: [QROutline.Step] = []
            var direction = -1
            var run = 0
            repeat {
                let bits = out[y * stride + x]
                // Where two dark cells touch only at this corner there are two ways out: turn left, so
                // the trace continues into the diagonal neighbour and both become one loop pinched at
                // the corner (fewer loops, shorter SVG; the non-zero fill is the same).
                var next = -1
                if direction >= 0 {
                    for turn in [3, 0, 1] where bits & (1 << ((direction + turn) & 3)) != 0 {
                        next = (direction + turn) & 3
                        break
                    }
                }
                if next < 0 { next = bits.trailingZeroBitCount }
                out[y * stride + x] &= ~(1 << next)
                edgeCount -= 1
                if next != direction {
                    if direction >= 0 { steps.append(Self.step(direction, run)) }
                    direction = next
                    run = 0
                }
                run += 1
                switch next {
                case 0: x += 1
                case 1: y += 1
                case 2: x -= 1
                default: y -= 1
                }
            } while x != startX || y != startY
            steps.append(Self.step(direction, run))
            loops.append(QROutline.Loop(startX: startX, startY: startY, steps: steps))
        }
        return QROutline(loops: loops)
    }

    private static func step(_ direction: Int, _ run: Int) -> QROutline.Step {
        switch direction {
        case 0: .horizontal(run)
        case 1: .vertical(run)
        case 2: .horizontal(-run)
        default: .vertical(-run)
        }
    }
}
