import Foundation
import Testing
import NFCWriter
import TagKit
import TagTestSupport

/// The chip leaves the field after each possible frame of a write, through real libnfc: the write fails with
/// "tag left the field", and the next read shows the old message, an empty one or the new one — never a
/// corrupt one (checked with TagKit and, when available, ndeflib).
@Suite(.serialized) struct TornWriteTests {
    static let old = "https://civictags.org/t/OLD0TAG1?via=nfc"
    static let new = "https://civictags.org/t/7K3M9QXA?via=nfc&v=2"  // fits a plain Ultralight too

    /// A tag holding the old message, its memory, and how many frames a clean write of the new one takes.
    func prepared(_ chip: Type2Chip) throws -> (tag: SimulatedType2Tag, frames: Int) {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: chip)
        _ = try StickerWriter().write(StickerWriteRequest(message: .sticker(url: Self.old)), to: try reader.present(tag))
        let probe = SimulatedType2Tag(chip: chip)
        probe.setPages(0, tag.memory)
        let transceiver = try reader.present(probe)
        reader.emulator.withCore { $0.resetCounters() }
        _ = try StickerWriter().write(StickerWriteRequest(message: .sticker(url: Self.new)), to: transceiver)
        let frames = reader.emulator.withCore { $0.airLog.count }
        return (tag, frames)
    }

    @Test(arguments: [(Type2Chip.ntag213, false), (.ntag213, true), (.ultralight, false), (.ultralight, true)])
    func everyCutLeavesOldEmptyOrNew(chip: Type2Chip, lostReply: Bool) throws {
        try TestTools.requireNDEFLib()
        let (original, frames) = try prepared(chip)
        #expect(frames > 5)
        var outcomes: Set<String> = []
        let reader = try TestReader()
        for cut in (lostReply ? 1 : 0)..<frames {
            let tag = SimulatedType2Tag(chip: chip)
            tag.setPages(0, original.memory)
            let transceiver = try reader.present(tag)
            reader.emulator.leaveField(afterFrames: cut, losingLastReply: lostReply)
            let error = #expect(throws: StickerError.self, "cut after \(cut) of \(frames) frames") {
                try StickerWriter().write(StickerWriteRequest(message: .sticker(url: Self.new)), to: transceiver)
            }
            #expect(error?.isTagLost == true, "cut \(cut): \(error?.description ?? "no error")")
            if error?.stage == .write {
                #expect(error?.description.hasPrefix("tag left the field during the write") == true)
            }
            // Put the sticker back and read it.
            let reading = try StickerWriter().read(try reader.present(tag))
            #expect(reading.messageError == nil, "cut \(cut): \(reading.messageError ?? "")")
            let uri = reading.uri
            #expect(uri == Self.old || uri == Self.new || reading.message?.isEmpty == true, "cut \(cut): \(uri ?? "empty")")
            outcomes.insert(uri ?? "empty")
            let decoded = (try? TestTools.ndeflibDecode(memory: tag.memory)) ?? ["ndeflib failed"]
            #expect(decoded == ["uri \(Self.old)"] || decoded == ["uri \(Self.new)"] || decoded == ["empty"],
                    "cut \(cut): ndeflib saw \(decoded)")
        }
        // The sweep really crosses the write: old before, empty in the middle, new at the end (lost reply).
        #expect(outcomes.contains(Self.old))
        #expect(outcomes.contains("empty"))
        if lostReply { #expect(outcomes.contains(Self.new)) }
    }
}
