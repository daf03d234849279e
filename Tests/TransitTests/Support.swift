import Foundation
import ServerTestSupport
import TagTestSupport
import ZIPFoundation

extension TestEnvironment {
    /// The real CARTA feed: `samples/` copy (committed, public domain).
    static var carta: URL { ProjectPaths.root.appendingPathComponent("samples/carta-2026-05.zip") }
}

/// Writes `files` (name → CSV text) into a new zip and returns its URL.
func makeZip(_ files: [String: String], name: String = "feed.zip") throws -> URL {
    let url = try TestEnvironment.temporaryDirectory().appendingPathComponent(name)
    let archive = try Archive(url: url, accessMode: .create)
    for (file, text) in files.sorted(by: { $0.key < $1.key }) {
        let data = Data(text.utf8)
        try archive.addEntry(
            with: file, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return url
}
