public import Foundation

/// Staff accounts and sessions over the registry's ``SQLDatabase``.
extension RegistryStore: StaffStore {
    struct StaffRow: Codable, Sendable {
        var name: String
        var role: String
        var hasPassword: Int64
        var disabled: Int64
        var language: String
        var failedLogins: Int64
        var lockedUntil: Int64?
        var createdAt: Int64

        static let columns = columns(of: "staff_users")

        /// The columns, each qualified with `table` (a name or an alias).
        static func columns(of table: String) -> String {
            ["name", "role", "CASE WHEN \(table).password_hash IS NULL THEN 0 ELSE 1 END AS has_password", "disabled", "language",
             "failed_logins", "locked_until", "created_at"].map { $0.hasPrefix("CASE") ? $0 : "\(table).\($0)" }.joined(separator: ", ")
        }

        enum CodingKeys: String, CodingKey {
            case name, role, disabled, language
            case hasPassword = "has_password", failedLogins = "failed_logins", lockedUntil = "locked_until", createdAt = "created_at"
        }

        func user() -> StaffUser {
            StaffUser(
                name: name, role: StaffRole(rawValue: role) ?? .viewer, disabled: disabled != 0, language: language,
                hasPassword: hasPassword != 0, createdAt: StoredTime.date(createdAt), failedLogins: Int(failedLogins),
                lockedUntil: lockedUntil.map(StoredTime.date))
        }
    }

    /// A session joined to its account: the session's columns, then ``StaffRow``'s.
    struct SessionUserRow: Decodable, Sendable {
        var idHash: String
        var csrf: String
        var sessionCreatedAt: Int64
        var seenAt: Int64
        var user: StaffRow

        enum CodingKeys: String, CodingKey {
            case csrf
            case idHash = "id_hash", sessionCreatedAt = "session_created_at", seenAt = "seen_at"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            idHash = try container.decode(String.self, forKey: .idHash)
            csrf = try container.decode(String.self, forKey: .csrf)
            sessionCreatedAt = try container.decode(Int64.self, forKey: .sessionCreatedAt)
            seenAt = try container.decode(Int64.self, forKey: .seenAt)
            user = try StaffRow(from: decoder)
        }
    }

    /// What the audit log keeps of an account: never a password or a link.
    private func auditUser(_ db: any SQLExecutor, actor: String, action: String, _ user: StaffUser) async throws {
        let summary = try JSONCoding.string(["name": user.name, "role": user.role.rawValue, "disabled": "\(user.disabled)"])
        try await appendAudit(db, actor: actor, action: action, tagID: nil, before: nil, after: summary)
    }

    private func lockedUser(_ name: String, _ db: any SQLExecutor) async throws -> StaffUser {
        guard let row = try await db.fetchOne(
            StaffRow.self, "SELECT \(raw: StaffRow.columns) FROM staff_users WHERE name = \(name)\(raw: dialect.forUpdate)")
        else { throw CivicStoreError.notFound(kind: "user", id: name) }
        return row.user()
    }

    public func createUser(_ user: StaffUser, setupHash: String, setupExpires: Date, actor: String) async throws {
        try await database.transaction { db in
            let inserted = try await db.values(
                String.self,
                """
                INSERT INTO staff_users (name, role, disabled, language, setup_hash, setup_expires, created_at)
                VALUES (\(user.name), \(user.role.rawValue), \(Int64(user.disabled ? 1 : 0)), \(user.language), \(setupHash),
                        \(StoredTime.millis(setupExpires)), \(StoredTime.millis(user.createdAt)))
                ON CONFLICT (name) DO NOTHING RETURNING name AS value
                """)
            guard inserted.count == 1 else { throw CivicStoreError.alreadyExists(kind: "user", id: user.name) }
            try await auditUser(db, actor: actor, action: "user-create", user)
        }
    }

    public func user(_ name: String) async throws -> StaffUser? {
        try await database.fetchOne(StaffRow.self, "SELECT \(raw: StaffRow.columns) FROM staff_users WHERE name = \(name)")?.user()
    }

    public func users() async throws -> [StaffUser] {
        try await database.fetch(StaffRow.self, "SELECT \(raw: StaffRow.columns) FROM staff_users ORDER BY name").map { $0.user() }
    }

    public func passwordHash(of name: String) async throws -> String? {
        try await database.values(String.self, "SELECT password_hash AS value FROM staff_users WHERE name = \(name) AND password_hash IS NOT NULL").first
    }

    public func user(setupHash: String, now: Date) async throws -> StaffUser? {
        try await database.fetchOne(
            StaffRow.self,
            "SELECT \(raw: StaffRow.columns) FROM staff_users WHERE setup_hash = \(setupHash) AND setup_expires > \(StoredTime.millis(now))"
        )?.user()
    }

    public func setPassword(of name: String, hash: String, actor: String) async throws {
        try await database.transaction { db in
            let user = try await lockedUser(name, db)
            try await db.execute(
                """
                UPDATE staff_users SET password_hash = \(hash), setup_hash = NULL, setup_expires = NULL, failed_logins = 0,
                    locked_until = NULL WHERE name = \(name)
                """)
            try await db.execute("DELETE FROM staff_sessions WHERE user_name = \(name)")
            try await auditUser(db, actor: actor, action: "user-password-set", user)
        }
    }

    public func setDisabled(_ name: String, _ disabled: Bool, actor: String) async throws {
        try await database.transaction { db in
            var user = try await lockedUser(name, db)
            user.disabled = disabled
            try await db.execute("UPDATE staff_users SET disabled = \(Int64(disabled ? 1 : 0)) WHERE name = \(name)")
            if disabled { try await db.execute("DELETE FROM staff_sessions WHERE user_name = \(name)") }
            try await auditUser(db, actor: actor, action: disabled ? "user-disable" : "user-enable", user)
        }
    }

    public func resetUser(_ name: String, setupHash: String, setupExpires: Date, actor: String) async throws {
        try await database.transaction { db in
            let user = try await lockedUser(name, db)
            try await db.execute(
                """
                UPDATE staff_users SET password_hash = NULL, setup_hash = \(setupHash), setup_expires = \(StoredTime.millis(setupExpires)),
                    failed_logins = 0, locked_until = NULL WHERE name = \(name)
                """)
            try await db.execute("DELETE FROM staff_sessions WHERE user_name = \(name)")
            try await auditUser(db, actor: actor, action: "user-reset", user)
        }
    }

    public func setRole(_ name: String, _ role: StaffRole, actor: String) async throws {
        try await database.transaction { db in
            var user = try await lockedUser(name, db)
            user.role = role
            try await db.execute("UPDATE staff_users SET role = \(role.rawValue) WHERE name = \(name)")
            try await auditUser(db, actor: actor, action: "user-role", user)
        }
    }

    public func setLanguage(_ name: String, _ language: String) async throws {
        try await database.execute("UPDATE staff_users SET language = \(language) WHERE name = \(name)")
    }

    public func recordFailedLogin(_ name: String, lockedUntil: Date?) async throws {
        try await database.execute(
            "UPDATE staff_users SET failed_logins = failed_logins + 1, locked_until = \(lockedUntil.map(StoredTime.millis)) WHERE name = \(name)")
    }

    public func recordLogin(_ name: String) async throws {
        try await database.execute("UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE name = \(name)")
    }

    public func createSession(_ session: StaffSession) async throws {
        try await database.execute(
            """
            INSERT INTO staff_sessions (id_hash, user_name, csrf, created_at, seen_at)
            VALUES (\(session.idHash), \(session.userName), \(session.csrf), \(StoredTime.millis(session.createdAt)), \(StoredTime.millis(session.seenAt)))
            """)
    }

    public func session(idHash: String) async throws -> (session: StaffSession, user: StaffUser)? {
        guard let row = try await database.fetchOne(
            SessionUserRow.self,
            """
            SELECT s.id_hash, s.csrf, s.created_at AS session_created_at, s.seen_at, \(raw: StaffRow.columns(of: "u"))
            FROM staff_sessions s JOIN staff_users u ON u.name = s.user_name WHERE s.id_hash = \(idHash)
            """)
        else { return nil }
        let session = StaffSession(
            idHash: row.idHash, userName: row.user.name, csrf: row.csrf, createdAt: StoredTime.date(row.sessionCreatedAt),
            seenAt: StoredTime.date(row.seenAt))
        return (session, row.user.user())
    }

    public func touchSession(idHash: String, at: Date) async throws {
        try await database.execute("UPDATE staff_sessions SET seen_at = \(StoredTime.millis(at)) WHERE id_hash = \(idHash)")
    }

    public func deleteSession(idHash: String) async throws {
        try await database.execute("DELETE FROM staff_sessions WHERE id_hash = \(idHash)")
    }

    public func deleteExpiredSessions(createdBefore: Date, seenBefore: Date) async throws {
        try await database.execute(
            "DELETE FROM staff_sessions WHERE created_at < \(StoredTime.millis(createdBefore)) OR seen_at < \(StoredTime.millis(seenBefore))")
    }
}
