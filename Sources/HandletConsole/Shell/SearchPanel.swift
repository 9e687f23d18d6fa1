import Foundation
import HandletDomain
import TerminalUI

/// What a `/` search covers: the tab's own records with its filters, or everything.
public struct SearchScope: Sendable, Equatable {
    /// nil leaves calls out of the search.
    public var calls: CallFilter?
    /// nil leaves messages out of the search.
    public var messages: MessageFilter?
    public static let everything = SearchScope(calls: CallFilter(), messages: MessageFilter())

    var label: String {
        let chips = (calls?.chips ?? []).map(\.label) + (messages?.chips ?? []).map(\.label)
        let what = calls != nil && messages != nil ? "Calls and messages" : (calls != nil ? "Calls" : "Messages")
        return ([what] + chips).joined(separator: " · ")
    }
}

/// The `/` panel: results appear as the user types, newest first, with the words highlighted in
/// context; Enter opens the call or the conversation at the hit.
struct SearchPanel {
    var input = TextInputState("", maxLength: SearchPanel.maximumQueryLength)
    /// The current tab's scope (with its filters); Tab switches between it and everything.
    let tabScope: SearchScope
    var usesTabScope = true
    private(set) var hits: [SearchHit] = []
    /// Where the next page starts; nil when every hit is loaded.
    private(set) var next: Search.Position?
    /// How many the words find in all (counted after the first page arrives); nil until counted.
    private(set) var total: Int?
    private(set) var message: String?
    private(set) var selected = 0
    private(set) var elapsedMilliseconds: Double = 0
    /// The clock of the last search, for the results' times (no settings read per frame).
    private(set) var clock: BrowseClock?
    /// About a screenful: each hit costs a snippet, and search runs on every keystroke.
    static let limit = 40
    /// A query uses at most 20 words of 64 characters (docs/json.md), about 1,300 characters
    /// with spaces; the field takes a little more and says so when a paste goes past it.
    static let maximumQueryLength = 1_500
    /// How long the text must stay unchanged before its search starts: a burst of keys (fast
    /// typing, key repeat, a paste from a terminal without bracketed paste) runs one search.
    static let debounce = Duration.milliseconds(40)
    /// Names the latest search; results of any other (older, or another panel's) are dropped.
    private var generation = UUID()
    /// The search running off the key path. Cancelling it interrupts its SQLite statement.
    private var running: Task<Void, Never>?
    /// True between a keystroke and its results.
    private(set) var isSearching = false

    /// A search's results, posted to the console's mailbox.
    struct Results: Sendable {
        let generation: UUID
        let hits: [SearchHit]
        var next: Search.Position? = nil
        let message: String?
        let clock: BrowseClock
        let elapsedMilliseconds: Double
        /// Set on the count that follows a first page (its other fields then mean nothing).
        var total: Int? = nil
    }

    /// The user's rebindings, so the keys and the hints follow them.
    let keys: KeyBindings

    init(scope: SearchScope, keys: KeyBindings) {
        tabScope = scope
        self.keys = keys
    }

    var scope: SearchScope { usesTabScope ? tabScope : .everything }

    enum Outcome: Equatable { case stay, close, open(ConsoleDestination) }

    enum Action: Sendable { case close, open, previous, next, pageDown, pageUp, widen }
    /// The panel's own keys; every other key edits the search words.
    static let table = KeyTable<Action>("search", title: "Search", typesText: true,
                                        scope: "The `/` panel; other keys type into the search", [
        KeyBinding([.escape], .close, "Close the results (/ brings them back)", group: "Search", name: "close"),
        KeyBinding([.enter], .open, "Open the call or conversation at the hit", group: "Search", name: "open"),
        KeyBinding([.up, .ctrl("p")], .previous, "Previous result", group: "Search", name: "previous"),
        KeyBinding([.down, .ctrl("n")], .next, "Next result", group: "Search", name: "next"),
        KeyBinding([.pageDown], .pageDown, "Ten results down", group: "Search", name: "page_down"),
        KeyBinding([.pageUp], .pageUp, "Ten results up", group: "Search", name: "page_up"),
        KeyBinding([.tab], .widen, "Search everything / only this tab", group: "Search", name: "widen"),
    ])

    mutating func handle(_ key: Key, context: ConsoleContext) -> Outcome {
        switch key.typesText ? nil : Self.table.resolved(keys).action(for: key) {
        case .close?: return .close
        case .open?:
            // Enter before the results arrived opens the top hit of what is typed, not of older text.
            if isSearching { finishNow(context) }
            guard let hit = hits[safe: selected] else { return .stay }
            let highlight = input.text
            switch hit.target {
            case .call(let id): return .open(.call(id: id, highlight: highlight))
            case .message(let id, let thread): return .open(.thread(id: thread, highlight: highlight, messageId: id))
            }
        case .previous?: selected = max(0, selected - 1)
        case .next?:
            loadMore(ifWithin: 1, context)
            selected = min(max(0, hits.count - 1), selected + 1)
        case .pageDown?:
            loadMore(ifWithin: 10, context)
            selected = min(max(0, hits.count - 1), selected + 10)
        case .pageUp?: selected = max(0, selected - 10)
        case .widen?:
            if tabScope != .everything {
                usesTabScope.toggle()
                run(context)
            }
        case nil:
            // Only a changed text needs a search (not a cursor move, nor a key the cap refused).
            let revision = input.revision
            if input.handle(key, keys: keys), input.revision != revision { run(context) }
        }
        return .stay
    }

    /// Starts the search for the text as typed (the last word matches as a prefix while typing)
    /// off the key path: typing never waits for a slow search, and each keystroke cancels the
    /// search before it, which has not begun if it came within `debounce`. Results arrive as a
    /// `Results` message (see `receive`); Enter does not wait (`finishNow`).
    mutating func run(_ context: ConsoleContext) {
        selected = 0
        running?.cancel()
        generation = UUID()
        guard let request = request(context) else { isSearching = false; return }
        isSearching = true
        let (session, generation, post) = (context.session, self.generation, context.post)
        running = Task.detached(priority: .userInitiated) {
            // Cancelled (by the next key) while waiting: that key's search replaces this one.
            do { try await Task.sleep(for: SearchPanel.debounce) } catch { return }
            let started = ContinuousClock.now
            let found: Found
            do {
                found = request.found(try await session.read(request.query))
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                found = Found(failure: error)
            }
            post(Results(generation: generation, hits: found.hits, next: found.next, message: found.message, clock: request.clock,
                         elapsedMilliseconds: Self.milliseconds(since: started)))
            // The total after the page: a common word's count must not hold its first results back.
            guard !found.hits.isEmpty, let total = try? await session.read(request.totalQuery), !Task.isCancelled else { return }
            post(Results(generation: generation, hits: [], message: nil, clock: request.clock, elapsedMilliseconds: 0, total: total))
        }
    }

    /// The next page, read on the key's path (two index reads, a few milliseconds at 1M), when
    /// the selection comes within `rows` of the last loaded hit.
    private mutating func loadMore(ifWithin rows: Int, _ context: ConsoleContext) {
        guard !isSearching, let next, selected + rows >= hits.count - 1, let request = request(context, keepingResults: true) else { return }
        do {
            let page = try context.session.read(request.pageQuery(after: next))
            hits += page.hits
            self.next = page.next
        } catch {
            message = "\(error)"
        }
    }

    /// Takes the results of the latest search; false for those of a search typed over since.
    mutating func receive(_ results: Results) -> Bool {
        guard results.generation == generation else { return false }
        if let total = results.total {
            self.total = total
            return true
        }
        // A new list: a selection made by arrowing over the previous one means nothing in it.
        selected = 0
        hits = results.hits
        next = results.next
        total = results.next == nil ? results.hits.count : nil
        message = results.message
        clock = results.clock
        elapsedMilliseconds = results.elapsedMilliseconds
        isSearching = false
        running = nil
        return true
    }

    /// Stops the search in flight (the panel is closing).
    mutating func cancel() {
        running?.cancel()
        running = nil
        isSearching = false
    }

    /// Runs the search for the current text on the calling thread.
    private mutating func finishNow(_ context: ConsoleContext) {
        running?.cancel()
        generation = UUID()
        isSearching = false
        guard let request = request(context) else { return }
        let started = ContinuousClock.now
        let found: Found
        do {
            found = request.found(try context.session.read(request.query))
        } catch {
            found = Found(failure: error)
        }
        _ = receive(Results(generation: generation, hits: found.hits, next: found.next, message: found.message, clock: request.clock,
                            elapsedMilliseconds: Self.milliseconds(since: started)))
    }

    /// One search as typed, carried to whichever thread runs it.
    private struct Request: Sendable {
        let search: SearchQuery
        let text: String
        let scope: SearchScope
        let clock: BrowseClock

        var query: WorkspaceQuery<Search.Page> { pageQuery(after: nil) }

        func pageQuery(after position: Search.Position?) -> WorkspaceQuery<Search.Page> {
            .searchPage(search, calls: scope.calls, messages: scope.messages, clock: clock, after: position, limit: SearchPanel.limit)
        }

        var totalQuery: WorkspaceQuery<Int> { .searchTotal(search, calls: scope.calls, messages: scope.messages, clock: clock) }

        func found(_ page: Search.Page) -> Found {
            let hits = page.hits
            // At most 60 columns of the query (a pasted page would push the scope off the line).
            var message = hits.isEmpty ? "Nothing matches \"\(TextWidth.truncate(String(text.prefix(80)), to: 60))\" in \(scope.label.lowercased())." : nil
            if search.truncated { message = "Only the first \(SearchQuery.maximumTerms) words were searched." }
            return Found(hits: hits, next: page.next, message: message)
        }
    }

    private struct Found: Sendable {
        var hits: [SearchHit]
        var next: Search.Position?
        var message: String?
        init(hits: [SearchHit], next: Search.Position?, message: String?) { self.hits = hits; self.next = next; self.message = message }
        init(failure: Error) { self.init(hits: [], next: nil, message: "\(failure)") }
    }

    /// The search for the current text, or nil with the panel already showing why there is none.
    private mutating func request(_ context: ConsoleContext, keepingResults: Bool = false) -> Request? {
        let query = SearchQuery.typed(input.text)
        if !keepingResults {
            next = nil
            total = nil
        }
        if input.text.trimmingCharacters(in: .whitespaces).isEmpty {
            hits = []
            message = nil
            return nil
        }
        if let problem = query.problem {
            hits = []
            message = problem.description
            return nil
        }
        return Request(search: query, text: input.text, scope: scope, clock: BrowseClock.console(context))
    }

    /// "1–40 of 19,782 results": the hits loaded and how many there are ("of 40+" before the count).
    var positionText: String {
        if hits.isEmpty { return "no results" }
        let of = total.map { DisplayText.count($0) } ?? "\(DisplayText.count(hits.count))+"
        if next == nil && total == nil || total == hits.count { return hits.count == 1 ? "1 result" : "\(DisplayText.count(hits.count)) results" }
        return "1–\(DisplayText.count(hits.count)) of \(of) results"
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    }

    func render(into grid: inout Grid, area: Rect) {
        grid.fill(area, style: .normal)
        let inner = area.inset(horizontal: 1, vertical: 0)
        var state = input
        TextInputField("Search", placeholder: "words in summaries, transcripts and messages")
            .render(into: &grid, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1), labelWidth: 7, state: &state, focused: true)
        let widen = Self.table.resolved(keys).bindings.first { $0.name == "widen" }?.keys.first?.label
        let scopeHint = tabScope == .everything || widen == nil ? "" : (usesTabScope ? "  \(widen!): search everything" : "  \(widen!): only this tab")
        ChipLine(chips: [scope.label], trailing: scopeHint).render(into: &grid, area: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1))
        let listTop = inner.y + 3
        if let message {
            grid.put(message, x: inner.x + 1, y: listTop, style: hits.isEmpty ? .dim : .warning, maxWidth: inner.width - 2)
            if hits.isEmpty { return }
        }
        let top = message == nil ? listTop : listTop + 1
        let rowsAvailable = max(0, inner.maxY - top)
        let first = max(0, selected - rowsAvailable + 1)
        for (line, index) in (first..<min(hits.count, first + rowsAvailable)).enumerated() {
            let hit = hits[index]
            let y = top + line
            let isSelected = index == selected
            let base: Style = isSelected ? .selection : .normal
            grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: base)
            let kind = hit.kind == .call ? "call" : (hit.channel?.label.lowercased() ?? "message")
            let when = clock.map { DisplayText.shortTime(hit.at, clock: $0) } ?? ""
            var x = inner.x
            x += grid.put(kind.padding(toLength: 9, withPad: " ", startingAt: 0), x: x, y: y, style: isSelected ? base : .dim, maxWidth: 9)
            x += grid.put(when + " ", x: x, y: y, style: base, maxWidth: 13)
            x += grid.put(hit.party.padding(toLength: 20, withPad: " ", startingAt: 0) + " ", x: x, y: y, style: isSelected ? base : .accent, maxWidth: 21)
            // One line per result: line breaks become spaces (same length, so the hit offsets hold).
            var flat = hit.snippet
            flat.text = flat.text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            let snippet = flat.spans(style: base).map { span in
                span.style.role == .highlight ? span : Span(span.text, isSelected ? base : span.style)
            }
            grid.put(snippet, x: x, y: y, maxWidth: inner.maxX - x)
        }
    }
}
