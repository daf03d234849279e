import ArgumentParser
import Foundation
import TagKit
import TagResolver

/// What the client commands (`qr`, `nfc`, `tags`, `gtfs`, `token`) know about the resolver and its registry,
/// read from the environment once (``current``); a command's flag beats the environment, which beats the
/// default. `tagtool serve` reads its own settings (``ResolverConfiguration``, README's resolver table).
///
/// | Environment          | Flag         | Default                      |
/// |----------------------|--------------|------------------------------|
/// | `CIVICTAGS_BASE_URL` | `--base-url` | `https://tags.example.org`   |
/// | `CIVICTAGS_SERVER`   | `--server`   | none: work on the database   |
/// | `CIVICTAGS_TOKEN`    | `--token`    | none                         |
/// | `CIVICTAGS_DB`       | `--db`       | `sqlite:./civictags.sqlite`  |
///
/// `nfc write`/`nfc encode` take no default base URL: a sticker is written once and may be locked, so it
/// never gets the placeholder host.
struct ClientConfiguration: Sendable {
    /// Where codes point when nothing says otherwise (`<base-url>/t/<ID>`).
    static let defaultBaseURL = TagURL.defaultBaseURL
    static let defaultDatabase = ResolverConfiguration().database

    /// `CIVICTAGS_BASE_URL`, `CIVICTAGS_SERVER`, `CIVICTAGS_TOKEN`, `CIVICTAGS_DB`; an empty variable counts as unset.
    var environmentBaseURL: String?
    var environmentServer: String?
    var environmentToken: String?
    var environmentDatabase: String?

    init(environment: [String: String]) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        environmentBaseURL = value("CIVICTAGS_BASE_URL")
        environmentServer = value("CIVICTAGS_SERVER")
        environmentToken = value("CIVICTAGS_TOKEN")
        environmentDatabase = value("CIVICTAGS_DB")
    }

    /// The process environment, read once.
    static let current = ClientConfiguration(environment: ProcessInfo.processInfo.environment)

    /// `flag`, else `CIVICTAGS_BASE_URL`; nil when neither is given.
    func givenBaseURL(_ flag: String?) -> String? { (flag?.isEmpty == false ? flag : nil) ?? environmentBaseURL }

    /// `flag`, else `CIVICTAGS_BASE_URL`, else ``defaultBaseURL``; without a trailing slash.
    func baseURL(_ flag: String?) -> String {
        let base = givenBaseURL(flag) ?? Self.defaultBaseURL
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// `flag`, else `CIVICTAGS_DB`, else ``defaultDatabase``.
    func database(_ flag: String?) -> String { flag ?? environmentDatabase ?? Self.defaultDatabase }

    /// `flag`, else `CIVICTAGS_SERVER`; nil: work on the database.
    func server(_ flag: String?) -> String? { flag ?? environmentServer }

    /// `flag`, else `CIVICTAGS_TOKEN`.
    func token(_ flag: String?) -> String? { (flag?.isEmpty == false ? flag : nil) ?? environmentToken }
}

/// `--base-url`, shared by every command that makes `<base-url>/t/<ID>`.
struct BaseURLOption: ParsableArguments {
    @Option(help: """
        Public resolver URL codes and stickers point at, as <base-url>/t/<ID> (env CIVICTAGS_BASE_URL; \
        default \(ClientConfiguration.defaultBaseURL), except for nfc write/encode, which need one given).
        """)
    var baseURL: String?

    /// The flag, the environment or the default (see ``ClientConfiguration``).
    var resolved: String { ClientConfiguration.current.baseURL(baseURL) }

    /// The flag or the environment; nil when neither says.
    var given: String? { ClientConfiguration.current.givenBaseURL(baseURL) }
}
