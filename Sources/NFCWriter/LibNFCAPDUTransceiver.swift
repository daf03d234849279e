/// ISO 7816-4 APDUs through a libnfc reader to an ISO/IEC 14443-4 chip (NTAG 424 DNA): the
/// ``APDUTransceiver`` that real chips are configured with.
///
/// libnfc's select already sent RATS (NP_AUTO_ISO14443_4, on after `nfc_initiator_init`), so the chip is in
/// ISO-DEP; with easy framing on, `nfc_initiator_transceive_bytes` becomes PN53x InDataExchange, where the
/// reader chip adds the block headers, chaining, CRC_A and retransmissions. When the chip stays silent the
/// transceiver looks for it once more: gone → ``APDUTransceiveError/tagLost``.
public final class LibNFCAPDUTransceiver: APDUTransceiver {
    public let device: NFCDevice
    public let target: NFCTargetInfo
    /// APDUs sent so far.
    public private(set) var framesSent = 0

    /// Wraps an initiator-mode `device` whose field holds `target` (just selected, `isISO14443_4`).
    public init(device: NFCDevice, target: NFCTargetInfo) throws(NFCError) {
        self.device = device
        self.target = target
        try device.setCRCHandledByReader(true)
        try device.setEasyFraming(true)
    }

    /// Takes over the reader from a Type 2 transceiver that found an ISO 14443-4 chip.
    public convenience init(_ type2: LibNFCTransceiver) throws(NFCError) {
        try self.init(device: type2.device, target: type2.target)
    }

    public var anticollisionUID: [UInt8] { target.uid }

    public func transmit(_ apdu: [UInt8]) throws(APDUTransceiveError) -> APDUResponse {
        framesSent += 1
        let raw: [UInt8]
        do {
            raw = try device.transceive(apdu, timeoutMilliseconds: 2000)
        } catch let error where [.rfTransmission, .targetReleased, .readerTimeout].contains(error.kind) {
            throw .tagLost
        } catch {
            throw .reader(error.description)
        }
        guard let response = APDUResponse(raw: raw) else { throw .malformed(raw.count) }
        return response
    }
}
