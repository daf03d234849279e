import Foundation
import Logging
@testable import TagResolver
@testable import TransitKit
import ServerTestSupport
import TagTestSupport
import Testing
import ZIPFoundation

/// A GTFS zip is judged by the bytes it inflates to, never by the sizes its headers declare; a local
/// GTFS-Realtime file has the same cap as a URL source.
@Suite(.serialized) struct FeedSizeLimitTests {
    static let megabyte = 1 << 20

    /// SyntheticFeed with `name` replaced by `bytes` of highly compressible rows (a few hundred KB zipped).
    static func bomb(_ name: String, bytes: Int) throws -> URL {
        let url = try SyntheticFeed.zip(replacing: [name: nil])
        let header = Array((name == "stops.txt" ? "stop_id,stop_name,stop_lat,stop_lon\n" : "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n").utf8)
        let row = Array((name == "stops.txt" ? "S9,Bomb,35.0,-85.0\n" : "T1,08:00:00,08:00:00,A,9\n").utf8)
        // The rows repeat, so any piece is a slice of one block starting at the right phase.
        let block = Array([[UInt8]](repeating: row, count: (1 << 17) / row.count + 2).joined())
        let archive = try Archive(url: url, accessMode: .update)
        try archive.addEntry(
            with: name, type: .file, uncompressedSize: Int64(bytes), compressionMethod: .deflate, bufferSize: 1 << 16,
            provider: { position, size in
                let start = Int(position)
                guard start >= header.count else {
                    let rest = header.count - start
                    return Data(header[start...] + block[0..<max(0, size - rest)]).prefix(size)
                }
                let phase = (start - header.count) % row.count
                return Data(block[phase..<(phase + size)])
            })
        return url
    }

    /// Rewrites the uncompressed size of `name` in its local header and in the central directory.
    static func declare(_ size: UInt32, for name: String, in url: URL) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        let nameBytes = Array(name.utf8)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func put(_ at: Int) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: size >> (8 * i)) } }
        var patched = 0
        for offset in 0..<(bytes.count - 46) where bytes[offset] == 0x50 && bytes[offset + 1] == 0x4B {
            if bytes[offset + 2] == 3 && bytes[offset + 3] == 4,
               Array(bytes[(offset + 30)..<(offset + 30 + min(u16(offset + 26), 64))]) == nameBytes {
                put(offset + 22); patched += 1
            } else if bytes[offset + 2] == 1 && bytes[offset + 3] == 2,
                      Array(bytes[(offset + 46)..<(offset + 46 + min(u16(offset + 28), 64))]) == nameBytes {
                put(offset + 24); patched += 1
            }
        }
        try #require(patched == 2, "local header and central directory entry of \(name)")
        try Data(bytes).write(to: url)
        let entry = try #require(try Archive(url: url, accessMode: .read)[name])
        try #require(entry.uncompressedSize == UInt64(size), "ZIPFoundation now believes the header")
    }

    static func refusal(_ error: GTFSImportError) -> GTFSProblem? { error.errors.first }

    @Test("a 50 MB stops.txt whose headers claim 1,000 bytes is refused on the bytes it inflates to", arguments: ["stops.txt", "stop_times.txt"])
    func lyingHeader(_ name: String) throws {
        let zip = try Self.bomb(name, bytes: 50 * Self.megabyte)
        let zipped = (try FileManager.default.attributesOfItem(atPath: zip.path)[.size] as? NSNumber)?.intValue ?? .max
        #expect(zipped < 2 * Self.megabyte, "the bomb is small zipped: \(zipped) bytes")
        try Self.declare(1_000, for: name, in: zip)
        for read in [{ _ = try GTFSReader.read(zip: zip, limits: .uniform(Self.megabyte)) },
                     { _ = try GTFSReader.open(zip: zip, limits: .uniform(Self.megabyte)) }] as [() throws -> Void] {
            let error = try #require(throws: GTFSImportError.self) { try read() }
            let problem = try #require(Self.refusal(error))
            #expect(problem.file == name, "\(error)")
            #expect(problem.reason.contains("inflates to more than 1048576 bytes") && problem.reason.contains("--max-entry-bytes"), "\(error)")
        }
    }

    @Test("a declared size above the cap is refused before inflating, one above Int.max without trapping; unused files are never read")
    func declaredSizes() throws {
        #expect(GTFSReader.EntryLimits.default == GTFSReader.EntryLimits(stopTimes: 2 << 30, others: 256 << 20))
        for (name, limit) in [("stops.txt", 256 << 20), ("stop_times.txt", 2 << 30)] {
            let zip = try SyntheticFeed.zip()
            try Self.declare(0xFFFF_FF00, for: name, in: zip)
            let error = try #require(throws: GTFSImportError.self) { try GTFSReader.open(zip: zip) }
            #expect(Self.refusal(error)?.file == name)
            #expect(Self.refusal(error)?.reason.contains("declares 4294967040 bytes uncompressed, more than the limit of \(limit)") == true, "\(error)")
        }
        // shapes.txt is not used: whatever it declares, it is skipped.
        let shapes = try SyntheticFeed.zip(replacing: ["shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"])
        try Self.declare(0xFFFF_FF00, for: "shapes.txt", in: shapes)
        #expect(try GTFSReader.read(zip: shapes).feed.stops.count == SyntheticFeed.files["stops.txt"]!.split(separator: "\n").count - 1)

        let zip64 = try TestEnvironment.temporaryDirectory().appendingPathComponent("zip64.zip")
        try ZIP64Fixture.write(name: "stops.txt", text: "stop_id\nS1\n", declaredSize: UInt64(Int.max) + 2, to: zip64)
        for read in [{ _ = try GTFSReader.read(zip: zip64) }, { _ = try GTFSReader.open(zip: zip64) }] as [() throws -> Void] {
            let error = try #require(throws: GTFSImportError.self) { try read() }
            #expect(Self.refusal(error)?.file == "stops.txt", "\(error)")
            #expect(Self.refusal(error)?.reason.contains("declares 9223372036854775809 bytes uncompressed") == true, "\(error)")
        }
    }

    @Test("tagtool gtfs import --max-entry-bytes refuses a zip bomb naming the file, the cap and the option; nothing is imported")
    func importCommand() async throws {
        let tagtool = try ProjectPaths.product("tagtool")
        let location = try await TestEnvironment.freshDatabase(.sqlite)
        let zip = try Self.bomb("stops.txt", bytes: 50 * Self.megabyte)
        try Self.declare(1_000, for: "stops.txt", in: zip)
        let refused = try await runProgramDetached(
            tagtool, ["gtfs", "import", zip.path, "--feed-id", "synth", "--db", location.urlString, "--max-entry-bytes", "1048576"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("stops.txt") && refused.stderr.contains("1048576") && refused.stderr.contains("--max-entry-bytes"),
                "\(refused.stderr)")
        let feeds = try await runProgramDetached(tagtool, ["gtfs", "feeds", "--db", location.urlString, "--json"])
        #expect(feeds.status == 0 && feeds.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(feeds.stdoutText) \(feeds.stderr)")
        let zero = try await runProgramDetached(tagtool, ["gtfs", "import", zip.path, "--db", location.urlString, "--max-entry-bytes", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--max-entry-bytes"), "\(zero.stderr)")
        // The real feed imports with the default cap.
        let carta = try await runProgramDetached(tagtool, ["gtfs", "import", ProjectPaths.root.appendingPathComponent("samples/carta-2026-05.zip").path, "--db", location.urlString])
        #expect(carta.status == 0, "\(carta.stderr)")
    }

    @Test("a local GTFS-Realtime file above the URL cap is refused with its path and the cap; at the cap it is read")
    func realtimeFileCap() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let big = dir.appendingPathComponent("huge.pb")
        try #require(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(RealtimePoller.maxFeedBytes + 1))
        try handle.close()
        let poller = RealtimePoller(tripUpdates: .file(big.path), alerts: nil, state: RealtimeState(), logger: TestEnvironment.logger)
        let error = try await #require(throws: RealtimeError.self) { try await poller.fetchAll() }
        #expect(error.description.contains(big.path) && error.description.contains("\(RealtimePoller.maxFeedBytes) bytes"), "\(error)")

        let exact = dir.appendingPathComponent("exact.pb")
        try Data(repeating: 7, count: 1_000).write(to: exact)
        #expect(try RealtimePoller.readFile(exact.path, limit: 1_000).count == 1_000)
        #expect(throws: RealtimeError.self) { try RealtimePoller.readFile(exact.path, limit: 999) }
    }
}

/// A one-entry ZIP64 archive written byte by byte, whose header declares any uncompressed size (ZIPFoundation
/// writes ZIP64 only for entries that really are that big).
enum ZIP64Fixture {
    static func write(name: String, text: String, declaredSize: UInt64, to url: URL) throws {
        let content = Array(text.utf8)
        // A raw deflate stream of one stored block.
        let deflated: [UInt8] = [1] + le(UInt64(content.count), 2) + le(UInt64(~UInt16(content.count)), 2) + content
        let crc = crc32(content)
        let nameBytes = Array(name.utf8)
        let extra = le(1, 2) + le(16, 2) + le(declaredSize, 8) + le(UInt64(deflated.count), 8)
        let common = le(45, 2) + le(0, 2) + le(8, 2) + le(0, 2) + le(0x21, 2) + le(UInt64(crc), 4)
            + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(UInt64(nameBytes.count), 2) + le(UInt64(extra.count), 2)
        let local = le(0x0403_4B50, 4) + common + nameBytes + extra + deflated
        let central = le(0x0201_4B50, 4) + le(45, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + nameBytes + extra
        let end = le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(UInt64(central.count), 4)
            + le(UInt64(local.count), 4) + le(0, 2)
        try Data(local + central + end).write(to: url)
    }

    static func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
