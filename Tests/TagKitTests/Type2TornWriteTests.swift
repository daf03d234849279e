import Testing
import TagKit
import TagTestSupport

/// Torn writes: the tag leaves the field after every possible number of commands of a plan. Whatever
/// happens, the tag must then read as the old message, an empty one, or the new one — never garbage.
@Suite("Type 2 torn writes")
struct Type2TornWriteTests {
    static let messages: [NDEFMessage?] = [
        nil,  // factory content
        NDEFMessage(.uri("https://civic.example/t/7K3M9QXA")),
        .sticker(url: "https://civic.example/t/7K3M9QXA", titleFrench: "Arrêt Berri-UQAM", titleEnglish: "Berri-UQAM stop"),
        NDEFMessage(.uri("https://civic.example/t/ZZZZ")),
        NDEFMessage(.mime("application/octet-stream", payload: (0..<280).map { UInt8($0 & 0xFF) })),  // 3-byte length
        NDEFMessage(.empty),
    ]

    static let chips: [Type2Chip] = Type2Chip.all

    /// The tag after writing `message` fully (nil: factory).
    static func tag(_ chip: Type2Chip, holding message: NDEFMessage?) throws -> Type2Tag {
        let factory = Type2Tag.factory(chip: chip, uid: [0x04, 1, 2, 3, 4, 5, 6])
        guard let message else { return factory }
        return try factory.writePlan(for: message).expected
    }

    @Test(arguments: chips)
    func everyCutLeavesOldEmptyOrNew(chip: Type2Chip) throws {
        var cuts = 0
        for old in Self.messages {
            for new in Self.messages.compactMap({ $0 }) {
                guard let before = try? Self.tag(chip, holding: old) else { continue }  // old does not fit
                guard let plan = try? before.writePlan(for: new) else {
                    // Too big for this chip: refusing is the right answer.
                    #expect(new.encoded().count > before.ndefCapacity())
                    continue
                }
                let oldMessage = try before.ndefMessage() ?? NDEFMessage(records: [])
                for cut in 0...plan.writes.count {
                    let tag = SimulatedType2Tag(chip: chip, uid: [0x04, 1, 2, 3, 4, 5, 6])
                    tag.setPages(0, before.memory)
                    tag.leaveField(afterCommands: cut)
                    let writer = Type2TagWriter(transceiver: SimulatedTransceiver(tag))
                    do {
                        try writer.execute(plan)
                        #expect(cut == plan.writes.count, "every write went through")
                    } catch {
                        #expect(error == .transceive(.tagLost, command: "WRITE page \(plan.writes[cut].page) (\(plan.writes[cut].purpose.rawValue))"))
                    }
                    tag.powerCycle()
                    let reread = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).readImage(chip: chip)
                    let message: NDEFMessage
                    do {
                        message = try reread.ndefMessage() ?? NDEFMessage(records: [])
                    } catch {
                        Issue.record("\(chip) cut after \(cut) of \(plan.writes.count): unparsable (\(error))")
                        continue
                    }
                    let acceptable = message == oldMessage || message.records.isEmpty || message == new
                    #expect(acceptable, "\(chip) cut after \(cut): read \(message)")
                    if cut == plan.writes.count { #expect(message == new) }
                    cuts += 1
                }
            }
        }
        #expect(cuts > 50)
    }
}
