import CivicKit
import Crypto
import Foundation
import Hummingbird
import NIOCore

/// What the report routes share: the categories, the per-client limit, the form-token key (loaded from the
/// database at start, so every instance accepts every other's forms), the photo pipeline, and filing a report.
final class ReportService: Sendable {
    let store: any ReportStore
    let town: String
    let baseURL: String
    let categories: [ReportCategory]
    /// Reports stored per client (`reports-per-client` per 10 minutes).
    let limiter: RateLimiter
    /// "Me too" presses per client: four times the reports.
    let meTooLimiter: RateLimiter
    let clients: ClientAddress
    let maxBodyBytes: Int
    let now: @Sendable () -> Date
    /// Decodes, resizes and re-encodes a photo, dropping its metadata; throws a message a citizen can read.
    let processPhoto: @Sendable (Data) throws -> StoredPhoto
    /// Tag kinds whose pages take reports (`report-kinds`).
    let kinds: Set<TargetKind>
    private let tokenBox = LockedBox<FormToken?>(nil)
    let photoWorkers = BoundedWorkers(
        name: "photos", busyMessage: "Many photos are being sent right now; please try again in a minute.")
    /// Blank report forms per place and language, for the current minute.
    let forms = ReportFormCache()
    /// Reports filed together while the previous ones commit: a busy town's reports share commits.
    private let commits: GroupCommit<NewReport>

    init(
        store: any ReportStore, town: String, baseURL: String, categories: [ReportCategory] = ReportCategory.defaults,
        reportsPerClient: Int, maxBodyBytes: Int, kinds: Set<TargetKind> = [.place, .stop], trustedProxies: Set<String> = [],
        now: @escaping @Sendable () -> Date,
        processPhoto: @escaping @Sendable (Data) throws -> StoredPhoto
    ) {
        self.store = store
        self.town = town
        self.baseURL = baseURL
        self.categories = categories
        limiter = RateLimiter(limit: reportsPerClient, window: 600)
        meTooLimiter = RateLimiter(limit: reportsPerClient.multipliedReportingOverflow(by: 4).partialValue, window: 600)
        clients = ClientAddress(trustedProxies: trustedProxies)
        self.maxBodyBytes = maxBodyBytes
        self.now = now
        self.processPhoto = processPhoto
        self.kinds = kinds
        commits = GroupCommit(maxBatch: 64) { try await store.createReports($0) }
    }

    /// Stores a new report, committed with any others filed meanwhile.
    /// - Throws: ``CivicStoreError/alreadyExists(kind:id:)`` when its ID is taken.
    func commit(_ report: CitizenReport, photo: StoredPhoto?, actor: String) async throws {
        guard try await commits.submit(NewReport(report, photo: photo, actor: actor)) else {
            throw CivicStoreError.alreadyExists(kind: "report", id: report.id)
        }
    }

    /// Loads the shared form-token key (made on first use).
    func start() async throws {
        let secret = try await store.sharedSecret("report-form-key")
        tokenBox.mutate { $0 = FormToken(secret: secret) }
    }

    var tokens: FormToken? { tokenBox.value }

    func takesReports(_ tag: Tag) -> Bool { kinds.contains(tag.target.kind) }

    func categories(for tag: Tag) -> [ReportCategory] {
        categories.filter { $0.kinds.isEmpty || $0.kinds.contains(tag.target.kind.rawValue) }
    }

    /// The request's form, bounded by `max-body-bytes`. - Throws: 400 when it cannot be read.
    func form(_ request: Request) async throws -> FormData {
        let body = try await request.body.collect(upTo: maxBodyBytes)
        do {
            return try FormData(body: Data(body.readableBytesView), contentType: request.headers[.contentType])
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    struct Submission: Sendable {
        var category: String
        var description: String
        var email: String?
        var photo: StoredPhoto?
    }

    /// A refusal the form shows above itself.
    struct Refusal: Error {
        var message: String
    }

    func validate(_ form: FormData, tag: Tag, words: ReportWords) async throws -> Submission {
        let category = form["category"] ?? ""
        guard categories(for: tag).contains(where: { $0.code == category }) else { throw Refusal(message: words.needCategory) }
        let description = (form["description"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty, description.count <= 2000 else { throw Refusal(message: words.needDescription) }
        var email: String?
        if let given = form["email"]?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            guard Self.looksLikeEmail(given) else { throw Refusal(message: words.badEmail) }
            email = given
        }
        var photo: StoredPhoto?
        if let file = form.files["photo"], !file.data.isEmpty {
            // Decoding a 40-megapixel photo takes a while: off the event loop, a bounded number at once.
            let process = processPhoto, data = file.data
            do { photo = try await photoWorkers.run { try process(data) } } catch { throw Refusal(message: "\(error)") }
        }
        return Submission(category: category, description: description, email: email, photo: photo)
    }

    /// One `@`, a dot in the domain, no spaces or control characters, at most 254 characters.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }
    }

    /// Stores a new report (and its photo) and returns it with the follow-up secret, which is never stored.
    func file(
        _ submission: Submission, tag: Tag?, channel: String, position: GeoPoint? = nil, address: String? = nil,
        verifiedOnSite: Bool = false
    ) async throws -> (CitizenReport, String) {
        let secret = CivicIDs.random(bytes: 16)
        let now = stamp()
        let point = position ?? tag.flatMap { tag in tag.place.lat.flatMap { lat in tag.place.lon.map { GeoPoint(lat: lat, lon: $0) } } }
        let report = CitizenReport(
            id: CivicIDs.make(prefix: "r"), tagID: tag?.id.rawValue, category: submission.category,
            description: submission.description, lat: point?.lat, lon: point?.lon, address: address ?? tag?.place.address,
            photo: submission.photo?.sha256, email: submission.email, followUpHash: APITokens.hash(secret), channel: channel,
            createdAt: now, updatedAt: now, verifiedOnSite: verifiedOnSite ? true : nil)
        try await commit(report, photo: submission.photo, actor: channel == "web" ? "citizen" : channel)
        if let tag { forms.invalidate(tag.id.rawValue) }
        return (report, secret)
    }

    /// The application's clock to the whole second, as the stores keep times.
    func stamp() -> Date { Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down)) }
}
