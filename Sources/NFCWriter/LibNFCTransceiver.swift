public import TagKit

/// Raw Type 2 Tag commands through a libnfc reader: the ``Type2Transceiver`` that real stickers are written
/// with.
///
/// The reader is put in raw mode (easy framing off → PN53x InCommunicateThru, CRC handled by the host), the
/// way libnfc's own `nfc-mfultralight` sends GET_VERSION and PWD_AUTH: every command goes out with its CRC_A,
/// a data answer must end with a valid CRC_A, and a one-byte answer is the tag's 4-bit ACK (0xA) or NAK.
/// When the tag stays silent the transceiver tries to select it again: found → ``Type2TransceiveError/timeout``
/// (the tag ignored the command, e.g. a locked page), gone → ``Type2TransceiveError/tagLost``.
/// After a NAK the tag has dropped to IDLE; ``reactivate()`` selects it again (the writer calls it).
public final class LibNFCTransceiver: Type2Transceiver {
    public let device: NFCDevice
    /// The tag being talked to.
    public let target: NFCTargetInfo
    /// Frames sent to the tag so far (commands, not counting selects).
    public private(set) var framesSent = 0
    /// Selects done after the first one (after silence or a NAK).
    public private(set) var reselects = 0

    /// Wraps an initiator-mode `device` whose field holds `target` (just selected).
    public init(device: NFCDevice, target: NFCTargetInfo) throws(NFCError) {
        self.device = device
        self.target = target
        try enterRawMode()
    }

    /// The reader chip may restore its CRC settings when it selects a tag, while libnfc's cache still says
    /// "off"; toggling through "on" makes libnfc write the registers again (one ReadRegister at most).
    private func enterRawMode() throws(NFCError) {
        try device.setEasyFraming(false)
        try device.setCRCHandledByReader(true)
        try device.setCRCHandledByReader(false)
    }

    /// Selects the same tag again; false when it is no longer in the field.
    public func reselect() throws(NFCError) -> Bool {
        reselects += 1
        guard try device.selectISO14443A(uid: target.uid) != nil else { return false }
        try enterRawMode()
        return true
    }

    /// Wakes and selects the tag again after it went idle (a NAK, or a command it does not know).
    public func reactivate() throws(Type2TransceiveError) {
        let found: Bool
        do { found = try reselect() } catch { throw .reader(error.description) }
        if !found { throw .tagLost }
    }

    public func transceive(_ command: [UInt8]) throws(Type2TransceiveError) -> [UInt8] {
        framesSent += 1
        let reply: [UInt8]
        do {
            reply = try device.transceive(ISO14443ACRC.appending(to: command))
        } catch let error where error.kind == .rfTransmission || error.kind == .targetReleased {
            let stillThere: Bool
            do { stillThere = try reselect() } catch { throw .reader(error.description) }
            throw stillThere ? .timeout : .tagLost
        } catch {
            throw .reader(error.description)
        }
        if reply.count == 1 {
            let code = reply[0] & 0x0F
            if code == 0x0A { return [] }
            throw .nak(code)
        }
        guard let data = ISO14443ACRC.strip(reply) else {
            throw .reader("the tag's answer failed its CRC check — hold the sticker still")
        }
        return data
    }
}
