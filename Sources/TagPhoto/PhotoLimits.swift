public import Foundation

/// What a report's photo may be and what is made of it. The defaults take any phone photo (a 40-megapixel
/// 7,728 × 5,152 JPEG of 10–15 MB passes) and refuse decompression bombs from their header.
public struct PhotoLimits: Sendable, Hashable {
    /// Largest upload accepted, in bytes; checked before anything is parsed. Default 15 MB (15,000,000 bytes,
    /// decimal as phones show sizes).
    public var maxBytes: Int
    /// Largest width × height the image header may declare; checked before any pixel is decoded. Default
    /// 100 megapixels: above the 40–50 MP of current phone sensors, far below a 30,000 × 30,000 PNG of zeros
    /// (900 MP in a few hundred KB) that would need gigabytes decoded.
    public var maxPixels: Int
    /// Longest side of the stored JPEG, in pixels; larger photos are scaled down to it, smaller ones are
    /// never scaled up. Default 1,600.
    public var maxSide: Int
    /// libjpeg quality of the stored JPEG, 1–100. Default 82: no visible loss on a 1,600 px photo at about a
    /// third of the bytes of quality 95.
    public var jpegQuality: Int

    /// `maxBytes` and `maxPixels` at least 1, `maxSide` 1…65,535 (a JPEG's limit), `jpegQuality` 1…100;
    /// anything else is a programmer error.
    public init(maxBytes: Int = 15_000_000, maxPixels: Int = 100_000_000, maxSide: Int = 1600, jpegQuality: Int = 82) {
        precondition(maxBytes >= 1, "maxBytes must be at least 1")
        precondition(maxPixels >= 1, "maxPixels must be at least 1")
        precondition((1...65_535).contains(maxSide), "maxSide must be 1…65535 (a JPEG cannot be larger)")
        precondition((1...100).contains(jpegQuality), "jpegQuality must be 1…100")
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.jpegQuality = jpegQuality
    }

    /// Whether a header declaring `width` × `height` is within ``maxPixels`` (and declares any pixels at all).
    func allows(width: Int, height: Int) -> Bool {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return width > 0 && height > 0 && !overflow && pixels <= maxPixels
    }

    /// The factor that brings the longer of `width` × `height` down to ``maxSide``, or nil when it is already
    /// within it (photos are never enlarged).
    func scale(width: Int, height: Int) -> Double? {
        let long = max(width, height)
        return long > maxSide ? Double(maxSide) / Double(long) : nil
    }

    /// The JPEG shrink-on-load factor (1, 2, 4 or 8) for a `width` × `height` JPEG: libjpeg then decodes at
    /// 1/2, 1/4 or 1/8 size from the DCT coefficients, much faster than decoding everything and resizing.
    /// At least a factor of two is left for the Lanczos resize that follows, since the block shrink alone
    /// aliases; a 12 MP photo (4,032 px → 1,600) gets 1, a 40 MP one (7,728 px) gets 2.
    func jpegShrink(width: Int, height: Int) -> Int {
        let factor = Double(max(width, height)) / Double(maxSide)
        for shrink in [8, 4, 2] where factor >= Double(shrink * 2) { return shrink }
        return 1
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
