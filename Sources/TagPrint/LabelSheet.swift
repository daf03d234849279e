public import TagKit
import Foundation

/// What goes on one label.
public struct LabelContent: Sendable {
    public var matrix: QRMatrix
    public var caption: QRCaption?
    public init(matrix: QRMatrix, caption: QRCaption?) {
        self.matrix = matrix
        self.caption = caption
    }
}

/// Imposes labels on sheets: one PDF page per sheet, labels in template order.
public struct LabelSheet: Sendable {
    public var template: LabelTemplate
    public var quietZone: Int
    /// Cut marks in the sheet's margins, in line with every label edge.
    public var cropMarks: Bool
    /// Extra paper around the sheet (mm, e.g. 3): the page grows by this on every side and the sheet
    /// becomes the TrimBox.
    public var bleed: Double
    /// Clear space kept along each label edge (die-cut tolerance), mm.
    public var padding: Double
    /// Flate-compress page content (default). Off, the content streams are readable text (tests parse them).
    public var compressStreams = true

    public init(template: LabelTemplate, quietZone: Int = 4, cropMarks: Bool = false, bleed: Double = 0,
                padding: Double = 1.5) {
        precondition(bleed >= 0 && bleed <= 20, "bleed must be 0…20 mm")
        self.template = template
        self.quietZone = quietZone
        self.cropMarks = cropMarks
        self.bleed = bleed
        self.padding = padding
    }

    /// Page size in mm (paper plus bleed on each side).
    public var pageSize: (width: Double, height: Double) {
        (template.paper.size.width + 2 * bleed, template.paper.size.height + 2 * bleed)
    }

    /// The layout of a code of `matrixSize` modules on one label (label-relative mm).
    public func layout(matrixSize: Int, caption: QRCaption?) -> QRLayout {
        QRLayout.label(
            matrixSize: matrixSize, quietZone: quietZone, width: template.labelWidth,
            height: template.labelHeight, padding: padding, caption: caption)
    }

    /// Module size (mm) a matrix of `matrixSize` gets on this template with a caption.
    public func moduleSize(matrixSize: Int) -> Double {
        layout(matrixSize: matrixSize, caption: QRCaption(lines: ["x", "x", "x"])).moduleSize
    }

    /// Label `index`'s rectangle on its page, in page mm (bleed included), origin top-left.
    public func labelRect(_ index: Int) -> MMRect {
        var rect = template.labelRect(index)
        rect.x += bleed
        rect.y += bleed
        return rect
    }

    /// Writes every label to a PDF at `path` (overwriting it).
    public func writePDF(_ labels: [LabelContent], to path: String, progress: (Int) -> Void = { _ in })
        throws(PDFError)
    {
        let document = try HaruDocument(compress: compressStreams)
        let needsFont = labels.contains { !($0.caption?.isEmpty ?? true) }
        let font = needsFont ? try document.embedFont(path: CaptionFont.path) : nil
        let size = pageSize
        let perSheet = template.labelsPerSheet
        var page: HaruPage?
        for (index, label) in labels.enumerated() {
            if index % perSheet == 0 {
                let trim = bleed > 0
                    ? (x: bleed * pointsPerMM, y: bleed * pointsPerMM,
                       width: template.paper.size.width * pointsPerMM, height: template.paper.size.height * pointsPerMM)
                    : nil
                let newPage = try document.addPage(
                    width: size.width * pointsPerMM, height: size.height * pointsPerMM, trimBox: trim)
                if cropMarks { try drawCropMarks(on: newPage) }
                page = newPage
            }
            let rect = labelRect(index)
            let layout = layout(matrixSize: label.matrix.size, caption: label.caption)
            try label.matrix.draw(
                layout: layout, on: page!, font: font, offsetX: rect.x, offsetY: rect.y, pageHeight: size.height)
            progress(index + 1)
        }
        try document.save(to: path)
    }

    /// Marks in the margins along every column and row edge, stopping `max(bleed, 1 mm)` short of the
    /// labels and running 5 mm outward (or to the page edge).
    func drawCropMarks(on page: HaruPage) throws(PDFError) {
        let size = pageSize
        let gap = max(bleed, 1.0), length = 5.0
        let first = labelRect(0), last = labelRect(template.labelsPerSheet - 1)
        var xs: [Double] = [], ys: [Double] = []
        for column in 0..<template.columns {
            let rect = labelRect(column)
            xs.append(rect.x); xs.append(rect.maxX)
        }
        for row in 0..<template.rows {
            let rect = labelRect(row * template.columns)
            ys.append(rect.y); ys.append(rect.maxY)
        }
        try page.setGray(0)
        try page.setLineWidth(0.25)
        func segment(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) throws(PDFError) {
            try page.move(to: x0 * pointsPerMM, (size.height - y0) * pointsPerMM)
            try page.line(to: x1 * pointsPerMM, (size.height - y1) * pointsPerMM)
        }
        for x in Set(xs).sorted() {
            let top = first.y - gap, bottom = last.maxY + gap
            if top > 0 { try segment(x, top, x, max(0, top - length)) }
            if bottom < size.height { try segment(x, bottom, x, min(size.height, bottom + length)) }
        }
        for y in Set(ys).sorted() {
            let left = first.x - gap, right = last.maxX + gap
            if left > 0 { try segment(left, y, max(0, left - length), y) }
            if right < size.width { try segment(right, y, min(size.width, right + length), y) }
        }
        try page.stroke()
    }
}
