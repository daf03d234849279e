/// The arithmetic of AuthenticateEV2First with AES-128 (NT4H2421Gx section 9.1.5), for both ends. The
/// APDU framing (`90 71 00 00 02 KeyNo 00 00`, `90 AF 00 00 20 … 00`) belongs to the caller.
///
///     reader                                   chip
///     AuthenticateEV2First(KeyNo, no PCDcap2)  →
///                                              ←  E(K, RndB)                              91 AF
///     E(K, RndA ‖ RndB')                       →     (RndB' = RndB rotated left one byte)
///                                              ←  E(K, TI ‖ RndA' ‖ PDcap2 ‖ PCDcap2)     91 00
///
/// All encryptions are AES-CBC with a zero IV and no padding. Each end checks the other's rotated random.
public enum EV2Handshake {
    public static let rndLength = 16
    public static let transactionIDLength = 4
    /// PDcap2 and PCDcap2 are 6 bytes each; the NTAG 424 DNA answers zeros.
    public static let capabilitiesLength = 6

    private static let zeroIV = [UInt8](repeating: 0, count: AESBlock.blockLength)

    /// The reader's message and the numbers it keeps after the chip's first answer.
    public struct ReaderResponse: Sendable {
        /// E(K, RndA ‖ RndB'), 32 bytes: the data of the second command.
        public let data: [UInt8]
        /// RndB as the chip chose it, decrypted from its challenge.
        public let rndB: [UInt8]
    }

    /// The chip's final answer and the session it opened.
    public struct ChipAnswer: Sendable {
        /// E(K, TI ‖ RndA' ‖ PDcap2 ‖ PCDcap2), 32 bytes.
        public let data: [UInt8]
        /// RndA as the reader chose it.
        public let rndA: [UInt8]
        public let session: EV2Session
    }

    /// `bytes` rotated left by one byte (RndA', RndB').
    static func rotatedLeft(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.first else { return bytes }
        return Array(bytes.dropFirst()) + [first]
    }

    // MARK: Chip side

    /// The chip's first answer: E(K, RndB), 16 bytes. `rndB` must be 16 bytes.
    public static func chipChallenge(key: AES128Key, rndB: [UInt8]) -> [UInt8] {
        precondition(rndB.count == rndLength, "RndB is 16 bytes")
        return AESBlock.encryptCBC(key, iv: zeroIV, rndB)
    }

    /// The chip checks the reader's second message (RndB' must match: the reader holds the key), then answers
    /// with TI and RndA' and opens the session. `readerData` comes off the air and is checked; `rndB` and
    /// `transactionID` are the chip's own (16 and 4 bytes).
    public static func chipAnswer(
        key: AES128Key, rndB: [UInt8], transactionID: [UInt8], readerData: [UInt8],
        pdCap2: [UInt8] = [UInt8](repeating: 0, count: capabilitiesLength),
        pcdCap2: [UInt8] = [UInt8](repeating: 0, count: capabilitiesLength)
    ) throws(TagCryptoError) -> ChipAnswer {
        precondition(rndB.count == rndLength && transactionID.count == transactionIDLength, "RndB 16, TI 4 bytes")
        precondition(pdCap2.count == capabilitiesLength && pcdCap2.count == capabilitiesLength, "capabilities are 6 bytes")
        guard readerData.count == 2 * rndLength else {
            throw .length(field: "AuthenticateEV2First part 2 data", expected: 2 * rndLength, actual: readerData.count)
        }
        let plain = AESBlock.decryptCBC(key, iv: zeroIV, readerData)
        let rndA = Array(plain[0..<rndLength])
        guard AESBlock.equalInConstantTime(Array(plain[rndLength...]), rotatedLeft(rndB)) else {
            throw .authenticationMismatch("the reader's RndB' does not match RndB: it used another key")
        }
        let answer = AESBlock.encryptCBC(key, iv: zeroIV, transactionID + rotatedLeft(rndA) + pdCap2 + pcdCap2)
        let session = EV2Session(key: key, rndA: rndA, rndB: rndB, transactionID: transactionID)
        return ChipAnswer(data: answer, rndA: rndA, session: session)
    }

    // MARK: Reader side

    /// The reader's second message from the chip's 16-byte challenge and its own 16-byte `rndA`.
    public static func readerResponse(key: AES128Key, challenge: [UInt8], rndA: [UInt8]) throws(TagCryptoError) -> ReaderResponse {
        precondition(rndA.count == rndLength, "RndA is 16 bytes")
        guard challenge.count == rndLength else {
            throw .length(field: "AuthenticateEV2First challenge (E(K, RndB))", expected: rndLength, actual: challenge.count)
        }
        let rndB = AESBlock.decryptCBC(key, iv: zeroIV, challenge)
        let data = AESBlock.encryptCBC(key, iv: zeroIV, rndA + rotatedLeft(rndB))
        return ReaderResponse(data: data, rndB: rndB)
    }

    /// The reader checks the chip's 32-byte answer (RndA' must match: the chip holds the key) and opens the
    /// session with the chip's TI.
    public static func readerSession(key: AES128Key, rndA: [UInt8], rndB: [UInt8], chipData: [UInt8]) throws(TagCryptoError) -> EV2Session {
        precondition(rndA.count == rndLength && rndB.count == rndLength, "RndA, RndB are 16 bytes")
        guard chipData.count == 2 * rndLength else {
            throw .length(field: "AuthenticateEV2First answer", expected: 2 * rndLength, actual: chipData.count)
        }
        let plain = AESBlock.decryptCBC(key, iv: zeroIV, chipData)
        let transactionID = Array(plain[0..<transactionIDLength])
        let rotatedA = Array(plain[transactionIDLength..<(transactionIDLength + rndLength)])
        guard AESBlock.equalInConstantTime(rotatedA, rotatedLeft(rndA)) else {
            throw .authenticationMismatch("the chip's RndA' does not match RndA: it holds another key")
        }
        return EV2Session(key: key, rndA: rndA, rndB: rndB, transactionID: transactionID)
    }
}

extension EV2Handshake {
    // MARK: AuthenticateEV2NonFirst

    /// AuthenticateEV2NonFirst (NT4H2421Gx section 9.1.6, command 0x77) within a session: the same first two
    /// messages, but the chip answers E(K, RndA') only (16 bytes); the new session keys keep the transaction's
    /// TI and command counter. Chip side: checks RndB', answers, returns the continued session.
    public static func chipAnswerNonFirst(
        key: AES128Key, rndB: [UInt8], readerData: [UInt8], continuing current: EV2Session
    ) throws(TagCryptoError) -> ChipAnswer {
        precondition(rndB.count == rndLength, "RndB is 16 bytes")
        guard readerData.count == 2 * rndLength else {
            throw .length(field: "AuthenticateEV2NonFirst part 2 data", expected: 2 * rndLength, actual: readerData.count)
        }
        let plain = AESBlock.decryptCBC(key, iv: [UInt8](repeating: 0, count: AESBlock.blockLength), readerData)
        let rndA = Array(plain[0..<rndLength])
        guard AESBlock.equalInConstantTime(Array(plain[rndLength...]), rotatedLeft(rndB)) else {
            throw .authenticationMismatch("the reader's RndB' does not match RndB: it used another key")
        }
        let answer = AESBlock.encryptCBC(key, iv: [UInt8](repeating: 0, count: AESBlock.blockLength), rotatedLeft(rndA))
        return ChipAnswer(data: answer, rndA: rndA, session: continued(current, key: key, rndA: rndA, rndB: rndB))
    }

    /// The reader's side of AuthenticateEV2NonFirst: checks the chip's 16-byte E(K, RndA') and continues the
    /// session with new keys, same TI and counter.
    public static func readerSessionNonFirst(
        key: AES128Key, rndA: [UInt8], rndB: [UInt8], chipData: [UInt8], continuing current: EV2Session
    ) throws(TagCryptoError) -> EV2Session {
        precondition(rndA.count == rndLength && rndB.count == rndLength, "RndA, RndB are 16 bytes")
        guard chipData.count == rndLength else {
            throw .length(field: "AuthenticateEV2NonFirst answer", expected: rndLength, actual: chipData.count)
        }
        let rotatedA = AESBlock.decryptCBC(key, iv: [UInt8](repeating: 0, count: AESBlock.blockLength), chipData)
        guard AESBlock.equalInConstantTime(rotatedA, rotatedLeft(rndA)) else {
            throw .authenticationMismatch("the chip's RndA' does not match RndA: it holds another key")
        }
        return continued(current, key: key, rndA: rndA, rndB: rndB)
    }

    private static func continued(_ current: EV2Session, key: AES128Key, rndA: [UInt8], rndB: [UInt8]) -> EV2Session {
        var session = EV2Session(key: key, rndA: rndA, rndB: rndB, transactionID: current.transactionID)
        session.commandCounter = current.commandCounter
        return session
    }
}
