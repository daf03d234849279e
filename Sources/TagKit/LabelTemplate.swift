/// A sheet of paper.
public enum Paper: String, CaseIterable, Sendable, Codable {
    case a4
    case letter

    /// Width and height in mm (portrait).
    public var size: (width: Double, height: Double) {
        switch self {
        case .a4: (210, 297)
        case .letter: (215.9, 279.4)
        }
    }
}

/// A sheet of die-cut labels: how many, how big, and where they sit on the paper (mm, origin top-left).
///
/// Presets are the Avery A4 sheets print shops stock. Their margins and pitches come from the published
/// Avery/Label Planet template specifications for the compatible LP14/99, LP21/63 and LP65/38 sheets;
/// each preset adds up exactly to 210 × 297 mm:
/// - L7163: 2 × 7 of 99.1 × 38.1, left margin 4.65, top 15.15, pitch 101.6 × 38.1
///   (4.65 + 99.1 + 2.5 + 99.1 + 4.65 = 210; 15.15 + 7 × 38.1 + 15.15 = 297);
/// - L7160: 3 × 7 of 63.5 × 38.1, left 7.25, top 15.15, pitch 66.0 × 38.1;
/// - L7651: 5 × 13 of 38.1 × 21.2, left 4.75, top 10.7, pitch 40.6 × 21.2.
public struct LabelTemplate: Hashable, Sendable {
    public var name: String
    public var paper: Paper
    public var columns: Int
    public var rows: Int
    public var labelWidth: Double
    public var labelHeight: Double
    /// Distance from the paper's left edge to the first column.
    public var marginLeft: Double
    /// Distance from the paper's top edge to the first row.
    public var marginTop: Double
    /// Space between columns and between rows (pitch minus label size).
    public var gapX: Double
    public var gapY: Double

    public init(
        name: String, paper: Paper, columns: Int, rows: Int, labelWidth: Double, labelHeight: Double,
        marginLeft: Double, marginTop: Double, gapX: Double, gapY: Double
    ) {
        self.name = name; self.paper = paper; self.columns = columns; self.rows = rows
        self.labelWidth = labelWidth; self.labelHeight = labelHeight
        self.marginLeft = marginLeft; self.marginTop = marginTop; self.gapX = gapX; self.gapY = gapY
    }

    public var labelsPerSheet: Int { columns * rows }

    public static let averyL7163 = LabelTemplate(
        name: "avery-l7163", paper: .a4, columns: 2, rows: 7, labelWidth: 99.1, labelHeight: 38.1,
        marginLeft: 4.65, marginTop: 15.15, gapX: 2.5, gapY: 0)
    public static let averyL7160 = LabelTemplate(
        name: "avery-l7160", paper: .a4, columns: 3, rows: 7, labelWidth: 63.5, labelHeight: 38.1,
        marginLeft: 7.25, marginTop: 15.15, gapX: 2.5, gapY: 0)
    public static let averyL7651 = LabelTemplate(
        name: "avery-l7651", paper: .a4, columns: 5, rows: 13, labelWidth: 38.1, labelHeight: 21.2,
        marginLeft: 4.75, marginTop: 10.7, gapX: 2.5, gapY: 0)

    public static let presets = [averyL7163, averyL7160, averyL7651]

    /// The rectangle of label `index` (0-based, row by row) on its sheet.
    public func labelRect(_ index: Int) -> MMRect {
        let slot = index % labelsPerSheet
        let column = slot % columns, row = slot / columns
        return MMRect(
            x: marginLeft + Double(column) * (labelWidth + gapX),
            y: marginTop + Double(row) * (labelHeight + gapY),
            width: labelWidth, height: labelHeight)
    }

    /// Parses a preset name, or `grid:COLSxROWS:WxHmm` (e.g. `grid:3x8:63.5x33.9mm`). A grid is centred
    /// on `paper` with the given gaps unless `marginLeft`/`marginTop` are given.
    public static func parse(
        _ text: String, paper: Paper? = nil, gapX: Double = 0, gapY: Double = 0,
        marginLeft: Double? = nil, marginTop: Double? = nil
    ) throws(LabelTemplateError) -> LabelTemplate {
        let lower = text.lowercased()
        if let preset = presets.first(where: { $0.name == lower }) {
            if let paper, paper != preset.paper {
                throw .paperMismatch(template: preset.name, paper: paper)
            }
            return preset
        }
        guard lower.hasPrefix("grid:") else { throw .unknown(text) }
        let parts = lower.dropFirst(5).split(separator: ":")
        guard parts.count == 2 else { throw .malformedGrid(text) }
        let counts = parts[0].split(separator: "x")
        var sizeText = parts[1]
        guard sizeText.hasSuffix("mm") else { throw .malformedGrid(text) }
        sizeText = sizeText.dropLast(2)
        let sizes = sizeText.split(separator: "x")
        guard counts.count == 2, sizes.count == 2,
              let columns = Int(counts[0]), let rows = Int(counts[1]), columns > 0, rows > 0,
              let width = Double(sizes[0]), let height = Double(sizes[1]), width > 0, height > 0
        else { throw .malformedGrid(text) }
        let sheet = paper ?? .a4
        let usedWidth = Double(columns) * width + Double(columns - 1) * gapX
        let usedHeight = Double(rows) * height + Double(rows - 1) * gapY
        let left = marginLeft ?? (sheet.size.width - usedWidth) / 2
        let top = marginTop ?? (sheet.size.height - usedHeight) / 2
        guard left >= 0, top >= 0, left + usedWidth <= sheet.size.width + 1e-9,
              top + usedHeight <= sheet.size.height + 1e-9
        else {
            throw .doesNotFit(text, paper: sheet, width: left + usedWidth, height: top + usedHeight)
        }
        return LabelTemplate(
            name: lower, paper: sheet, columns: columns, rows: rows, labelWidth: width, labelHeight: height,
            marginLeft: left, marginTop: top, gapX: gapX, gapY: gapY)
    }
}

/// Why a label template is unusable.
public enum LabelTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(String)
    case malformedGrid(String)
    case paperMismatch(template: String, paper: Paper)
    case doesNotFit(String, paper: Paper, width: Double, height: Double)

    public var description: String {
        switch self {
        case .unknown(let text):
            "unknown template '\(text)' — use avery-l7163, avery-l7160, avery-l7651 or grid:COLSxROWS:WxHmm"
        case .malformedGrid(let text):
            "template '\(text)' is not of the form grid:COLSxROWS:WxHmm (e.g. grid:3x8:63.5x33.9mm)"
        case let .paperMismatch(template, paper):
            "\(template) is an A4 sheet, not \(paper.rawValue) — drop --paper or use a grid: template"
        case let .doesNotFit(text, paper, width, height):
            "template '\(text)' needs \(width) × \(height) mm, more than \(paper.rawValue) "
                + "(\(paper.size.width) × \(paper.size.height) mm) — fewer labels, smaller gaps or margins"
        }
    }
}
