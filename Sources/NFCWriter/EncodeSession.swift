import Foundation
public import TagCrypto
public import TagKit

/// What the technician loop reports as it goes (the CLI prints these; tests drive the emulator from them).
public enum EncodeEvent: Sendable {
    /// Resuming: `verified` tags of the batch are already in the journal.
    case resumed(verified: Int, total: Int)
    /// Put a sticker on the reader for `item`; it is number `position` (1-based) of `total`.
    case waitingForSticker(item: EncodeBatch.Item, position: Int, total: Int)
    /// The sticker was written and read back correctly.
    case verified(item: EncodeBatch.Item, uid: String, chip: String, report: StickerWriteReport)
    /// The NTAG 424 DNA was configured for SUN and served a message that verified with its new keys.
    case verifiedSecure(item: EncodeBatch.Item, uid: String, report: SecureWriteReport)
    /// The sticker was not touched (it carries another tag, is locked, too small, …).
    case refused(item: EncodeBatch.Item, uid: String, reason: String)
    /// The write failed or was torn; the same tag will be offered again.
    case failed(item: EncodeBatch.Item, uid: String, reason: String)
    /// Take the sticker off the reader.
    case waitingForRemoval(uid: String)
    /// Every tag of the batch has a verified sticker.
    case finished(total: Int)
}

/// The technician loop of `tagtool nfc encode`: for each tag of the batch, wait for a sticker, check it,
/// write + verify, journal the result (fsync per line), wait for the sticker to leave, move on. A failed
/// write offers the same tag again. Restarting with the same journal resumes after the last verified tag.
///
/// Refuses a sticker that carries another tag's URL (`…/t/<other ID>`) unless `overwrite`, and a sticker
/// whose chip UID the journal already lists as verified for another tag.
public final class EncodeSession {
    public let batch: EncodeBatch
    public let journal: EncodeJournal
    public let station: NFCStation
    public let baseURL: String
    public let overwrite: Bool
    /// Set: every sticker must be an NTAG 424 DNA and is configured for SUN with keys from this ring.
    public let secure: MasterKeyRing?
    private let events: (EncodeEvent) -> Void
    private let shouldStop: () -> Bool

    public init(batch: EncodeBatch, journal: EncodeJournal, station: NFCStation, baseURL: String,
                overwrite: Bool = false, secure: MasterKeyRing? = nil, events: @escaping (EncodeEvent) -> Void,
                shouldStop: @escaping () -> Bool = { false }) {
        self.batch = batch
        self.journal = journal
        self.station = station
        self.baseURL = baseURL
        self.overwrite = overwrite
        self.secure = secure
        self.events = events
        self.shouldStop = shouldStop
    }

    /// The URL written for `id`: `<base-url>/t/<ID>?via=nfc`.
    public static func url(baseURL: String, id: TagID) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/t/\(id.rawValue)?via=nfc"
    }

    /// The tag ID a CivicTags URL points at (`…/t/<ID>` with a valid ID), whatever its base.
    public static func tagID(inURL url: String) -> TagID? {
        guard let range = url.range(of: "/t/") else { return nil }
        let rest = url[range.upperBound...]
        let code = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        return try? TagID(parsing: String(code))
    }

    /// Index in the batch of the first tag to encode: after the last one the journal lists as verified.
    public var resumeIndex: Int {
        let verified = journal.verifiedTagIDs
        let last = batch.items.lastIndex { verified.contains($0.id.rawValue) }
        return last.map { $0 + 1 } ?? 0
    }

    /// Runs until every tag is done (true) or `shouldStop` (false).
    public func run() throws -> Bool {
        var index = resumeIndex
        if index > 0 { events(.resumed(verified: index, total: batch.items.count)) }
        while index < batch.items.count {
            let item = batch.items[index]
            events(.waitingForSticker(item: item, position: index + 1, total: batch.items.count))
            guard let transceiver = try station.waitForSticker(timeout: nil, shouldStop: shouldStop) else { return false }
            if try encode(item, on: transceiver) { index += 1 }
            events(.waitingForRemoval(uid: transceiver.target.uidHex))
            guard try station.waitForRemoval(of: transceiver.target, shouldStop: shouldStop) else { return false }
        }
        events(.finished(total: batch.items.count))
        return true
    }

    /// One sticker for one tag; true when verified.
    private func encode(_ item: EncodeBatch.Item, on transceiver: LibNFCTransceiver) throws -> Bool {
        if let secure { return try encodeSecure(item, on: transceiver, keys: secure) }
        let uid = transceiver.target.uid.map { String(format: "%02X", $0) }.joined()
        let writer = StickerWriter()
        let reading: StickerReading
        do {
            reading = try writer.read(transceiver)
        } catch {
            try record(item, uid: uid, chip: "unknown", result: "failed: \(error.description)")
            events(.failed(item: item, uid: uid, reason: error.description))
            return false
        }
        let chip = reading.chip.name
        if let previous = journal.verifiedEntry(chipUID: uid), previous.tagID != item.id.rawValue, !overwrite {
            let reason = "this sticker was already encoded as \(previous.tagID) (\(previous.time)) — take a fresh sticker, or use --overwrite"
            try record(item, uid: uid, chip: chip, result: "refused: \(reason)")
            events(.refused(item: item, uid: uid, reason: reason))
            return false
        }
        if let url = reading.uri, let other = Self.tagID(inURL: url), other != item.id, !overwrite {
            let reason = "this sticker carries another tag (\(other.grouped): \(url)) — take a fresh sticker, or use --overwrite"
            try record(item, uid: uid, chip: chip, result: "refused: \(reason)")
            events(.refused(item: item, uid: uid, reason: reason))
            return false
        }
        let message = NDEFMessage.sticker(url: Self.url(baseURL: baseURL, id: item.id),
                                          titleFrench: item.name.isEmpty ? nil : item.name)
        let report: StickerWriteReport
        do {
            report = try writer.write(StickerWriteRequest(message: message), to: transceiver, after: reading)
        } catch {
            let verb = error.isRefusal ? "refused" : "failed"
            try record(item, uid: uid, chip: chip, result: "\(verb): \(error.description)")
            if error.isRefusal {
                events(.refused(item: item, uid: uid, reason: error.description))
            } else {
                events(.failed(item: item, uid: uid, reason: error.description))
            }
            return false
        }
        try record(item, uid: uid, chip: chip, result: "verified")
        events(.verified(item: item, uid: uid, chip: chip, report: report))
        return true
    }

    /// One NTAG 424 DNA for one tag: the same refusals as a Type 2 sticker, then ``NTAG424Writer``. A torn
    /// configuration is journaled as failed and the same tag offered again; putting the same chip back
    /// finishes it.
    private func encodeSecure(_ item: EncodeBatch.Item, on found: LibNFCTransceiver, keys: MasterKeyRing) throws -> Bool {
        var uid = found.target.uid.map { String(format: "%02X", $0) }.joined()
        let chip = Self.secureChipType
        guard found.target.isISO14443_4 else {
            let reason = "this sticker is a Type 2 tag, not an NTAG 424 DNA — --secure needs NTAG 424 DNA chips"
            try record(item, uid: uid, chip: "type2", result: "refused: \(reason)")
            events(.refused(item: item, uid: uid, reason: reason))
            return false
        }
        let transceiver = try LibNFCAPDUTransceiver(found)
        let writer = NTAG424Writer()
        if let previous = journal.verifiedEntry(chipUID: uid), previous.tagID != item.id.rawValue, !overwrite {
            let reason = "this chip was already encoded as \(previous.tagID) (\(previous.time)) — take a fresh one, or use --overwrite"
            try record(item, uid: uid, chip: chip, result: "refused: \(reason)")
            events(.refused(item: item, uid: uid, reason: reason))
            return false
        }
        do {
            let served = try writer.inspect(transceiver, keys: nil)
            if let url = served.url, let other = Self.tagID(inURL: url), other != item.id, !overwrite {
                let reason = "this chip carries another tag (\(other.grouped): \(url)) — take a fresh one, or use --overwrite"
                try record(item, uid: uid, chip: chip, result: "refused: \(reason)")
                events(.refused(item: item, uid: uid, reason: reason))
                return false
            }
            let layout = try SecureStickerLayout(baseURL: baseURL, id: item.id, titleFrench: item.name.isEmpty ? nil : item.name)
            let report = try writer.write(SecureWriteRequest(layout: layout, keys: keys), to: transceiver)
            uid = report.uidHex
            try record(item, uid: uid, chip: chip, result: "verified")
            events(.verifiedSecure(item: item, uid: uid, report: report))
            return true
        } catch let error as SecureStickerLayout.LayoutError {
            try record(item, uid: uid, chip: chip, result: "refused: \(error.description)")
            events(.refused(item: item, uid: uid, reason: error.description))
            return false
        } catch let error as NTAG424Error {
            try record(item, uid: uid, chip: chip, result: "failed: \(error.description)")
            events(.failed(item: item, uid: uid, reason: error.description))
            return false
        }
    }

    /// chip_type of NTAG 424 DNA chips in the journal and the registry.
    public static let secureChipType = "ntag424dna"

    private func record(_ item: EncodeBatch.Item, uid: String, chip: String, result: String) throws {
        try journal.append(EncodeJournal.Entry(time: EncodeJournal.timestamp(), tagID: item.id.rawValue,
                                               chipUID: uid, chipType: chip, result: result))
    }
}
