// The straightforward outline tracer and path writer that the allocation-free ones in TagKit replaced
// (commit 110d792), kept as the reference the fast path must match byte for byte.
@testable import TagKit

enum QRSVGReference {
    /// Corners of every loop and where each loop ends, traced with arrays.
    static func outline(_ matrix: QRMatrix) -> (points: [Int], loopEnds: [Int]) {
        let n = matrix.size
        let stride = n + 1
        var out = [UInt8](repeating: 0, count: stride * stride)
        var edgeCount = 0
        func dark(_ x: Int, _ y: Int) -> Bool { matrix.module(x: x, y: y) }
        for y in 0..<n {
            for x in 0..<n where dark(x, y) {
                if !dark(x, y - 1) { out[y * stride + x] |= 1; edgeCount += 1 }
                if !dark(x + 1, y) { out[y * stride + x + 1] |= 2; edgeCount += 1 }
                if !dark(x, y + 1) { out[(y + 1) * stride + x + 1] |= 4; edgeCount += 1 }
                if !dark(x - 1, y) { out[(y + 1) * stride + x] |= 8; edgeCount += 1 }
            }
        }
        var points: [Int] = [], loopEnds: [Int] = []
        var searchFrom = 0
        while edgeCount > 0 {
            while out[searchFrom] == 0 { searchFrom += 1 }
            let startX = searchFrom % stride, startY = searchFrom / stride
            var x = startX, y = startY, direction = -1
            repeat {
                let bits = out[y * stride + x]
                var next: Int
                if direction < 0 { next = bits.trailingZeroBitCount }
                else if bits & (1 << ((direction + 3) & 3)) != 0 { next = (direction + 3) & 3 }
                else if bits & (1 << direction) != 0 { next = direction }
                else { next = (direction + 1) & 3 }
                out[y * stride + x] &= ~(1 << next)
                edgeCount -= 1
                if next != direction { points += [x, y]; direction = next }
                switch next {
                case 0: x += 1
                case 1: y += 1
                case 2: x -= 1
                default: y -= 1
                }
            } while x != startX || y != startY
            loopEnds.append(points.count / 2)
        }
        return (points, loopEnds)
    }

    /// The `d` attribute for `matrix`.
    static func pathData(_ matrix: QRMatrix) -> String {
        let (points, loopEnds) = outline(matrix)
        func length(_ value: Int) -> Int { String(value).count }
        var text = ""
        var startX = 0, startY = 0, first = true, begin = 0
        for end in loopEnds {
            let xs = (begin..<end).map { points[2 * $0] }, ys = (begin..<end).map { points[2 * $0 + 1] }
            begin = end
            let count = xs.count
            let costs = xs.indices.map { i in
                let next = (i + 1) % count
                return xs[next] != xs[i] ? min(length(xs[next]), length(xs[next] - xs[i]))
                    : min(length(ys[next]), length(ys[next] - ys[i]))
            }
            var best = 0, bestGain = Int.min
            for j in 0..<count {
                let absolute = length(xs[j]) + length(ys[j])
                let move = first ? absolute : min(absolute, length(xs[j] - startX) + length(ys[j] - startY))
                let gain = costs[(j + count - 1) % count] - move
                if gain > bestGain { bestGain = gain; best = j }
            }
            let mx = xs[best], my = ys[best]
            if first || length(mx) + length(my) <= length(mx - startX) + length(my - startY) {
                text += "M\(mx)\(my >= 0 ? " " : "")\(my)"
            } else {
                text += "m\(mx - startX)\(my - startY >= 0 ? " " : "")\(my - startY)"
            }
            first = false
            startX = mx; startY = my
            for k in 0..<(count - 1) {
                let i = (best + k) % count, next = (i + 1) % count
                if xs[next] != xs[i] {
                    let dx = xs[next] - xs[i]
                    text += length(xs[next]) < length(dx) ? "H\(xs[next])" : "h\(dx)"
                } else {
                    let dy = ys[next] - ys[i]
                    text += length(ys[next]) < length(dy) ? "V\(ys[next])" : "v\(dy)"
                }
            }
            text += "z"
        }
        return text
    }
}
