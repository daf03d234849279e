public import TagKit
import Foundation

/// The caption font: DejaVu Sans from Debian's fonts-dejavu-core (covers French, and most Latin,
/// Greek and Cyrillic). `CIVICTAGS_CAPTION_FONT` points elsewhere.
public enum CaptionFont {
    public static var path: String {
        ProcessInfo.processInfo.environment["CIVICTAGS_CAPTION_FONT"]
            ?? "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    }
}

let pointsPerMM = 72.0 / 25.4

extension QRMatrix {
    /// Writes a one-page vector PDF of this code (page = the layout's exact size in mm), black as
    /// DeviceGray 0, caption in embedded DejaVu Sans.
    public func writePDF(to path: String, options: QRRenderOptions = .init(), compress: Bool = true) throws(PDFError) {
        let layout = layout(options)
        let document = try HaruDocument(compress: compress)
        let font = layout.captionLines.isEmpty ? nil : try document.embedFont(path: CaptionFont.path)
        let page = try document.addPage(width: layout.width * pointsPerMM, height: layout.height * pointsPerMM)
        try draw(layout: layout, on: page, font: font, offsetX: 0, offsetY: 0, pageHeight: layout.height)
        try document.save(to: path)
    }

    /// Draws `layout` with its top-left corner at (`offsetX`, `offsetY`) mm on a page `pageHeight` mm
    /// tall (PDF's y axis points up, the layout's down).
    func draw(
        layout: QRLayout, on page: HaruPage, font: HaruFont?, offsetX: Double, offsetY: Double,
        pageHeight: Double
    ) throws(PDFError) {
        try page.setGray(0)
        let origin = layout.symbolOrigin
        let module = layout.moduleSize
        let baseX = offsetX + origin.x, baseY = offsetY + origin.y
        for polygon in outline.polygons({ x, y in
            ((baseX + Double(x) * module) * pointsPerMM, (pageHeight - baseY - Double(y) * module) * pointsPerMM)
        }) {
            try page.move(to: polygon[0].x, polygon[0].y)
            for point in polygon.dropFirst() { try page.line(to: point.x, point.y) }
            try page.closePath()
        }
        try page.fill()
        guard let font else { return }
        for line in layout.captionLines {
            var size = line.fontSize * pointsPerMM
            let boxWidth = line.boxWidth * pointsPerMM
            var width = try page.textWidth(line.text, font: font, size: size)
            if width > boxWidth, width > 0 {
                size *= boxWidth / width
                width = boxWidth
            }
            let x = (offsetX + line.boxX) * pointsPerMM + (line.centered ? (boxWidth - width) / 2 : 0)
            try page.showText(
                line.text, font: font, size: size, x: x, y: (pageHeight - offsetY - line.baselineY) * pointsPerMM)
        }
    }
}
