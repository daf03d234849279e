extension QRMatrix {
    /// A preview for a terminal using UTF-8 half blocks (two module rows per text line).
    ///
    /// By default light modules are drawn as blocks, which reads correctly on the usual light-on-dark
    /// terminal; pass `darkOnLight: true` for terminals with a light background.
    public func terminalPreview(quietZone: Int = 2, darkOnLight: Bool = false) -> String {
        let from = -quietZone, to = size + quietZone
        var text = ""
        text.reserveCapacity((to - from + 1) * (to - from) / 2 * 3)
        var y = from
        while y < to {
            for x in from..<to {
                // A drawn cell is a dark module (dark on light) or a light one (light on dark).
                let top = module(x: x, y: y) == darkOnLight
                let bottom = y + 1 < to ? module(x: x, y: y + 1) == darkOnLight : false
                switch (top, bottom) {
                case (true, true): text.append("█")
                case (true, false): text.append("▀")
                case (false, true): text.append("▄")
                case (false, false): text.append(" ")
                }
            }
            text.append("\n")
            y += 2
        }
        return text
    }
}
