// The only file that touches libharu (module CHaru). Why libharu and not cairo for PDF: cairo's PDF
// surface writes every colour as DeviceRGB, so "black" reaches the print shop as RGB 0/0/0, which their
// RIP converts to four-colour rich black (blurry, misregistered module edges). libharu lets us set
// DeviceGray 0 (`0 g`), a single black ink, and embeds TrueType fonts with UTF-8 text.
import CHaru
import Foundation

/// Why a PDF could not be made. The message says what to do.
public struct PDFError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: UInt
    public var detail: UInt
    /// What to do about it, when known better than the error code says.
    public var hint: String?

    public init(operation: String, code: UInt, detail: UInt, hint: String? = nil) {
        self.operation = operation
        self.code = code
        self.detail = detail
        self.hint = hint
    }

    public var description: String {
        var text = "libharu failed in \(operation) (error 0x\(String(code, radix: 16, uppercase: true)), detail \(detail))"
        if let hint { return text + " — " + hint }
        switch code {
        case 0x1016, 0x1017: text += " — check that the output folder exists and is writable"
        case 0x102D, 0x102E, 0x102F, 0x105D, 0x105E: text += " — the caption font could not be embedded; install fonts-dejavu-core"
        default: break
        }
        return text
    }
}

/// A libharu document. Owns the `HPDF_Doc` and frees it in `deinit`. Units are PDF points.
final class HaruDocument {
    private let doc: HPDF_Doc
    private var fontName: String?

    init(compress: Bool = true) throws(PDFError) {
        guard let doc = HPDF_New(nil, nil) else {
            throw PDFError(operation: "HPDF_New", code: 0, detail: 0)
        }
        self.doc = doc
        if compress { try check(HPDF_SetCompressionMode(doc, UInt32(HPDF_COMP_ALL)), "HPDF_SetCompressionMode") }
    }

    deinit { HPDF_Free(doc) }

    /// The one checking function: every status-returning libharu call goes through here.
    private func check(_ status: HPDF_STATUS, _ operation: String) throws(PDFError) {
        guard status != UInt(HPDF_OK) else { return }
        let detail = UInt(HPDF_GetErrorDetail(doc))
        HPDF_ResetError(doc)
        throw PDFError(operation: operation, code: status, detail: detail)
    }

    private func lastError(_ operation: String) -> PDFError {
        let error = PDFError(operation: operation, code: UInt(HPDF_GetError(doc)), detail: UInt(HPDF_GetErrorDetail(doc)))
        HPDF_ResetError(doc)
        return error
    }

    /// Embeds a TrueType font (subset not supported by libharu 2.3: the whole font is embedded) and
    /// selects UTF-8 text for it.
    func embedFont(path: String) throws(PDFError) -> HaruFont {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PDFError(
                operation: "HPDF_LoadTTFontFromFile", code: 0x1017, detail: 0,
                hint: "caption font \(path) is missing — apt-get install fonts-dejavu-core (or set CIVICTAGS_CAPTION_FONT)")
        }
        try check(HPDF_UseUTFEncodings(doc), "HPDF_UseUTFEncodings")
        guard let name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE) else {
            throw lastError("HPDF_LoadTTFontFromFile(\(path))")
        }
        guard let font = HPDF_GetFont(doc, name, "UTF-8") else { throw lastError("HPDF_GetFont") }
        return HaruFont(font: font)
    }

    /// Adds a page of `width × height` points. `trimBox` (points, from the bottom-left) marks the
    /// finished sheet inside a page enlarged for bleed.
    func addPage(width: Double, height: Double, trimBox: (x: Double, y: Double, width: Double, height: Double)? = nil)
        throws(PDFError) -> HaruPage
    {
        guard let page = HPDF_AddPage(doc) else { throw lastError("HPDF_AddPage") }
        try check(HPDF_Page_SetWidth(page, Float(width)), "HPDF_Page_SetWidth")
        try check(HPDF_Page_SetHeight(page, Float(height)), "HPDF_Page_SetHeight")
        if let trim = trimBox {
            // libharu 2.3 has no TrimBox/BleedBox setter; a page is a dictionary, so add the arrays.
            let bleed = HPDF_Box(left: 0, bottom: 0, right: Float(width), top: Float(height))
            let trimmed = HPDF_Box(
                left: Float(trim.x), bottom: Float(trim.y), right: Float(trim.x + trim.width),
                top: Float(trim.y + trim.height))
            guard let bleedArray = HPDF_Box_Array_New(page.pointee.mmgr, bleed),
                  let trimArray = HPDF_Box_Array_New(page.pointee.mmgr, trimmed)
            else { throw lastError("HPDF_Box_Array_New") }
            try check(HPDF_Dict_Add(page, "BleedBox", UnsafeMutableRawPointer(bleedArray)), "BleedBox")
            try check(HPDF_Dict_Add(page, "TrimBox", UnsafeMutableRawPointer(trimArray)), "TrimBox")
        }
        return HaruPage(page: page, document: self)
    }

    func save(to path: String) throws(PDFError) {
        try check(HPDF_SaveToFile(doc, path), "HPDF_SaveToFile(\(path))")
    }

    fileprivate func pageCheck(_ status: HPDF_STATUS, _ operation: String) throws(PDFError) {
        try check(status, operation)
    }
}

/// A font loaded into one document (valid while the document lives).
struct HaruFont {
    fileprivate let font: HPDF_Font
}

/// Drawing on one page. Coordinates are PDF points from the bottom-left corner.
struct HaruPage {
    fileprivate let page: HPDF_Page
    /// Keeps the document (and so this page) alive.
    let document: HaruDocument

    /// Fill and stroke with DeviceGray `level` (0 = full black, a single ink).
    func setGray(_ level: Double) throws(PDFError) {
        try document.pageCheck(HPDF_Page_SetGrayFill(page, Float(level)), "HPDF_Page_SetGrayFill")
        try document.pageCheck(HPDF_Page_SetGrayStroke(page, Float(level)), "HPDF_Page_SetGrayStroke")
    }

    func move(to x: Double, _ y: Double) throws(PDFError) {
        try document.pageCheck(HPDF_Page_MoveTo(page, Float(x), Float(y)), "HPDF_Page_MoveTo")
    }

    func line(to x: Double, _ y: Double) throws(PDFError) {
        try document.pageCheck(HPDF_Page_LineTo(page, Float(x), Float(y)), "HPDF_Page_LineTo")
    }

    func closePath() throws(PDFError) {
        try document.pageCheck(HPDF_Page_ClosePath(page), "HPDF_Page_ClosePath")
    }

    /// Fills the current path with the non-zero winding rule.
    func fill() throws(PDFError) {
        try document.pageCheck(HPDF_Page_Fill(page), "HPDF_Page_Fill")
    }

    /// Line width for the next stroke; set it before starting a path (PDF forbids it inside one).
    func setLineWidth(_ width: Double) throws(PDFError) {
        try document.pageCheck(HPDF_Page_SetLineWidth(page, Float(width)), "HPDF_Page_SetLineWidth")
    }

    func stroke() throws(PDFError) {
        try document.pageCheck(HPDF_Page_Stroke(page), "HPDF_Page_Stroke")
    }

    /// Width in points of `text` (UTF-8) set in `font` at `size` points.
    func textWidth(_ text: String, font: HaruFont, size: Double) throws(PDFError) -> Double {
        try document.pageCheck(HPDF_Page_SetFontAndSize(page, font.font, Float(size)), "HPDF_Page_SetFontAndSize")
        return Double(HPDF_Page_TextWidth(page, text))
    }

    /// Shows `text` with its baseline starting at (`x`, `y`).
    func showText(_ text: String, font: HaruFont, size: Double, x: Double, y: Double) throws(PDFError) {
        try document.pageCheck(HPDF_Page_BeginText(page), "HPDF_Page_BeginText")
        try document.pageCheck(HPDF_Page_SetFontAndSize(page, font.font, Float(size)), "HPDF_Page_SetFontAndSize")
        try document.pageCheck(HPDF_Page_TextOut(page, Float(x), Float(y), text), "HPDF_Page_TextOut")
        try document.pageCheck(HPDF_Page_EndText(page), "HPDF_Page_EndText")
    }
}
