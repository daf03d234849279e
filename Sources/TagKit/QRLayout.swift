/// Physical size of a printed code.
public enum QRPhysicalSize: Hashable, Sendable {
    /// The whole square, quiet zone included, is this many millimetres wide.
    case total(mm: Double)
    /// Each module is this many millimetres wide.
    case module(mm: Double)

    /// The default: a 30 mm square, readable by phones from about 30 cm.
    public static let `default` = QRPhysicalSize.total(mm: 30)
}

/// Text printed with a code: the place name, the human tag code and the "or open …" line.
public struct QRCaption: Hashable, Sendable {
    public var lines: [String]

    public init(lines: [String]) { self.lines = lines.filter { !$0.isEmpty } }

    /// The standard caption of a tag: `name`, `7K3M-9QXF`, `or open tags.example.org/t/7K3M9QXF`.
    public init(name: String?, tag: TagURL?) {
        var lines: [String] = []
        if let name, !name.isEmpty { lines.append(name) }
        if let tag {
            lines.append(tag.id.grouped)
            lines.append("or open \(tag.host)/t/\(tag.id.rawValue)")
        }
        self.init(lines: lines)
    }

    public var isEmpty: Bool { lines.isEmpty }
}

/// A rectangle in millimetres, origin top-left, y pointing down.
public struct MMRect: Hashable, Sendable {
    public var x, y, width, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// Where everything goes when a code (and its caption) is drawn in a box. Shared by every renderer so
/// SVG, PDF and PNG agree to the micrometre. Origin top-left, y down, millimetres.
///
/// Text never enters the quiet zone: captions are laid out strictly outside ``codeRect`` (the
/// symbol plus its quiet zone), and renderers shrink a line that would be wider than its box.
public struct QRLayout: Hashable, Sendable {
    public struct CaptionLine: Hashable, Sendable {
        public var text: String
        /// Font size (em) in mm.
        public var fontSize: Double
        /// Baseline, mm from the top.
        public var baselineY: Double
        /// Left edge of the line's box; text is centred (below) or left-aligned (beside) in it.
        public var boxX: Double
        public var boxWidth: Double
        public var centered: Bool
    }

    /// Size of the whole drawing.
    public let width: Double
    public let height: Double
    /// The code's square, quiet zone included.
    public let codeRect: MMRect
    public let moduleSize: Double
    public let quietZone: Int
    public let matrixSize: Int
    public let captionLines: [CaptionLine]

    /// Top-left corner of the first module (inside the quiet zone).
    public var symbolOrigin: (x: Double, y: Double) {
        (codeRect.x + Double(quietZone) * moduleSize, codeRect.y + Double(quietZone) * moduleSize)
    }

    /// DejaVu Sans' ascent is 0.928 em and accented capitals reach about that high; a baseline one em
    /// below a boundary keeps every glyph clear of it.
    static let ascentAllowance = 1.0
    static let lineSpacing = 1.3

    /// A code on its own, caption centred underneath (`tagtool qr make`).
    public static func standalone(
        matrixSize: Int, quietZone: Int = 4, size: QRPhysicalSize = .default, caption: QRCaption? = nil
    ) -> QRLayout {
        precondition(quietZone >= 0, "quiet zone must be >= 0")
        let modules = Double(matrixSize + 2 * quietZone)
        let side: Double
        switch size {
        case .total(let mm): side = mm
        case .module(let mm): side = mm * modules
        }
        var lines: [CaptionLine] = []
        var y = side
        for (index, text) in (caption?.lines ?? []).enumerated() {
            let fontSize = side * (index == 0 ? 0.075 : 0.055)
            y += (index == 0 ? ascentAllowance : lineSpacing) * fontSize
            lines.append(CaptionLine(
                text: text, fontSize: fontSize, baselineY: y, boxX: side * 0.04, boxWidth: side * 0.92,
                centered: true))
        }
        let height = lines.isEmpty ? side : y + side * 0.04
        return QRLayout(
            width: side, height: height, codeRect: MMRect(x: 0, y: 0, width: side, height: side),
            moduleSize: side / modules, quietZone: quietZone, matrixSize: matrixSize, captionLines: lines)
    }

    /// A code inside a label of `width × height` mm: beside its caption on wide labels, above it on
    /// square or tall ones. `padding` is kept clear along the label's edge (die-cut tolerance).
    public static func label(
        matrixSize: Int, quietZone: Int = 4, width: Double, height: Double, padding: Double = 1.5,
        caption: QRCaption? = nil
    ) -> QRLayout {
        let modules = Double(matrixSize + 2 * quietZone)
        let texts = caption?.lines ?? []
        var lines: [CaptionLine] = []
        let codeRect: MMRect
        if texts.isEmpty || width >= 1.4 * height {
            // Code on the left, as tall as the label allows; caption to the right of its quiet zone.
            let side = min(height - 2 * padding, texts.isEmpty ? width - 2 * padding : width * 0.6)
            codeRect = MMRect(x: texts.isEmpty ? (width - side) / 2 : padding, y: (height - side) / 2,
                              width: side, height: side)
            let boxX = codeRect.maxX + 0.5
            let boxWidth = width - padding - boxX
            let sizes = texts.indices.map { $0 == 0 ? min(height * 0.13, 4.2) : min(height * 0.09, 3.0) }
            let total = sizes.enumerated().reduce(0.0) { sum, item in
                sum + (item.offset == 0 ? ascentAllowance : lineSpacing) * item.element
            }
            var y = (height - total) / 2
            for (index, text) in texts.enumerated() {
                y += (index == 0 ? ascentAllowance : lineSpacing) * sizes[index]
                lines.append(CaptionLine(
                    text: text, fontSize: sizes[index], baselineY: y, boxX: boxX, boxWidth: boxWidth,
                    centered: false))
            }
        } else {
            // Code on top, caption centred below the quiet zone.
            let sizes = texts.indices.map { $0 == 0 ? height * 0.07 : height * 0.05 }
            let captionHeight = sizes.enumerated().reduce(0.0) { sum, item in
                sum + (item.offset == 0 ? ascentAllowance : lineSpacing) * item.element
            } + sizes.last! * 0.3
            let side = min(width - 2 * padding, height - 2 * padding - captionHeight)
            codeRect = MMRect(x: (width - side) / 2, y: padding, width: side, height: side)
            var y = codeRect.maxY
            for (index, text) in texts.enumerated() {
                y += (index == 0 ? ascentAllowance : lineSpacing) * sizes[index]
                lines.append(CaptionLine(
                    text: text, fontSize: sizes[index], baselineY: y, boxX: padding,
                    boxWidth: width - 2 * padding, centered: true))
            }
        }
        return QRLayout(
            width: width, height: height, codeRect: codeRect, moduleSize: codeRect.width / modules,
            quietZone: quietZone, matrixSize: matrixSize, captionLines: lines)
    }

    /// An estimate of a DejaVu Sans line's width (mm) for renderers without font metrics (SVG): the
    /// font's average advance is about 0.6 em for mixed text.
    public static func estimatedWidth(of text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
