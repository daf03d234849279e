public import TagKit
import Foundation

/// File format of a single code.
public enum CodeFileFormat: String, Sendable, CaseIterable {
    case svg, pdf, png

    /// The format named by a path's extension.
    public init?(path: String) {
        self.init(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

/// Why a batch could not be written. Nothing is left behind.
public struct BatchWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Writes a checked batch: one file per tag plus `manifest.csv` in a folder, or one imposed PDF.
/// Everything goes to a temporary path next to the target and is renamed into place only when all of
/// it (and `verify`, if asked) succeeded, so an interrupted or failed batch leaves nothing half-written.
public struct BatchWriter: Sendable {
    public enum Output: Sendable {
        /// One file per tag in `folder`, in `format`, each code `size` with `captions`.
        case folder(String, format: CodeFileFormat, size: QRPhysicalSize, captions: Bool)
        /// One PDF of label sheets.
        case sheets(String, LabelSheet)
    }

    public var output: Output
    public var quietZone: Int
    public var dpi: Double
    /// Decode every code after rendering and fail on any difference.
    public var verify: Bool
    /// Threads that render and write files (SVG and PNG; PDF files go one at a time); `nil` in the
    /// initialiser: one per core.
    public var threads: Int

    public init(
        output: Output, quietZone: Int = 4, dpi: Double = 300, verify: Bool = false,
        threads: Int? = nil
    ) {
        precondition((threads ?? 1) >= 1, "threads must be at least 1")
        self.output = output
        self.quietZone = quietZone
        self.dpi = dpi
        self.verify = verify
        self.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// One manifest row per written file.
    public struct Written: Sendable, Hashable {
        public var id: TagID
        public var name: String
        public var url: String
        public var file: String
        public var version: Int
        /// Size of the code (quiet zone included), mm.
        public var sizeMM: Double
    }

    /// Writes `entries`; `progress` is called with the number done so far.
    @discardableResult
    public func write(_ entries: [BatchEntry], progress: (Int) -> Void = { _ in }) throws(BatchWriteError)
        -> [Written]
    {
        switch output {
        case let .folder(folder, format, size, captions):
            return try writeFolder(entries, folder: folder, format: format, size: size, captions: captions,
                                   progress: progress)
        case let .sheets(path, sheet):
            return try writeSheets(entries, path: path, sheet: sheet, progress: progress)
        }
    }

    /// Where a batch for `path` is written before it is renamed into place.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
            .path
    }

    private func temporarySibling(of path: String) -> String { Self.temporaryPath(for: path) }

    private func writeFolder(
        _ entries: [BatchEntry], folder: String, format: CodeFileFormat, size: QRPhysicalSize, captions: Bool,
        progress: (Int) -> Void
    ) throws(BatchWriteError) -> [Written] {
        let manager = FileManager.default
        let temporary = temporarySibling(of: folder)
        try? manager.removeItem(atPath: temporary)
        do { try manager.createDirectory(atPath: temporary, withIntermediateDirectories: true) }
        catch { throw BatchWriteError("cannot create \(temporary): \(error.localizedDescription) — check the output folder's parent exists and is writable") }
        var written: [Written] = []
        written.reserveCapacity(entries.count)
        do {
            // Files are independent: render and write them on every core, a chunk at a time so the
            // progress bar moves. Workers take a few entries at a time as they go, so a worker slowed
            // down by other processes does not hold up a chunk. PDF goes one at a time (each file is its
            // own libharu document anyway). Each file is created new (`O_EXCL`) by its full path, with no
            // per-file rename or fsync: the folder is renamed into place once, at the end. (Not `openat`
            // on a held directory: after Ctrl-C, `InterruptCleanup` renames the folder away so workers
            // still running can no longer add files to what it deletes.)
            let quietZone = quietZone, dpi = dpi
            let workers = format == .pdf ? 1 : threads
            let scratch = (0..<workers).map { _ in RenderScratch() }
            let firstError = FirstError<BatchWriteError>()
            let chunk = 512
            for chunkStart in stride(from: 0, to: entries.count, by: chunk) {
                let chunkEnd = min(entries.count, chunkStart + chunk)
                let claims = BlockClaims(range: chunkStart..<chunkEnd, block: 4)
                let work = { @Sendable (worker: Int) in
                    let scratch = scratch[worker]
                    while let range = claims.next() {
                        for index in range {
                            let entry = entries[index]
                            let options = QRRenderOptions(
                                quietZone: quietZone, size: size, caption: captions ? entry.caption : nil)
                            let name = "\(entry.id.rawValue).\(format.rawValue)"
                            do {
                                switch format {
                                case .svg:
                                    let layout = entry.matrix.layout(options)
                                    try writeBytes(
                                        scratch.svg.render(entry.matrix, layout: layout), to: temporary + "/" + name, exclusive: true)
                                case .png: try writeBytes(try entry.matrix.png(options, dpi: dpi), to: temporary + "/" + name, exclusive: true)
                                case .pdf: try entry.matrix.writePDF(to: temporary + "/" + name, options: options)
                                }
                            } catch {
                                firstError.record(BatchWriteError("line \(entry.line): \(error)"))
                            }
                        }
                    }
                }
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
                if let error = firstError.error { throw error }
                progress(chunkEnd)
            }
            for entry in entries {
                let options = QRRenderOptions(quietZone: quietZone, size: size, caption: nil)
                written.append(Written(
                    id: entry.id, name: entry.name, url: entry.url, file: "\(entry.id.rawValue).\(format.rawValue)",
                    version: entry.matrix.version, sizeMM: entry.matrix.layout(options).codeRect.width))
            }
            try writeBytes(Array(Self.manifest(written).utf8), to: temporary + "/manifest.csv")
            if verify {
                for (entry, row) in zip(entries, written) {
                    let decoded = try QRDecodeCheck.decodeFile(at: temporary + "/" + row.file)
                    guard decoded == [entry.content] else {
                        throw BatchWriteError(
                            "verify: \(row.file) (line \(entry.line)) decodes to \(decoded), expected \(entry.content)")
                    }
                }
            }
            // Swap into place: the old folder (if any) is moved aside first and removed last.
            var aside: String?
            if manager.fileExists(atPath: folder) {
                aside = temporary + ".old"
                try? manager.removeItem(atPath: aside!)
                try manager.moveItem(atPath: folder, toPath: aside!)
            }
            try manager.moveItem(atPath: temporary, toPath: folder)
            if let aside { try? manager.removeItem(atPath: aside) }
        } catch {
            try? manager.removeItem(atPath: temporary)
            if let error = error as? BatchWriteError { throw error }
            throw BatchWriteError("writing \(folder) failed: \(error) — nothing was written")
        }
        return written
    }

    private func writeSheets(
        _ entries: [BatchEntry], path: String, sheet: LabelSheet, progress: (Int) -> Void
    ) throws(BatchWriteError) -> [Written] {
        let temporary = temporarySibling(of: path)
        do {
            try sheet.writePDF(entries.map { LabelContent(matrix: $0.matrix, caption: $0.caption) },
                               to: temporary, progress: progress)
            if verify {
                let perSheet = sheet.template.labelsPerSheet
                let rects = stride(from: 0, to: entries.count, by: perSheet).map { start in
                    (start..<min(entries.count, start + perSheet)).map { sheet.labelRect($0) }
                }
                let pages = try QRDecodeCheck.decodeLabels(inPDF: temporary, labels: rects)
                for (index, entry) in entries.enumerated() {
                    let decoded = pages[index / perSheet][index % perSheet]
                    guard decoded == [entry.content] else {
                        throw BatchWriteError(
                            "verify: label \(index % perSheet + 1) on page \(index / perSheet + 1) (line \(entry.line)) "
                                + "decodes to \(decoded), expected \(entry.content) — nothing was written")
                    }
                }
            }
            // The manifest records minted IDs; it lands first, and goes again if the PDF cannot.
            let manifestPath = Self.manifestPath(forSheets: path)
            let manifestTemporary = Self.temporaryPath(for: manifestPath)
            try writeBytes(Array(Self.manifest(sheetRows(entries, path: path, sheet: sheet)).utf8), to: manifestTemporary)
            guard rename(manifestTemporary, manifestPath) == 0 else {
                unlink(manifestTemporary)
                throw BatchWriteError("cannot write \(manifestPath): \(String(cString: strerror(errno)))")
            }
            if rename(temporary, path) != 0 {
                unlink(manifestPath)
                throw BatchWriteError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            if let error = error as? BatchWriteError { throw error }
            throw BatchWriteError("writing \(path) failed: \(error) — nothing was written")
        }
        return sheetRows(entries, path: path, sheet: sheet)
    }

    /// `labels.pdf` → `labels.manifest.csv`.
    public static func manifestPath(forSheets path: String) -> String {
        (path.lowercased().hasSuffix(".pdf") ? String(path.dropLast(4)) : path) + ".manifest.csv"
    }

    private func sheetRows(_ entries: [BatchEntry], path: String, sheet: LabelSheet) -> [Written] {
        return entries.enumerated().map { index, entry in
            let layout = sheet.layout(matrixSize: entry.matrix.size, caption: entry.caption)
            return Written(
                id: entry.id, name: entry.name, url: entry.url,
                file: "\((path as NSString).lastPathComponent)#page=\(index / sheet.template.labelsPerSheet + 1)",
                version: entry.matrix.version, sizeMM: layout.codeRect.width)
        }
    }

    /// `manifest.csv`: id,name,url,file,version,size (size in mm, quiet zone included). Written by TagKit's
    /// ``CSV`` so a name that would start a spreadsheet formula is shown as text.
    public static func manifest(_ rows: [Written]) -> String {
        var text = CSV.line(["id", "name", "url", "file", "version", "size"])
        for row in rows {
            let size = (row.sizeMM * 100).rounded() / 100
            text += CSV.line([row.id.rawValue, row.name, row.url, row.file, String(row.version), "\(size)mm"])
        }
        return text
    }
}

/// Writes bytes to a file with one `write(2)` loop (faster than Data for thousands of small files); `exclusive`:
/// the file must not exist yet (the batch folder is fresh), else it is replaced.
func writeBytes(_ bytes: [UInt8], to path: String, exclusive: Bool = false) throws(BatchWriteError) {
    let fd = open(path, O_WRONLY | O_CREAT | (exclusive ? O_EXCL : O_TRUNC) | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw BatchWriteError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    try writeAll(bytes, to: fd, path: path)
}

private func writeAll(_ bytes: [UInt8], to fd: Int32, path: @autoclosure () -> String) throws(BatchWriteError) {
    var offset = 0
    while offset < bytes.count {
        let count = bytes.withUnsafeBytes { buffer in
            write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        }
        guard count > 0 else {
            if count < 0 && errno == EINTR { continue }
            throw BatchWriteError("cannot write \(path()): \(String(cString: strerror(errno)))")
        }
        offset += count
    }
}

/// One worker's reusable buffers.
private final class RenderScratch: @unchecked Sendable {
    /// Only the worker that owns this scratch touches it.
    var svg = QRSVGRenderer()
}
