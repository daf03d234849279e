// The only file that touches libqrencode (module CQREncode). The `QRcode *` it returns is copied into an
// immutable `QRMatrix` at once and freed before returning, so no C pointer leaves this file.
import CQREncode
import Foundation

extension QRMatrix {
    /// Encodes `text` (UTF-8) with libqrencode, letting it split the text into the cheapest mix of
    /// numeric, alphanumeric and byte segments. Case is kept (``TagURL`` upper-cases when that helps).
    /// - Throws: ``QREncodingError/tooLong(bytes:errorCorrection:)`` beyond version 40 (2,953 bytes at
    ///   L, 1,663 at Q).
    public init(encoding text: String, options: QROptions = .default) throws(QREncodingError) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { throw .invalidInput("the text is empty") }
        guard !utf8.contains(0) else { throw .invalidInput("the text contains a NUL character") }
        errno = 0
        let code: UnsafeMutablePointer<QRcode>? = text.withCString { cString in
            QRcode_encodeString(
                cString, Int32(options.minimumVersion), options.errorCorrection.cLevel, QR_MODE_8, 1)
        }
        guard let code else {
            let error = errno
            if error == ERANGE { throw .tooLong(bytes: utf8.count, errorCorrection: options.errorCorrection) }
            if error == EINVAL { throw .invalidInput("libqrencode rejected it as invalid") }
            throw .encoderFailed(errno: error)
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        // Bit 0 of each byte is the module colour; the other bits are libqrencode's bookkeeping.
        let buffer = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        let modules = buffer.map { $0 & 1 }
        self.init(
            version: Int(code.pointee.version), errorCorrection: options.errorCorrection,
            size: width, normalizedModules: modules)
    }
}

extension QRErrorCorrection {
    fileprivate var cLevel: QRecLevel {
        switch self {
        case .l: QR_ECLEVEL_L
        case .m: QR_ECLEVEL_M
        case .q: QR_ECLEVEL_Q
        case .h: QR_ECLEVEL_H
        }
    }
}
