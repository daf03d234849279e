internal import CVips
internal import Crypto
public import Foundation

/// Turns a citizen's uploaded photo into the JPEG the town keeps: decoded by libvips with the one loader its
/// magic bytes name, scaled to fit ``PhotoLimits/maxSide``, turned upright, converted to sRGB and re-encoded
/// with no metadata. The uploaded bytes are never passed through: every output byte is a fresh encode.
///
/// The only file that touches libvips. Safe to call from any number of threads at once.
public enum PhotoPipeline {
    /// Checks and re-encodes one upload, or throws why not (and produces nothing). In order: the byte size
    /// (before any parsing), the magic bytes, the header's width × height (before any pixel is decoded), then
    /// the decode itself, which fails on truncated or corrupt data instead of filling in grey.
    ///
    /// Costs about one decode at the photo's size (JPEGs of four or more times ``PhotoLimits/maxSide`` are
    /// decoded at 1/2–1/8 size). Memory: a copy of the upload, the scaled photo when an EXIF orientation must be
    /// turned (at most 1,600² × 3 bytes at the default), and what the decoder holds — a few strips of pixels
    /// for baseline JPEG and plain PNG, but the whole bitmap for HEIC, WebP, progressive JPEG and interlaced
    /// PNG, whose libraries decode all at once: up to ``PhotoLimits/maxPixels`` × 4 bytes.
    public static func process(_ data: Data, limits: PhotoLimits = .init()) throws(PhotoError) -> ProcessedPhoto {
        guard data.count <= limits.maxBytes else { throw .tooLarge(bytes: data.count, limit: limits.maxBytes) }
        let format = try PhotoFormat.sniff(data)
        try libvips.get()

        let upload = UploadBytes(data)
        var image = try VipsPicture.load(format, from: upload)
        guard limits.allows(width: image.width, height: image.height) else {
            throw .tooManyPixels(width: image.width, height: image.height, limit: limits.maxPixels)
        }
        if format == .jpeg {
            let shrink = limits.jpegShrink(width: image.width, height: image.height)
            if shrink > 1 { image = try VipsPicture.load(format, from: upload, jpegShrink: shrink) }
        }
        // Flatten before scaling so transparent edges blend with white rather than with hidden colours.
        var isSRGB = false
        if image.hasAlpha {
            image = try image.inSRGB().derived("flatten onto white", civic_vips_flatten_white)
            isSRGB = true
        }
        if let scale = limits.scale(width: image.width, height: image.height) {
            image = try image.derived("resize") { civic_vips_resize($0, $1, scale) }
        }
        if !isSRGB { image = try image.inSRGB() }
        // Scaling keeps the long side, so turning afterwards is equivalent and turns a small image. Turning reads
        // columns, which a top-to-bottom loader cannot serve, so the small image is rendered to memory first.
        if try image.orientation != 1 {
            image = try image.inMemory().derived("turn upright", civic_vips_autorot)
        }
        let jpeg = try image.jpeg(quality: limits.jpegQuality)
        return ProcessedPhoto(
            jpeg: jpeg, width: image.width, height: image.height, sourceFormat: format,
            sha256Hex: hex(SHA256.hash(data: jpeg)))
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return String(digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}

/// A photo as the town keeps it: a fresh JPEG (sRGB, upright, longest side at most ``PhotoLimits/maxSide``)
/// with no metadata at all — no EXIF (GPS, camera serials, dates), XMP, IPTC, ICC profile or comment — and
/// none of the uploaded bytes.
public struct ProcessedPhoto: Sendable, Hashable {
    /// The JPEG file, baseline, 8-bit sRGB (three channels; greyscale and transparent photos included).
    public var jpeg: Data
    /// Pixel size of ``jpeg``, after orientation was applied.
    public var width: Int
    public var height: Int
    /// What the upload was.
    public var sourceFormat: PhotoFormat
    /// SHA-256 of ``jpeg`` as 64 lowercase hex digits: the photo's content address. The same upload with the
    /// same limits and the same libvips gives the same bytes, hence the same address.
    public var sha256Hex: String

    public init(jpeg: Data, width: Int, height: Int, sourceFormat: PhotoFormat, sha256Hex: String) {
        self.jpeg = jpeg
        self.width = width
        self.height = height
        self.sourceFormat = sourceFormat
        self.sha256Hex = sha256Hex
    }
}

/// libvips started once per process (on first use, thread-safely, as a Swift global), or why it could not.
///
/// Process-wide settings, chosen for a server decoding untrusted uploads:
/// - every loader is blocked except the four the pipeline calls by name, and libvips's own "untrusted"
///   operations (ImageMagick, PDF, SVG, …) are blocked too — nothing can reach them even by accident;
/// - the operation cache is off: each upload is seen once, and a cache would hold decoded images;
/// - one worker thread per photo (unless `VIPS_CONCURRENCY` is set), so concurrent requests each use one
///   core and a few strips of memory instead of all of them competing for every core.
private let libvips: Result<Void, PhotoError> = {
    guard vips_init("civictags") == 0 else { return .failure(vipsFailure("start libvips", nil)) }
    vips_block_untrusted_set(1)
    vips_operation_block_set("VipsForeignLoad", 1)
    for loader in ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadHeif"] {
        vips_operation_block_set(loader, 0)
    }
    vips_cache_set_max(0)
    if ProcessInfo.processInfo.environment["VIPS_CONCURRENCY"] == nil { vips_concurrency_set(1) }
    return .success(())
}()

/// The one check every libvips return code goes through: 0 is success; anything else becomes a typed error
/// carrying libvips's message (taken from its error buffer, which is cleared).
private func check(_ status: Int32, _ step: String, _ format: PhotoFormat?) throws(PhotoError) {
    if status != 0 { throw vipsFailure(step, format) }
}

/// The error for a failed libvips `step`: ``PhotoError/undecodable(format:detail:)`` while working on an
/// upload of `format` (a lazy decoder reports bad data at whichever later step first pulls pixels), else
/// ``PhotoError/unavailable(detail:)``. Takes and clears libvips's error buffer. Concurrent failures share that
/// buffer, so a log line may carry another request's message too; the citizen's message never shows it.
private func vipsFailure(_ step: String, _ format: PhotoFormat?) -> PhotoError {
    var message = "libvips gave no message"
    if let buffer = vips_error_buffer_copy() {
        let text = String(cString: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { message = text.split(separator: "\n").joined(separator: "; ") }
        g_free(buffer)
    }
    let detail = "\(step): \(message)"
    return format.map { .undecodable(format: $0, detail: detail) } ?? .unavailable(detail: detail)
}

/// A private copy of the upload. libvips's buffer loaders do not copy: they read the bytes lazily, whenever a
/// later step pulls pixels, so the bytes must outlive every image made from them (each ``VipsPicture`` holds
/// this object).
private final class UploadBytes {
    let bytes: UnsafeMutableRawPointer
    let count: Int

    init(_ data: Data) {
        count = data.count
        bytes = .allocate(byteCount: max(count, 1), alignment: 16)
        data.withUnsafeBytes { source in
            if let base = source.baseAddress { bytes.copyMemory(from: base, byteCount: count) }
        }
    }

    deinit { bytes.deallocate() }
}

/// One `VipsImage` reference, released when this object goes. libvips images are lazy pipelines: each
/// operation returns a new image that refers to its input, and pixels flow only when the JPEG is encoded.
private final class VipsPicture {
    private let image: UnsafeMutablePointer<VipsImage>
    private let upload: UploadBytes
    private let format: PhotoFormat

    private init(_ image: UnsafeMutablePointer<VipsImage>, upload: UploadBytes, format: PhotoFormat) {
        self.image = image
        self.upload = upload
        self.format = format
    }

    deinit { g_object_unref(image) }

    /// Reads the header of an upload of `format` with that format's own loader — never libvips's generic
    /// loader, which picks by content and could reach loaders for other formats. No pixel is decoded here.
    static func load(_ format: PhotoFormat, from upload: UploadBytes, jpegShrink: Int = 1) throws(PhotoError) -> VipsPicture {
        var out: UnsafeMutablePointer<VipsImage>?
        let status =
            switch format {
            case .jpeg: civic_vips_jpegload(upload.bytes, upload.count, Int32(jpegShrink), &out)
            case .png: civic_vips_pngload(upload.bytes, upload.count, &out)
            case .webp: civic_vips_webpload(upload.bytes, upload.count, &out)
            case .heic: civic_vips_heifload(upload.bytes, upload.count, &out)
            }
        try check(status, "read \(format) header", format)
        guard let out else { throw vipsFailure("read \(format) header (no image)", format) }
        return VipsPicture(out, upload: upload, format: format)
    }

    var width: Int { Int(vips_image_get_width(image)) }
    var height: Int { Int(vips_image_get_height(image)) }
    var hasAlpha: Bool { vips_image_hasalpha(image) != 0 }

    /// The EXIF orientation (1–8; 1 is upright), 1 when the photo has none.
    var orientation: Int {
        get throws(PhotoError) {
            guard vips_image_get_typeof(image, VIPS_META_ORIENTATION) != 0 else { return 1 }
            var value: Int32 = 1
            try check(vips_image_get_int(image, VIPS_META_ORIENTATION, &value), "read orientation", format)
            return Int(value)
        }
    }

    /// The image one libvips operation makes of this one.
    func derived(
        _ step: String,
        _ operation: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32
    ) throws(PhotoError) -> VipsPicture {
        var out: UnsafeMutablePointer<VipsImage>?
        try check(operation(image, &out), step, format)
        guard let out else { throw vipsFailure("\(step) (no image)", format) }
        return VipsPicture(out, upload: upload, format: format)
    }

    /// 8-bit sRGB: through the embedded ICC profile when there is a usable one (phones write Display P3),
    /// else from the image's colour space (greyscale, 16-bit, CMYK). A profile lcms cannot use is ignored.
    func inSRGB() throws(PhotoError) -> VipsPicture {
        if vips_image_get_typeof(image, VIPS_META_ICC_NAME) != 0,
            let converted = try? derived("convert from ICC profile", civic_vips_icc_to_srgb)
        {
            return converted
        }
        return try derived("convert to sRGB", civic_vips_colourspace_srgb)
    }

    /// The same pixels rendered into memory: this is where a lazy decoder's errors surface.
    func inMemory() throws(PhotoError) -> VipsPicture {
        guard let copy = vips_image_copy_memory(image) else { throw vipsFailure("decode", format) }
        return VipsPicture(copy, upload: upload, format: format)
    }

    /// The encoded JPEG, no metadata; pulls every pixel through the pipeline, so decode errors surface here.
    func jpeg(quality: Int) throws(PhotoError) -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        try check(civic_vips_jpegsave(image, &buffer, &length, Int32(quality)), "decode and encode JPEG", format)
        guard let buffer else { throw vipsFailure("encode JPEG (no output)", format) }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }
}
