public import TagKit

extension QRMatrix {
    /// A PNG of this code (and caption) at `dpi`, with the `pHYs` chunk set so layout programs place it
    /// at its true size. Module edges are snapped to whole pixels.
    public func png(_ options: QRRenderOptions = .init(), dpi: Double = 300) throws(RasterError) -> [UInt8] {
        try png(layout: layout(options), dpi: dpi)
    }

    /// A PNG of any layout (standalone or a label) at `dpi` (72…2400).
    public func png(layout: QRLayout, dpi: Double) throws(RasterError) -> [UInt8] {
        precondition((72...2400).contains(dpi), "dpi must be 72…2400")
        let canvas = try raster(layout: layout, dpi: dpi)
        return PNGFile.settingResolution(try canvas.pngBytes(), dpi: dpi)
    }

    /// Draws the layout on a new canvas (also used by `--verify` for SVG output).
    func raster(layout: QRLayout, dpi: Double) throws(RasterError) -> CairoCanvas {
        let pxPerMM = dpi / 25.4
        let canvas = try CairoCanvas(
            width: max(1, Int((layout.width * pxPerMM).rounded())),
            height: max(1, Int((layout.height * pxPerMM).rounded())))
        let origin = layout.symbolOrigin
        let polygons = outline.polygons { x, y in
            (((origin.x + Double(x) * layout.moduleSize) * pxPerMM).rounded(),
             ((origin.y + Double(y) * layout.moduleSize) * pxPerMM).rounded())
        }
        try canvas.fillPolygons(polygons)
        for line in layout.captionLines {
            try canvas.drawText(
                line.text, fontSize: line.fontSize * pxPerMM, boxX: line.boxX * pxPerMM,
                maxWidth: line.boxWidth * pxPerMM, baselineY: line.baselineY * pxPerMM, centered: line.centered)
        }
        return canvas
    }
}

extension QROutline {
    /// Every loop as a list of vertices, mapped from module-grid corners by `point`.
    func polygons(_ point: (Int, Int) -> (x: Double, y: Double)) -> [[(x: Double, y: Double)]] {
        (0..<loopCount).map { index in corners(ofLoop: index).map { point($0.x, $0.y) } }
    }
}
