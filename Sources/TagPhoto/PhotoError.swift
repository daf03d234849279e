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
