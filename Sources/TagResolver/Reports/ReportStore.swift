public import CivicKit
public import Foundation

/// A re-encoded photo ready to store: the bytes, their SHA-256 (the address), the size.
public struct StoredPhoto: Sendable, Equatable {
    public var sha256: String
    public var jpeg: Data
    public var width: Int
    public var height: Int

    public init(sha256: String, jpeg: Data, width: Int, height: Int) {
        self.sha256 = sha256
        self.jpeg = jpeg
        self.width = width
        self.height = height
    }
}

/// A report to store, with its photo and who filed it.
public struct NewReport: Sendable {
    public var report: CitizenReport
    public var photo: StoredPhoto?
    public var actor: String

    public init(_ report: CitizenReport, photo: StoredPhoto? = nil, actor: String) {
        self.report = report
        self.photo = photo
        self.actor = actor
    }
}

/// Which reports a list shows; every field narrows it.
public struct ReportFilter: Sendable, Equatable {
    public var statuses: [CitizenReport.Status] = []
    public var categories: [String] = []
    public var tagID: String?
    public var ids: [String] = []
    public var from: Date?
    public var until: Date?
    /// Within `radiusMeters` of a point.
    public var near: GeoCircle?
    public var limit = 1000
    public var offset = 0
    /// At most this many reports inside a `near` box are read to page through (a town-sized bound).
    public static let maxNearScan = 100_000

    public init() {}
}

/// Citizen reports, implemented once for both databases by ``RegistryStore``. A report and its photo are
/// written in one transaction; every staff change is audited with its actor.
public protocol ReportStore: Sendable {
    /// Stores every report and its photo (content-addressed: an identical photo is stored once) in one
    /// transaction, each audited under its actor; returns the indexes of reports whose ID was already taken
    /// (not stored, the others are).
    func createReports(_ batch: [NewReport]) async throws -> Set<Int>
    func report(_ id: String) async throws -> CitizenReport?
    func report(followUpHash: String) async throws -> CitizenReport?
    /// Newest first.
    func reports(_ filter: ReportFilter) async throws -> [CitizenReport]
    /// Changes one report in a transaction, audited as `action`.
    @discardableResult
    func modifyReport(
        _ id: String, actor: String, action: String, _ change: @escaping @Sendable (inout CitizenReport) throws -> Void
    ) async throws -> CitizenReport
    /// Marks `id` a duplicate of `target` and moves its "me too" count (plus its own report) over, in one
    /// transaction. - Throws: ``InputError`` when either is already a duplicate, or they are the same report.
    func mergeReport(_ id: String, into target: String, actor: String) async throws -> CitizenReport
    /// Takes the photo off a report (abusive, or showing a person) and deletes it when no other report uses it.
    @discardableResult
    func removePhoto(of id: String, actor: String) async throws -> CitizenReport
    /// Adds one to the report's "me too" count (no audit entry: nothing personal, nothing staff did).
    func addMeToo(_ id: String) async throws -> CitizenReport
    func photo(_ sha256: String) async throws -> StoredPhoto?
    /// Erases the e-mail of every report closed before `closedBefore` that still has one; returns their IDs.
    /// With `dryRun`, only lists them.
    func purgeEmails(closedBefore: Date, now: Date, dryRun: Bool, actor: String) async throws -> [String]
    /// Report counts per place and per category.
    func reportCounts() async throws -> [ReportCount]
    /// A random secret shared by every instance on this database, made on first use (the form-token key).
    func sharedSecret(_ name: String) async throws -> String
}

extension ReportStore {
    /// Stores one report. - Throws: ``CivicStoreError/alreadyExists(kind:id:)`` when its ID is taken.
    public func createReport(_ report: CitizenReport, photo: StoredPhoto?, actor: String) async throws {
        guard try await createReports([NewReport(report, photo: photo, actor: actor)]).isEmpty else {
            throw CivicStoreError.alreadyExists(kind: "report", id: report.id)
        }
    }
}

public struct ReportCount: Sendable, Equatable, Codable {
    public var tagID: String?
    public var category: String
    public var status: String
    public var count: Int64
}

extension ReportFilter {
    /// The filter a query string describes (`status=new,acknowledged&near=50.85,4.35,500&limit=50`), as the admin
    /// API and `tagtool reports list --db` read it. - Throws: ``InputError`` naming the bad parameter.
    public init(query: String, timeZone: TimeZone) throws {
        let pairs = query.split(separator: "&").map { pair -> (key: Substring, value: Substring) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (parts[0], Substring(value))
        }
        self = try ReportAdminController<RegistryStore>.filter(pairs, timeZone: timeZone)
    }
}
