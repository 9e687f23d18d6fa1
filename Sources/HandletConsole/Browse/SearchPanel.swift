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
    var input = TextInputState("", maxLength: 10_000)
    /// The current tab's scope (with its filters); Tab switches between it and everything.
    let tabScope: SearchScope
    var usesTabScope = true
    private(set) var hits: [SearchHit] = []
    private(set) var message: String?
    private(set) var selected = 0
    private(set) var elapsedMilliseconds: Double = 0
    /// The clock of the last search, for the results' times (no settings read per frame).
    private(set) var clock: BrowseClock?
    /// About a screenful: each hit costs a snippet, and search runs on every keystroke.
    static let limit = 40

    init(scope: SearchScope) { tabScope = scope }

    var scope: SearchScope { usesTabScope ? tabScope : .everything }

    enum Outcome: Equatable { case stay, close, open(ConsoleDestination) }

    mutating func handle(_ key: Key, context: ConsoleContext) -> Outcome {
        switch key {
        case .escape: return .close
        case .enter:
            guard let hit = hits[safe: selected] else { return .stay }
            let highlight = input.text
            switch hit.kind {
            case .call: return .open(.call(id: hit.id, highlight: highlight))
            case .message: return .open(.thread(id: hit.threadId ?? 0, highlight: highlight, messageId: hit.id))
            }
        case .up, .ctrl("p"): selected = max(0, selected - 1)
        case .down, .ctrl("n"): selected = min(max(0, hits.count - 1), selected + 1)
        case .pageDown: selected = min(max(0, hits.count - 1), selected + 10)
        case .pageUp: selected = max(0, selected - 10)
        case .tab:
            if tabScope != .everything {
                usesTabScope.toggle()
                run(context)
            }
        default:
            if input.handle(key) { run(context) }
        }
        return .stay
    }

    /// Runs the search for the text as typed; the last word matches as a prefix while typing.
    mutating func run(_ context: ConsoleContext) {
        selected = 0
        let query = SearchQuery(input.text, prefixLastWord: !input.text.hasSuffix(" "))
        if input.text.trimmingCharacters(in: .whitespaces).isEmpty {
            hits = []
            message = nil
            return
        }
        if let problem = query.problem {
            hits = []
            message = problem.description
            return
        }
        let started = ContinuousClock.now
        do {
            let clock = BrowseClock.console(context)
            self.clock = clock
            let scope = self.scope
            let results = try context.workspace.dbPool.read {
                try Search.run(query, callFilter: scope.calls, messageFilter: scope.messages, clock: clock, limit: Self.limit, in: $0)
            }
            hits = (results.calls + results.messages).sorted { $0.at > $1.at }.prefix(Self.limit).map { $0 }
            message = hits.isEmpty ? "Nothing matches \"\(input.text.prefix(60))\" in \(scope.label.lowercased())." : nil
            if query.truncated { message = "Only the first \(SearchQuery.maximumTerms) words were searched." }
        } catch {
            hits = []
            message = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        elapsedMilliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    }

    func render(into grid: inout Grid, area: Rect) {
        grid.fill(area, style: .normal)
        let inner = area.inset(horizontal: 1, vertical: 0)
        var state = input
        TextInputField("Search", placeholder: "words in summaries, transcripts and messages")
            .render(into: &grid, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1), labelWidth: 7, state: &state, focused: true)
        let scopeHint = tabScope == .everything ? "" : (usesTabScope ? "  Tab: search everything" : "  Tab: only this tab")
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
            let when = clock.map { Formatting.shortTime(hit.at, clock: $0) } ?? ""
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
