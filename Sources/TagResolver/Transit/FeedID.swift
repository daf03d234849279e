/// Feed IDs name feeds in tags (`stop:<feed>/<stop_id>`): short, lowercase, URL-safe.
public enum FeedID {
    public static func validate(_ text: String) throws(InvalidInput) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard (1...40).contains(text.count), text.allSatisfy({ allowed.contains($0) }) else {
            throw InvalidInput("feed ID '\(text)' must be 1–40 characters a–z, 0–9, '-' or '_' (e.g. carta)")
        }
    }
}
