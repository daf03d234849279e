/// Secure messaging after AuthenticateEV2First (NT4H2421Gx section 9.1), the same arithmetic at both ends.
///
/// The session keys come from the authentication key and both random numbers (section 9.1.7); the
/// transaction identifier (TI) is the chip's; the command counter starts at 0. The counter rule, for both
/// ends: a command's MAC and its data's IV use the counter as it is; after the command the counter is
/// incremented (`commandCounter += 1`) and the response's MAC and IV use the new value. A command the chip
/// answers with an error ends the session instead.
///
/// Its description shows the TI and counter, never the keys.
public struct EV2Session: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// SesAuthENCKey: encrypts command and response data in Full mode, and makes the IVs.
    public let encryptionKey: AES128Key
    /// SesAuthMACKey: the command and response MACs.
    public let macKey: AES128Key
    /// TI, 4 bytes, chosen by the chip in AuthenticateEV2First.
    public let transactionID: [UInt8]
    /// CmdCtr, sent least significant byte first.
    public var commandCounter: UInt16

    /// The session AuthenticateEV2First opens: keys from `key`, `rndA` and `rndB` (16 bytes each), TI 4 bytes,
    /// counter 0. Lengths are the caller's contract (`EV2Handshake` checks what comes off the air).
    public init(key: AES128Key, rndA: [UInt8], rndB: [UInt8], transactionID: [UInt8]) {
        precondition(rndA.count == EV2Handshake.rndLength && rndB.count == EV2Handshake.rndLength, "RndA, RndB are 16 bytes")
        self.init(
            encryptionKey: AES128Key(checked: AESBlock.cmac(key, Self.sessionVector(label: [0xA5, 0x5A], rndA: rndA, rndB: rndB))),
            macKey: AES128Key(checked: AESBlock.cmac(key, Self.sessionVector(label: [0x5A, 0xA5], rndA: rndA, rndB: rndB))),
            transactionID: transactionID,
            commandCounter: 0)
    }

    /// A session from keys already derived (as NXP's examples give them, or AuthenticateEV2NonFirst keeps TI
    /// and counter).
    public init(encryptionKey: AES128Key, macKey: AES128Key, transactionID: [UInt8], commandCounter: UInt16 = 0) {
        precondition(transactionID.count == EV2Handshake.transactionIDLength, "TI is 4 bytes")
        self.encryptionKey = encryptionKey
        self.macKey = macKey
        self.transactionID = transactionID
        self.commandCounter = commandCounter
    }

    /// SV1/SV2 of section 9.1.7: label ‖ 0001 0080 ‖ RndA[15..14] ‖ (RndA[13..8] ⊕ RndB[15..10]) ‖ RndB[9..0] ‖
    /// RndA[7..0], the note's byte 15 being the first byte sent.
    static func sessionVector(label: [UInt8], rndA: [UInt8], rndB: [UInt8]) -> [UInt8] {
        var vector = label + [0x00, 0x01, 0x00, 0x80]
        vector += rndA[0..<2]
        vector += (0..<6).map { rndA[2 + $0] ^ rndB[$0] }
        vector += rndB[6..<16]
        vector += rndA[8..<16]
        return vector
    }

    private var counterBytes: [UInt8] { [UInt8(commandCounter & 0xFF), UInt8(commandCounter >> 8)] }

    /// MACt over `command ‖ CmdCtr ‖ TI ‖ header ‖ data` at the current counter: `data` is the plain data in
    /// MAC mode, the encrypted data in Full mode. 8 bytes.
    public func commandMAC(command: UInt8, header: [UInt8], data: [UInt8]) -> [UInt8] {
        AESBlock.truncatedMAC(macKey, [command] + counterBytes + transactionID + header + data)
    }

    /// MACt over `status ‖ CmdCtr ‖ TI ‖ data` at the current counter (already incremented for this
    /// response); `status` is the second status byte (0x00 for 91 00), `data` plain or encrypted as sent. 8 bytes.
    public func responseMAC(status: UInt8, data: [UInt8]) -> [UInt8] {
        AESBlock.truncatedMAC(macKey, [status] + counterBytes + transactionID + data)
    }

    /// IV = E(SesAuthENCKey, label ‖ TI ‖ CmdCtr ‖ 8 zero bytes).
    private func iv(label: [UInt8]) -> [UInt8] {
        AESBlock.encryptBlock(encryptionKey, label + transactionID + counterBytes + [UInt8](repeating: 0, count: 8))
    }

    /// Full mode command data: padded (ISO/IEC 9797-1 method 2, always at least one byte), encrypted with the
    /// IV from A5 5A at the current counter.
    public func encryptCommandData(_ plain: [UInt8]) -> [UInt8] {
        AESBlock.encryptCBC(encryptionKey, iv: iv(label: [0xA5, 0x5A]), AESBlock.pad(plain))
    }

    /// The chip's side of `encryptCommandData`: refuses data that is not whole blocks or not padded.
    public func decryptCommandData(_ cipher: [UInt8]) throws(TagCryptoError) -> [UInt8] {
        try decrypt(cipher, label: [0xA5, 0x5A], field: "encrypted command data")
    }

    /// Full mode response data (chip side): padded, encrypted with the IV from 5A A5 at the current counter
    /// (already incremented for this response).
    public func encryptResponseData(_ plain: [UInt8]) -> [UInt8] {
        AESBlock.encryptCBC(encryptionKey, iv: iv(label: [0x5A, 0xA5]), AESBlock.pad(plain))
    }

    /// The reader's side of `encryptResponseData`: refuses data that is not whole blocks or not padded.
    public func decryptResponseData(_ cipher: [UInt8]) throws(TagCryptoError) -> [UInt8] {
        try decrypt(cipher, label: [0x5A, 0xA5], field: "encrypted response data")
    }

    /// Whole blocks decrypted with the IV of `label` and unpadded; `field` names the data in errors.
    private func decrypt(_ cipher: [UInt8], label: [UInt8], field: String) throws(TagCryptoError) -> [UInt8] {
        guard !cipher.isEmpty, cipher.count % AESBlock.blockLength == 0 else {
            throw .notWholeBlocks(field: field, length: cipher.count)
        }
        return try AESBlock.unpad(AESBlock.decryptCBC(encryptionKey, iv: iv(label: label), cipher), field: field)
    }

    public var description: String { "EV2Session(TI \(Hex.encode(transactionID)), CmdCtr \(commandCounter), keys redacted)" }
    public var debugDescription: String { description }
}
