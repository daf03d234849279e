// libFuzzer entry for the NDEF and Type 2 TLV decoders. Built by scripts/fuzz-ndef.sh (`make fuzz`)
// together with Sources/TagKit/NDEF*.swift and Type2*.swift in one module, so internals are visible.
//
// Input layout: byte 0 selects the mode (even: NDEF message, odd: Type 2 memory image), the rest is data.
// Checks, beyond "never crash": a decoded message re-encodes and decodes to itself; a write plan built
// on any image produces an expected image that reads back exactly the planned message.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let body = Array(bytes.dropFirst())
    if bytes[0] & 1 == 0 {
        fuzzNDEF(body)
    } else {
        fuzzType2(body, chipSelector: Int(bytes[0] >> 1))
    }
    return 0
}

func fuzzNDEF(_ bytes: [UInt8]) {
    guard let message = try? NDEFMessage(decoding: bytes) else { return }
    for record in message.records {
        _ = try? record.content()
    }
    _ = message.summaries
    _ = message.primaryURI()
    let again = message.encoded()
    guard let decoded = try? NDEFMessage(decoding: again), decoded == message else {
        fatalError("re-encoded message does not decode to itself: \(hexString(bytes))")
    }
}

func fuzzType2(_ bytes: [UInt8], chipSelector: Int) {
    let chip = Type2Chip.all[chipSelector % Type2Chip.all.count]
    var tag = Type2Tag.factory(chip: chip, uid: [0x04, 1, 2, 3, 4, 5, 6])
    // Fuzz bytes overwrite the image from page 2 (lock bytes, CC, data area).
    let count = min(bytes.count, tag.memory.count - 8)
    tag.memory.replaceSubrange(8..<(8 + count), with: bytes.prefix(count))
    _ = try? tag.tlvs()
    _ = try? tag.ndefMessage()
    _ = tag.ndefCapacity()
    let message = NDEFMessage(.uri("https://civic.example/t/7K3M9QXA"))
    if let plan = try? tag.writePlan(for: message) {
        var image = tag.memory
        for write in plan.writes { image.replaceSubrange((write.page * 4)..<(write.page * 4 + 4), with: write.data) }
        guard image == plan.expected.memory, (try? plan.expected.ndefMessage()) == message else {
            fatalError("plan does not produce the message on image \(hexString(tag.memory))")
        }
    }
    _ = try? tag.readOnlyPlan()
}
