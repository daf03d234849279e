/// Error-correction level of a QR symbol: how much of it may be damaged and still read.
///
/// Stickers live outdoors (scratches, dirt, stickers on stickers), so CivicTags defaults to ``q``.
public enum QRErrorCorrection: String, CaseIterable, Sendable, Codable {
    /// ~7 % of codewords recoverable.
    case l = "L"
    /// ~15 %.
    case m = "M"
    /// ~25 % (default).
    case q = "Q"
    /// ~30 %.
    case h = "H"

    /// Parses `L`, `M`, `Q` or `H` in any case.
    public init?(letter: some StringProtocol) {
        self.init(rawValue: letter.uppercased())
    }
}

/// How to encode a text into a QR symbol (mid-level API).
public struct QROptions: Hashable, Sendable {
    /// Error-correction level; default ``QRErrorCorrection/q``.
    public var errorCorrection: QRErrorCorrection
    /// Smallest version (1…40) to use; libqrencode picks the smallest that fits at or above it.
    public var minimumVersion: Int

    public init(errorCorrection: QRErrorCorrection = .q, minimumVersion: Int = 1) {
        precondition((1...40).contains(minimumVersion), "QR versions are 1…40")
        self.errorCorrection = errorCorrection
        self.minimumVersion = minimumVersion
    }

    public static let `default` = QROptions()
}

/// Why a text could not become a QR symbol.
public enum QREncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not fit even a version-40 symbol at this error-correction level.
    case tooLong(bytes: Int, errorCorrection: QRErrorCorrection)
    /// The text is empty or contains a NUL byte.
    case invalidInput(String)
    /// libqrencode failed for another reason (errno shown).
    case encoderFailed(errno: Int32)

    public var description: String {
        switch self {
        case let .tooLong(bytes, ec):
            return "\(bytes) bytes do not fit a QR code at error correction \(ec.rawValue) — "
                + "use a shorter base URL or a lower error-correction level (--ec M or L)"
        case let .invalidInput(reason):
            return "cannot encode this text: \(reason)"
        case let .encoderFailed(code):
            return "libqrencode failed (errno \(code)) — check that libqrencode is installed correctly"
        }
    }
}

/// An encoded QR symbol: an immutable square of dark and light modules, without its quiet zone.
///
/// Rendering is separate (``QRMatrix/svg(_:)``, the terminal preview, and TagPrint's PDF/PNG); they
/// all read this value. Three API tiers:
/// - one line: `try QRMatrix(encoding: "HTTPS://TAGS.EXAMPLE.ORG/T/7K3M9QXF")`;
/// - with options: `try QRMatrix(encoding: text, options: QROptions(errorCorrection: .h))`;
/// - experts: ``init(version:errorCorrection:size:modules:)`` from modules computed elsewhere.
public struct QRMatrix: Hashable, Sendable {
    /// QR version 1…40 (size = 17 + 4·version modules).
    public let version: Int
    public let errorCorrection: QRErrorCorrection
    /// Modules per side (21…177), quiet zone excluded.
    public let size: Int
    /// Row-major, one byte per module: 1 dark, 0 light.
    @usableFromInline let modules: [UInt8]

    /// Low-level initialiser: `modules` is row-major, `size × size`, non-zero meaning dark.
    public init(version: Int, errorCorrection: QRErrorCorrection, size: Int, modules: [UInt8]) {
        precondition(size > 0 && modules.count == size * size, "modules must be size × size")
        self.version = version
        self.errorCorrection = errorCorrection
        self.size = size
        self.modules = modules.map { $0 != 0 ? 1 : 0 }
    }

    /// For the encoder: `modules` already holds only 0 and 1.
    init(version: Int, errorCorrection: QRErrorCorrection, size: Int, normalizedModules modules: [UInt8]) {
        self.version = version
        self.errorCorrection = errorCorrection
        self.size = size
        self.modules = modules
    }

    /// True when the module at column `x`, row `y` is dark. Coordinates outside the symbol (the quiet
    /// zone, or beyond) are light.
    @inlinable
    public func module(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x] != 0
    }

    /// Number of dark modules.
    public var darkCount: Int { modules.reduce(0) { $0 + Int($1) } }
}
