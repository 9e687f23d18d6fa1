import HandletDomain

/// A list's exact size, counted on a background thread so the keystroke that changed the
/// filter never waits for a count over millions of rows.
struct ListCounted: Sendable {
    var listName: String
    /// Which filter the count belongs to; a stale count (the filter changed since) is ignored.
    var generation: Int
    var total: Int
}

enum ListCounter {
    static func start<List: KeysetList>(_ list: List, name: String, generation: Int, context: ConsoleContext) {
        let pager = context.session.pager(list)
        let post = context.post
        Task.detached(priority: .utility) {
            guard let total = try? await pager.count() else { return }
            post(ListCounted(listName: name, generation: generation, total: total))
        }
    }
}
