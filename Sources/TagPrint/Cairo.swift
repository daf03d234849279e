// The only file that touches cairo (module CCairo). cairo rasterises the code and the caption text
// (through fontconfig, so DejaVu Sans and its accents) for PNG output and for `--verify`; PDF is libharu's.
import CCairo
import Foundation

/// Why a raster image could not be made.
public struct RasterError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var status: String
    public var description: String {
        "cairo failed in \(operation): \(status) — for very large images lower --dpi or --size"
    }
}

/// An RGB image surface plus its drawing context; both freed in `deinit`. Units are pixels, origin
/// top-left, y down.
final class CairoCanvas {
    private let surface: OpaquePointer
    private let context: OpaquePointer
    let width: Int
    let height: Int

    init(width: Int, height: Int) throws(RasterError) {
        precondition(width > 0 && height > 0, "canvas must not be empty")
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw RasterError(operation: "cairo_image_surface_create", status: CairoCanvas.text(status))
        }
        self.surface = surface
        self.context = cairo_create(surface)!
        self.width = width
        self.height = height
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_set_source_rgb(context, 0, 0, 0)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    private static func text(_ status: cairo_status_t) -> String {
        String(cString: cairo_status_to_string(status))
    }

    /// The one checking function for the drawing context's sticky error status.
    private func check(_ operation: String) throws(RasterError) {
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RasterError(operation: operation, status: CairoCanvas.text(status))
        }
    }

    /// Fills closed polygons (vertex lists in pixels) in black with the non-zero rule and no
    /// anti-aliasing, so module edges land on whole pixels.
    func fillPolygons(_ polygons: [[(x: Double, y: Double)]]) throws(RasterError) {
        cairo_save(context)
        cairo_set_antialias(context, CAIRO_ANTIALIAS_NONE)
        cairo_set_fill_rule(context, CAIRO_FILL_RULE_WINDING)
        for polygon in polygons {
            guard let first = polygon.first else { continue }
            cairo_move_to(context, first.x, first.y)
            for point in polygon.dropFirst() { cairo_line_to(context, point.x, point.y) }
            cairo_close_path(context)
        }
        cairo_fill(context)
        cairo_restore(context)
        try check("cairo_fill")
    }

    /// Draws one line of text in DejaVu Sans, baseline at `baselineY`, shrunk to fit `maxWidth` pixels;
    /// centred in the box or left-aligned at `boxX`.
    func drawText(
        _ text: String, fontSize: Double, boxX: Double, maxWidth: Double, baselineY: Double, centered: Bool
    ) throws(RasterError) {
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, fontSize)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        var advance = extents.x_advance
        if advance > maxWidth, advance > 0 {
            cairo_set_font_size(context, fontSize * maxWidth / advance)
            cairo_text_extents(context, text, &extents)
            advance = extents.x_advance
        }
        let x = centered ? boxX + (maxWidth - advance) / 2 : boxX
        cairo_move_to(context, x, baselineY)
        cairo_show_text(context, text)
        try check("cairo_show_text")
    }

    /// The image as one grey byte per pixel (0 black … 255 white), row-major, for checks.
    func grayPixels() -> [UInt8] {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return [] }
        var out = [UInt8]()
        out.reserveCapacity(width * height)
        for y in 0..<height {
            for x in 0..<width {
                // RGB24 is stored as native-endian 32-bit 0xXXRRGGBB; average the three channels.
                let pixel = data.advanced(by: y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                let r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF
                out.append(UInt8((r + g + b) / 3))
            }
        }
        return out
    }

    /// The image as a PNG file (written by cairo's libpng), returned as bytes.
    func pngBytes() throws(RasterError) -> [UInt8] {
        cairo_surface_flush(surface)
        let sink = PNGSink()
        let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<PNGSink>.fromOpaque(closure).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RasterError(operation: "cairo_surface_write_to_png_stream", status: CairoCanvas.text(status))
        }
        return withExtendedLifetime(sink) { sink.bytes }
    }
}

private final class PNGSink {
    var bytes: [UInt8] = []
}
