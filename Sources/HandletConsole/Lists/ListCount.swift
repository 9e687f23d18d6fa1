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
    /// The count's task: cancelling it interrupts the read, and nothing is posted.
    static func start<List: KeysetList>(_ list: List, name: String, generation: Int, context: ConsoleContext) -> Task<Void, Never> {
        let pager = context.session.pager(list)
        let post = context.post
        return Task.detached(priority: .utility) {
            guard let total = try? await pager.count(), !Task.isCancelled else { return }
            post(ListCounted(listName: name, generation: generation, total: total))
        }
    }
}
