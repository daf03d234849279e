// pn532-emulator: a PN532 on a pseudo-terminal for libnfc, as its own process.
//
//   pn532-emulator [--chip KIND]      KIND: ntag213, ntag215, ntag216, ntag210, ntag212, ultralight,
//                                     ultralight-ev1, ntag424dna
//
// Prints the slave path (/dev/pts/N) on the first line of stdout, then reads control lines on stdin and
// answers each with one line (see PN532EmulatorControl: chip, put, remove, leave-after, dump, state, stats, …).
// Point libnfc at it with LIBNFC_DEVICE=pn532_uart:/dev/pts/N or `tagtool nfc … --device pn532_uart:/dev/pts/N`.
// --chip KIND puts a fresh chip named "initial" in the field at start. Stops at `quit` or end of input.
import Foundation
import TagKit
import TagTestSupport

/// Chip kinds the control protocol can create, from TagKit's chip table.
let kinds: [String: Type2Chip] = [
    "ntag213": .ntag213, "ntag215": .ntag215, "ntag216": .ntag216, "ultralight": .ultralight,
    "ntag210": .ntag210, "ntag212": .ntag212, "ultralight-ev1": .ultralightEV1MF0UL11,
]

func makeChip(_ kind: String, _ uid: [UInt8]) -> PN532EmulatorControl.Chip? {
    if kind == "ntag424dna" {
        let tag = SimulatedNTAG424(uid: uid)
        return PN532EmulatorControl.Chip(
            target: tag, memory: { tag.contents(ofFile: 0x02) ?? [] }, placed: { tag.powerCycle() }, state: { tag.stateLine })
    }
    guard let chip = kinds[kind] else { return nil }
    let tag = SimulatedType2Tag(chip: chip, uid: uid)
    return PN532EmulatorControl.Chip(target: tag, memory: { tag.memory }, placed: { tag.powerCycle() })
}

func answer(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments.dropFirst()
let emulator: PN532Emulator
do { emulator = try PN532Emulator() } catch {
    FileHandle.standardError.write(Data("pn532-emulator: \(error)\n".utf8))
    exit(1)
}
let control = PN532EmulatorControl(emulator: emulator, factory: makeChip)
answer(emulator.devicePath)
if let index = arguments.firstIndex(of: "--chip"), arguments.index(after: index) < arguments.endIndex {
    let kind = arguments[arguments.index(after: index)]
    for line in ["chip initial \(kind)", "put initial"] {
        let reply = control.execute(line)
        guard reply.hasPrefix("ok") else {
            FileHandle.standardError.write(Data("pn532-emulator: \(reply)\n".utf8))
            exit(2)
        }
    }
}
while let line = readLine() {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
    answer(control.execute(trimmed))
    if control.finished { break }
}
emulator.stop()
