import Crypto
import CryptoExtras

/// AES-128 and AES-CMAC over `[UInt8]`, as thin wrappers over swift-crypto's CryptoExtras (BoringSSL
/// underneath). Lengths are the caller's contract: a wrong length here is a programming error, so it traps;
/// input from outside is checked (and refused with a `TagCryptoError`) before it reaches these.
public enum AESBlock {
    public static let blockLength = 16

    /// AES-CMAC (NIST SP 800-38B, RFC 4493), all 16 bytes.
    public static func cmac(_ key: AES128Key, _ message: [UInt8]) -> [UInt8] {
        do {
            var mac = try AES.CMAC(key: SymmetricKey(data: key.bytes))
            mac.update(data: message)
            return Array(mac.finalize())
        } catch {
            preconditionFailure("AES-CMAC refused a 16-byte key: \(error)")
        }
    }

    /// NXP's truncated MAC (MACt): bytes 1, 3, 5, …, 15 (0-based) of the CMAC, 8 bytes.
    public static func truncatedMAC(_ key: AES128Key, _ message: [UInt8]) -> [UInt8] {
        let full = cmac(key, message)
        return stride(from: 1, to: full.count, by: 2).map { full[$0] }
    }

    /// AES-128-CBC encryption without padding; `data.count` must be a multiple of 16, `iv` 16 bytes.
    public static func encryptCBC(_ key: AES128Key, iv: [UInt8], _ data: [UInt8]) -> [UInt8] {
        precondition(data.count % blockLength == 0, "CBC data must be whole blocks")
        if data.isEmpty { return [] }
        do {
            let vector = try AES._CBC.IV(ivBytes: iv)
            return Array(try AES._CBC.encrypt(data, using: SymmetricKey(data: key.bytes), iv: vector, noPadding: true))
        } catch {
            preconditionFailure("AES-CBC refused whole blocks and a 16-byte IV: \(error)")
        }
    }

    /// AES-128-CBC decryption without padding removal; `data.count` must be a multiple of 16, `iv` 16 bytes.
    public static func decryptCBC(_ key: AES128Key, iv: [UInt8], _ data: [UInt8]) -> [UInt8] {
        precondition(data.count % blockLength == 0, "CBC data must be whole blocks")
        if data.isEmpty { return [] }
        do {
            let vector = try AES._CBC.IV(ivBytes: iv)
            return Array(try AES._CBC.decrypt(data, using: SymmetricKey(data: key.bytes), iv: vector, noPadding: true))
        } catch {
            preconditionFailure("AES-CBC refused whole blocks and a 16-byte IV: \(error)")
        }
    }

    /// One 16-byte block through the AES permutation (ECB of one block), as the secure messaging IVs use.
    public static func encryptBlock(_ key: AES128Key, _ block: [UInt8]) -> [UInt8] {
        precondition(block.count == blockLength, "an AES block is 16 bytes")
        var out = block
        do {
            try AES.permute(&out, key: SymmetricKey(data: key.bytes))
        } catch {
            preconditionFailure("AES refused a 16-byte block and key: \(error)")
        }
        return out
    }

    /// Compares two MACs in time that depends only on their lengths, not on where they first differ.
    public static func equalInConstantTime(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// ISO/IEC 9797-1 padding method 2: 0x80, then zeros up to a whole block (always at least one byte).
    public static func pad(_ data: [UInt8]) -> [UInt8] {
        var out = data
        out.append(0x80)
        while out.count % blockLength != 0 { out.append(0) }
        return out
    }

    /// Removes ISO/IEC 9797-1 method 2 padding, or says which field did not carry it.
    public static func unpad(_ data: [UInt8], field: String) throws(TagCryptoError) -> [UInt8] {
        var end = data.count
        while end > 0, data[end - 1] == 0 { end -= 1 }
        guard end > 0, data[end - 1] == 0x80, data.count - end < blockLength else { throw .badPadding(field: field) }
        return Array(data[..<(end - 1)])
    }
}
