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

/// Why a report's photo was refused. ``description`` is written for the citizen who sent it — what went wrong
/// and what to do — and never carries library text; ``logDetail`` adds what an operator needs (sizes, limits,
/// the decoder's own message). Nothing is produced when any of these is thrown.
public enum PhotoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The upload is `bytes` long, over ``PhotoLimits/maxBytes`` (`limit`). Refused before anything is decoded.
    case tooLarge(bytes: Int, limit: Int)
    /// The upload is not a JPEG, PNG, WebP or HEIC file; `looksLike` names what its first bytes say it is
    /// ("a PDF document", "a GIF image", "an empty file").
    case notAnImage(looksLike: String)
    /// The image header declares `width` × `height` pixels, over ``PhotoLimits/maxPixels`` (`limit`):
    /// a decompression bomb or a panorama too large to hold. Refused from the header, before any pixel is decoded.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The file starts like a photo of `format` but its decoder gave up: cut short, corrupt, or not really that
    /// format. `detail` is the decoder's message, for logs.
    case undecodable(format: PhotoFormat, detail: String)
    /// The photo library could not start or failed for a reason that is not the photo's (for example out of
    /// memory). `detail` is its message, for logs; the citizen is asked to try again later.
    case unavailable(detail: String)

    /// What the citizen is told: one or two sentences, with the fix.
    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "The photo is \(Self.megabytes(bytes, roundingUp: true)), more than the \(Self.megabytes(limit)) we accept. "
                + "Please send a smaller photo (a lower camera resolution, or a screenshot of it)."
        case .notAnImage(let looksLike):
            "This file is \(looksLike), not a photo we can take. Please attach a JPEG, PNG, WebP or HEIC photo."
        case .tooManyPixels(let width, let height, _):
            "The picture is \(width) × \(height) pixels, far larger than a phone photo. "
                + "Please send a normal photo of the place."
        case .undecodable:
            "The photo could not be read (it may be cut short or damaged). Please take it again."
        case .unavailable:
            "Photos cannot be processed right now. Please try again later, or send the report without a photo."
        }
    }

    /// ``description`` plus what an operator needs to see in the logs: sizes against limits, the format that
    /// was sniffed, and the decoder's message.
    public var logDetail: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "photo refused: \(bytes) bytes > maxBytes \(limit)"
        case .notAnImage(let looksLike):
            "photo refused: not JPEG/PNG/WebP/HEIC by its magic bytes; looks like \(looksLike)"
        case .tooManyPixels(let width, let height, let limit):
            "photo refused: header says \(width)x\(height) = \(width * height) pixels > maxPixels \(limit)"
        case .undecodable(let format, let detail):
            "photo refused: \(format) decoder failed: \(detail)"
        case .unavailable(let detail):
            "photo pipeline unavailable: \(detail)"
        }
    }

    /// `bytes` in decimal megabytes as phones show file sizes: "15 MB", "15.2 MB". A size over a limit rounds
    /// up, so 15,000,001 bytes never reads as "15 MB, more than the 15 MB we accept".
    static func megabytes(_ bytes: Int, roundingUp: Bool = false) -> String {
        let tenths = roundingUp ? (bytes + 99_999) / 100_000 : (bytes + 50_000) / 100_000
        return tenths % 10 == 0 ? "\(tenths / 10) MB" : "\(tenths / 10).\(tenths % 10) MB"
    }
}
