import Testing
import TagKit
import TagTestSupport

/// Exact bytes on the wire for a whole session, against a scripted (not simulated) chip.
@Suite("Type 2 transcripts")
struct Type2TranscriptTests {
    @Test func plainUltralightSessionByteForByte() throws {
        let uid: [UInt8] = [0x04, 0x6F, 0x2A, 0x52, 0x91, 0x3C, 0x80]
        let factory = Type2Tag.factory(chip: .ultralight, uid: uid).memory
        func block(_ page: Int) -> [UInt8] { Array((factory + factory)[(page * 4)..<(page * 4 + 16)]) }
        var after = factory
        after.replaceSubrange(16..<28, with: [0x03, 0x08, 0xD1, 0x01, 0x04, 0x55, 0x04, 0x61, 0x2E, 0x62, 0xFE, 0x00])
        let script = ScriptedTransceiver([
            .exchange([0x60], .failure(.timeout)),        // no GET_VERSION on MF0ICU1
            .reactivate,
            .exchange([0x30, 0x00], .success(block(0))),  // CC E1 10 06 00 → Ultralight
            .exchange([0x30, 0x00], .success(block(0))),
            .exchange([0x30, 0x04], .success(block(4))),
            .exchange([0x30, 0x08], .success(block(8))),
            .exchange([0x30, 0x0C], .success(block(12))),
            .exchange([0xA2, 0x04, 0x03, 0x00, 0xD1, 0x01], .success([])),  // length 0 + body
            .exchange([0xA2, 0x05, 0x04, 0x55, 0x04, 0x61], .success([])),
            .exchange([0xA2, 0x06, 0x2E, 0x62, 0xFE, 0x00], .success([])),
            .exchange([0xA2, 0x04, 0x03, 0x08, 0xD1, 0x01], .success([])),  // real length last
            .exchange([0x30, 0x04], .success(Array(after[16..<32]))),
        ])
        let report = try Type2TagWriter(transceiver: script).write(
            Type2WriteRequest(message: NDEFMessage(.uri("https://a.b"))))
        #expect(script.deviations.isEmpty, "\(script.deviations)")
        #expect(script.isFinished)
        #expect(report.chip == .ultralight)
        #expect((report.writes, report.reads, report.verifyReads, report.otherCommands) == (4, 6, 1, 1))
    }

    @Test func aDeviationIsReported() {
        let script = ScriptedTransceiver([.exchange([0x60], .success([0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03]))])
        #expect(throws: Type2TransceiveError.reader("script mismatch")) { try script.transceive([0x30, 0x00]) }
        #expect(script.deviations == ["step 1: expected 60, got 30 00"])
    }
}
