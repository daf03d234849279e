import Foundation
import TagKit

/// A reader with stickers going past it: opens the reader as an initiator, waits for a sticker to arrive
/// and to leave. Polling (one select attempt every `pollInterval`) stays in Swift so it can be interrupted
/// between attempts (Ctrl-C in `tagtool nfc encode`).
public final class NFCStation {
    public let context: NFCContext
    public let device: NFCDevice
    /// Seconds between two select attempts.
    public var pollInterval: Double

    /// Opens `connstring` (nil: the first reader libnfc finds) in initiator mode.
    public init(connstring: String?, verbose: Bool = false, pollInterval: Double = 0.1) throws(NFCError) {
        context = try NFCContext(verbose: verbose)
        device = try context.open(connstring)
        self.pollInterval = pollInterval
        try device.initiatorInit()
    }

    /// Waits for a sticker: returns a transceiver bound to it, nil when `shouldStop` said so.
    /// - Throws: ``NFCError/Kind/noTag`` after `timeout` seconds (nil waits forever); reader errors.
    public func waitForSticker(timeout: Double?, shouldStop: () -> Bool = { false }) throws(NFCError) -> LibNFCTransceiver? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while !shouldStop() {
            if let target = try device.selectISO14443A() {
                return try LibNFCTransceiver(device: device, target: target)
            }
            if let deadline, Date() >= deadline { throw NFCError(.noTag, operation: "select") }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        return nil
    }

    /// Waits until `target` has left the field: two select attempts in a row find nothing. The field is
    /// switched off and on before each attempt so a tag still lying there answers from its power-on state.
    /// Returns false when `shouldStop` said so first.
    @discardableResult
    public func waitForRemoval(of target: NFCTargetInfo, shouldStop: () -> Bool = { false }) throws(NFCError) -> Bool {
        var misses = 0
        while !shouldStop() {
            try device.setField(false)
            try device.setField(true)
            if try device.selectISO14443A(uid: target.uid) == nil {
                misses += 1
                if misses == 2 { return true }
            } else {
                misses = 0
                Thread.sleep(forTimeInterval: pollInterval)
            }
        }
        return false
    }
}
