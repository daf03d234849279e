// The only Swift file that touches libnfc (module CNFC). Handles are owned by final classes that free them in
// deinit; every libnfc return code goes through `check(_:_:)` into an `NFCError`; no pointer leaves this file.
import CNFC
import Foundation

/// A failure talking to the reader or the tag, with what to do about it.
public struct NFCError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// No reader was found at all.
        case noReader
        /// The reader named by the connstring could not be opened.
        case cannotOpen(String)
        /// The serial port of a `pn532_uart:` (or other serial) connstring does not exist.
        case noSuchPort(String)
        /// Nothing answered a select before the timeout.
        case noTag
        /// The tag stopped answering in the middle of an operation.
        case tagLost
        /// libnfc error codes (NFC_E…), by name.
        case io, invalidArgument, unsupported, noSuchDevice, overflow, readerTimeout, aborted
        case notImplemented, targetReleased, rfTransmission, authenticationFailed, software, chip
        /// A libnfc code this wrapper does not know.
        case unknown(Int32)
    }

    public let kind: Kind
    /// What was being done, e.g. "nfc_initiator_transceive_bytes".
    public let operation: String

    public init(_ kind: Kind, operation: String) {
        self.kind = kind
        self.operation = operation
    }

    /// Maps a negative libnfc return code.
    init(code: Int32, operation: String) {
        let kind: Kind = switch code {
        case NFC_EIO: .io
        case NFC_EINVARG: .invalidArgument
        case NFC_EDEVNOTSUPP: .unsupported
        case NFC_ENOTSUCHDEV: .noSuchDevice
        case NFC_EOVFLOW: .overflow
        case NFC_ETIMEOUT: .readerTimeout
        case NFC_EOPABORTED: .aborted
        case NFC_ENOTIMPL: .notImplemented
        case NFC_ETGRELEASED: .targetReleased
        case NFC_ERFTRANS: .rfTransmission
        case NFC_EMFCAUTHFAIL: .authenticationFailed
        case NFC_ESOFT: .software
        case NFC_ECHIP: .chip
        default: .unknown(code)
        }
        self.init(kind, operation: operation)
    }

    /// One line: what happened.
    public var message: String {
        switch kind {
        case .noReader: "no NFC reader found"
        case .cannotOpen(let connstring): "cannot open the reader \(connstring)"
        case .noSuchPort(let path): "there is no serial port \(path)"
        case .noTag: "no tag in the field"
        case .tagLost: "the tag left the field during the operation"
        case .io: "input/output error talking to the reader"
        case .invalidArgument: "the reader rejected a parameter"
        case .unsupported: "the reader does not support this operation"
        case .noSuchDevice: "no such reader"
        case .overflow: "the tag's answer was longer than expected"
        case .readerTimeout: "the reader stopped answering"
        case .aborted: "the operation was aborted"
        case .notImplemented: "libnfc does not implement this for this reader"
        case .targetReleased: "the tag was released (it left the field)"
        case .rfTransmission: "radio transmission error — the tag did not answer properly"
        case .authenticationFailed: "the tag refused authentication"
        case .software: "libnfc internal error"
        case .chip: "the reader chip reported an internal error"
        case .unknown(let code): "libnfc error \(code)"
        }
    }

    /// The usual fix.
    public var fix: String {
        switch kind {
        case .noReader:
            "plug the reader in; serial readers (PN532 on /dev/ttyUSB0) are not scanned: give --device pn532_uart:/dev/ttyUSB0"
        case .cannotOpen:
            "reader busy — the kernel pn533 driver or pcscd holds it (sudo modprobe -r pn533_usb pn533; sudo systemctl stop pcscd.socket pcscd), another program has the serial port, or the connstring is wrong (see `tagtool nfc list`)"
        case .noSuchPort:
            "check that the USB-serial adapter is plugged in (ls /dev/ttyUSB* /dev/ttyACM*) and the --device connstring"
        case .noTag:
            "place the sticker flat on the centre of the reader and run the command again"
        case .tagLost, .targetReleased:
            "tag left the field during the write — hold the sticker still on the reader until the tool says done, then run the command again"
        case .io, .readerTimeout:
            "check the cable; unplug and replug the reader (for a serial PN532: check the port and 115200 baud)"
        case .rfTransmission:
            "hold the sticker still and flat on the reader; metal behind it detunes the antenna"
        case .authenticationFailed:
            "the tag is protected: give the right --password"
        case .invalidArgument, .unsupported, .notImplemented:
            "use an ACR122U or a PN532 reader"
        default:
            "run again with --verbose to see libnfc's log"
        }
    }

    public var description: String { "\(message) — \(fix)" }
}

/// The single checking function: a negative libnfc result becomes an `NFCError`.
@discardableResult
private func check(_ result: Int32, _ operation: String) throws(NFCError) -> Int32 {
    guard result < 0 else { return result }
    throw NFCError(code: result, operation: operation)
}

/// libnfc keeps its driver list in one process-wide global: `nfc_init` builds it when it is empty,
/// `nfc_exit` frees it, `nfc_open` and `nfc_list_devices` walk it. With two contexts alive (two threads,
/// parallel tests) one context's `nfc_exit` would pull the list from under the other. So those calls are
/// serialized here, and `nfc_exit` is deferred until the last context is released.
/// `@unchecked Sendable`: every field is only touched with `lock` held.
private final class LibNFCGlobals: @unchecked Sendable {
    static let shared = LibNFCGlobals()
    let lock = NSLock()
    var liveContexts = 0
    var releasedContexts: [OpaquePointer] = []

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// A libnfc context (`nfc_context *`), freed with `nfc_exit` when released (once no other context is alive).
public final class NFCContext {
    fileprivate let handle: OpaquePointer

    /// Starts libnfc. Unless `verbose`, libnfc's own stderr logging is silenced (LIBNFC_LOG_LEVEL=0, read by
    /// `nfc_init`); with `verbose` it is debug (3), LIBNFC_LOG_LEVEL notwithstanding.
    /// LIBNFC_DEVICE, LIBNFC_AUTO_SCAN, LIBNFC_INTRUSIVE_SCAN and /etc/nfc/libnfc.conf apply as usual.
    public init(verbose: Bool = false) throws(NFCError) {
        let context: OpaquePointer? = LibNFCGlobals.shared.withLock {
            let level = verbose ? "3" : "0"
            if getenv("LIBNFC_LOG_LEVEL").map({ String(cString: $0) }) != level { setenv("LIBNFC_LOG_LEVEL", level, 1) }
            var context: OpaquePointer?
            nfc_init(&context)
            if context != nil { LibNFCGlobals.shared.liveContexts += 1 }
            return context
        }
        guard let context else { throw NFCError(.software, operation: "nfc_init") }
        handle = context
    }

    deinit {
        let globals = LibNFCGlobals.shared
        globals.withLock {
            globals.liveContexts -= 1
            globals.releasedContexts.append(handle)
            guard globals.liveContexts == 0 else { return }
            for context in globals.releasedContexts { nfc_exit(context) }
            globals.releasedContexts.removeAll()
        }
    }

    /// libnfc's version string, e.g. "1.8.0".
    public static var libraryVersion: String { String(cString: nfc_version()) }

    /// Connstrings of the readers libnfc knows: user-defined ones (LIBNFC_DEVICE, libnfc.conf) first, then
    /// those found by scanning (USB always; serial ports only with intrusive scan allowed).
    public func connstrings(max: Int = 16) -> [String] {
        let buffer = UnsafeMutablePointer<nfc_connstring>.allocate(capacity: max)
        defer { buffer.deallocate() }
        let found = LibNFCGlobals.shared.withLock { nfc_list_devices(handle, buffer, max) }
        return (0..<found).map { index in
            withUnsafeBytes(of: &buffer[index]) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
    }

    /// The device path of a serial connstring (`pn532_uart:/dev/ttyUSB0:115200` → `/dev/ttyUSB0`).
    static func serialPort(_ connstring: String) -> String? {
        let parts = connstring.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, ["pn532_uart", "arygon", "acr122s"].contains(parts[0]), parts[1].hasPrefix("/") else {
            return nil
        }
        return String(parts[1])
    }

    /// Opens `connstring` (`pn532_uart:/dev/ttyUSB0`, `acr122_usb`, …), or the first reader found when nil.
    public func open(_ connstring: String?) throws(NFCError) -> NFCDevice {
        let device: OpaquePointer? = LibNFCGlobals.shared.withLock {
            if let connstring { nfc_open(handle, connstring) } else { nfc_open(handle, nil) }
        }
        guard let device else {
            if connstring == nil && connstrings(max: 1).isEmpty { throw NFCError(.noReader, operation: "nfc_open") }
            if let port = connstring.flatMap(Self.serialPort), !FileManager.default.fileExists(atPath: port) {
                throw NFCError(.noSuchPort(port), operation: "nfc_open")
            }
            throw NFCError(.cannotOpen(connstring ?? "(first reader found)"), operation: "nfc_open")
        }
        return NFCDevice(handle: device, context: self)
    }
}

/// What a select found: an ISO 14443-3A target (and, for an ISO 14443-4 chip, its answer to RATS).
public struct NFCTargetInfo: Equatable, Sendable {
    /// 4, 7 or 10 bytes.
    public let uid: [UInt8]
    /// SENS_RES as libnfc reports it, e.g. `[0x00, 0x44]` for NTAG21x / Ultralight.
    public let atqa: [UInt8]
    public let sak: UInt8
    /// The ATS without its length byte, as libnfc reports it (empty for Type 2 Tags, which get no RATS).
    public let ats: [UInt8]

    public init(uid: [UInt8], atqa: [UInt8], sak: UInt8, ats: [UInt8] = []) {
        self.uid = uid
        self.atqa = atqa
        self.sak = sak
        self.ats = ats
    }

    /// SAK bit 6 (0x20): the chip speaks ISO/IEC 14443-4 (ISO-DEP), so it takes ISO 7816-4 APDUs — an
    /// NTAG 424 DNA rather than a Type 2 Tag.
    public var isISO14443_4: Bool { sak & 0x20 != 0 }

    /// "04:A1:B2:C3:D4:E5:F6"
    public var uidHex: String { uid.map { String(format: "%02X", $0) }.joined(separator: ":") }
}

/// An open reader (`nfc_device *`), closed with `nfc_close` when released (libnfc then releases the tag,
/// switches the field off and, for a PN532, sends it to power-down).
public final class NFCDevice {
    private let handle: OpaquePointer
    private let context: NFCContext  // libnfc needs the context alive as long as the device

    fileprivate init(handle: OpaquePointer, context: NFCContext) {
        self.handle = handle
        self.context = context
    }

    deinit { nfc_close(handle) }

    public var name: String { String(cString: nfc_device_get_name(handle)) }
    public var connstring: String { String(cString: nfc_device_get_connstring(handle)) }

    /// Makes the reader an initiator (field on, ISO 14443A, 106 kbps) whose select tries once and returns,
    /// instead of libnfc's default of polling forever.
    public func initiatorInit() throws(NFCError) {
        try check(nfc_initiator_init(handle), "nfc_initiator_init")
        try check(nfc_device_set_property_bool(handle, NP_INFINITE_SELECT, false), "nfc_device_set_property_bool(NP_INFINITE_SELECT)")
    }

    /// One select attempt for an ISO 14443A target at 106 kbps (optionally the one with `uid`).
    /// Returns nil when nothing answers.
    public func selectISO14443A(uid: [UInt8] = []) throws(NFCError) -> NFCTargetInfo? {
        let modulation = nfc_modulation(nmt: NMT_ISO14443A, nbr: NBR_106)
        var target = nfc_target()
        let found = try check(uid.withUnsafeBufferPointer { initiatorData in
            nfc_initiator_select_passive_target(handle, modulation, uid.isEmpty ? nil : initiatorData.baseAddress, initiatorData.count, &target)
        }, "nfc_initiator_select_passive_target")
        guard found > 0 else { return nil }
        let info = target.nti.nai
        let uidBytes = withUnsafeBytes(of: info.abtUid) { Array($0.prefix(min(info.szUidLen, 10))) }
        let atqa = withUnsafeBytes(of: info.abtAtqa) { Array($0) }
        let ats = withUnsafeBytes(of: info.abtAts) { Array($0.prefix(min(info.szAtsLen, 254))) }
        return NFCTargetInfo(uid: uidBytes, atqa: atqa, sak: info.btSak, ats: ats)
    }

    /// Lets the reader add and check CRC_A itself (libnfc's default) or leaves it to the host (raw mode).
    public func setCRCHandledByReader(_ enabled: Bool) throws(NFCError) {
        try check(nfc_device_set_property_bool(handle, NP_HANDLE_CRC, enabled), "nfc_device_set_property_bool(NP_HANDLE_CRC)")
    }

    /// Easy framing (PN53x InDataExchange) on, or raw frames (InCommunicateThru) off.
    public func setEasyFraming(_ enabled: Bool) throws(NFCError) {
        try check(nfc_device_set_property_bool(handle, NP_EASY_FRAMING, enabled), "nfc_device_set_property_bool(NP_EASY_FRAMING)")
    }

    /// Switches the RF field on or off (off: every tag loses power and forgets its state).
    public func setField(_ on: Bool) throws(NFCError) {
        try check(nfc_device_set_property_bool(handle, NP_ACTIVATE_FIELD, on), "nfc_device_set_property_bool(NP_ACTIVATE_FIELD)")
    }

    /// Sends `frame` to the selected tag and returns its answer (at most 264 bytes).
    public func transceive(_ frame: [UInt8], timeoutMilliseconds: Int32 = 1000) throws(NFCError) -> [UInt8] {
        var reply = [UInt8](repeating: 0, count: 264)
        let capacity = reply.count
        let count = try check(frame.withUnsafeBufferPointer { tx in
            reply.withUnsafeMutableBufferPointer { rx in
                nfc_initiator_transceive_bytes(handle, tx.baseAddress, tx.count, rx.baseAddress, capacity, timeoutMilliseconds)
            }
        }, "nfc_initiator_transceive_bytes")
        return Array(reply.prefix(Int(count)))
    }

    /// Halts and releases the selected tag.
    public func deselect() throws(NFCError) {
        try check(nfc_initiator_deselect_target(handle), "nfc_initiator_deselect_target")
    }

    /// Releases the tag, switches the field off (the reader stays open).
    public func idle() throws(NFCError) {
        try check(nfc_idle(handle), "nfc_idle")
    }
}
