import TagResolver

extension Tag {
    /// One line for listings: ID, kind, name, where it leads.
    var summaryLine: String {
        let destination: String = switch target.kind {
        case .url: target.url ?? ""
        case .page: "page “\(target.page?.title ?? "")”"
        case .disabled: "disabled: \(target.message ?? "")"
        case .stop: "departures of \(target.stop ?? "")"
        case .place: "place page" + (place.address.map { " at \($0)" } ?? "")
        }
        let scheduled = schedule.isEmpty ? "" : "  [\(schedule.count) window(s)]"
        return "\(id.grouped)  \(target.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(name)  → \(destination)\(scheduled)"
    }
}
