import Foundation
import HandletDomain
import TerminalUI

/// Calls, newest first: a virtual list over every call, and a call's detail.
struct CallsTab: RegisteredScreen {
    static let id = ScreenID.calls
    static let title = "Calls"
    static let tabLabel = "Calls"
    static let shows: Set<ConsoleDestination.Kind> = [.call, .calls]

    enum Command: Sendable { case filter, clear }
    static let palette: [(title: String, command: Command)] = [("Calls: filter…", .filter), ("Calls: clear filters", .clear)]

    static func attention(_ overview: Overview) -> [AttentionItem] {
        [AttentionItem(label: "Missed calls this week", count: overview.missedCallsThisWeek,
                       destination: .calls(CallFilter(dateRange: .last7Days, outcomes: [.missed])), isWarning: overview.missedCallsThisWeek > 0),
         AttentionItem(label: "Callbacks requested this week", count: overview.callbacksRequestedThisWeek,
                       destination: .calls(CallFilter(dateRange: .last7Days, outcomes: [.callbackRequested])),
                       isWarning: overview.callbacksRequestedThisWeek > 0)]
    }

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> CallsTab { CallsTab(context: context) }

    let context: ConsoleContext
    private var clock: BrowseClock
    private var list: FilteredList<CallPage>
    private var detail: Detail?
    private let listKeys: KeyMap<ListKey>
    private let detailKeys: KeyMap<DetailKey>

    private struct Detail {
        var view: CallDetailView
        var scroll = ScrollState()
        var pendingHit: Bool
        /// Asking for a legal hold's reason.
        var holdPrompt: TextPrompt?
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        list = FilteredList(name: "Calls", list: CallPage(clock: clock), clock: clock, columns: Self.columns, keys: context.keys)
        listKeys = Self.listKeys(context.keys)
        detailKeys = Self.detailKeys(context.keys)
    }

    var capturesText: Bool { list.isEditing || detail?.holdPrompt != nil }
    var searchScope: SearchScope { SearchScope(calls: list.filter, messages: nil) }

    var helpEntries: [HelpEntry] {
        detail == nil ? listKeys.help(for: context.actor) : detailKeys.help(for: context.actor)
    }

    var status: String { detail != nil ? "call detail" : list.positionText }

    mutating func activate() { list.refresh(context) }

    private mutating func reload(filter: CallFilter) { list.reload(filter: filter, context) }

    // MARK: Drawing

    mutating func render(into grid: inout Grid, area: Rect) {
        if !list.loaded { reload(filter: list.filter) }
        if detail != nil {
            renderDetail(into: &grid, area: area)
        } else {
            let clock = self.clock
            list.render(into: &grid, area: area, context: context) { Self.tableRow($0, clock: clock) }
        }
        list.renderEditor(into: &grid, area: area)
    }

    /// Peaks read from the audio; the view merges them down to the screen's width.
    static let waveformResolution = 480

    private mutating func renderDetail(into grid: inout Grid, area: Rect) {
        guard var current = detail else { return }
        let inner = area.inset(horizontal: 2, vertical: 0)
        let (lines, firstHit) = current.view.lines(width: inner.width)
        if current.pendingHit, let firstHit {
            // Put the hit a few lines below the top, so its context shows above it.
            current.scroll.offset = max(0, firstHit - 3)
            current.pendingHit = false
        }
        renderLines(lines, into: &grid, area: inner, state: &current.scroll)
        current.holdPrompt?.render(into: &grid, area: area)
        detail = current
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if list.handleEditor(key, context) { return .handled }
        if let current = detail {
            if var prompt = current.holdPrompt { return handleHoldPrompt(&prompt, key) }
            switch detailKeys.press(key, by: context.actor) {
            case .unbound: return .ignored
            // The role is checked before the prompt opens: asking for a reason first would waste the user's typing.
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.detail(.back), _): detail = nil; return .back
            case .action(.detail(.hold), _):
                detail?.holdPrompt = TextPrompt(title: "Legal hold on \(current.view.detail.call.externalId)", label: "Reason ",
                                                keys: context.keys)
                return .handled
            case .action(.detail(.release), _): return changeHold(release: true, reason: nil)
            case .action(.scroll(let move), _): detail?.scroll.apply(move); return .handled
            }
        }
        switch listKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.list(.open), _): if let row = list.selectedRow { openDetail(id: row.id, highlight: nil) }
        case .action(.filter(let action), _): list.perform(action, context)
        case .action(.move(let move), _): list.move(move, context)
        }
        return .handled
    }

    private mutating func handleHoldPrompt(_ prompt: inout TextPrompt, _ key: Key) -> TabResponse {
        switch prompt.handle(key) {
        case .open: detail?.holdPrompt = prompt; return .handled
        case .cancelled: detail?.holdPrompt = nil; return .handled
        case .answered(let reason):
            let response = changeHold(release: false, reason: reason)
            if case .flash(let message, true) = response, detail?.holdPrompt != nil {
                prompt.problem = message
                detail?.holdPrompt = prompt
                return .handled
            }
            return response
        }
    }

    /// Places or releases the hold through the domain, then shows the call again as it now is.
    private mutating func changeHold(release: Bool, reason: String?) -> TabResponse {
        guard let current = detail else { return .handled }
        let call = current.view.detail.call
        let context = self.context
        do {
            if release {
                try context.session.perform(.releaseLegalHold(onCall: call.id!), at: context.now())
            } else {
                try context.session.perform(.placeLegalHold(onCall: call.id!, reason: reason ?? ""), at: context.now())
            }
        } catch {
            return .flash("\(error)", isError: true)
        }
        let scroll = current.scroll
        openDetail(id: call.id!, highlight: nil)
        detail?.scroll = scroll
        return .flash(release ? "Legal hold released on \(call.externalId)" : "Recording of \(call.externalId) is on legal hold", isError: false)
    }

    mutating func perform(_ command: Command) -> TabResponse {
        detail = nil
        switch command {
        case .filter: list.openEditor()
        case .clear: reload(filter: CallFilter())
        }
        return .handled
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        switch destination {
        case .screen: return true
        case .calls(let filter):
            detail = nil
            reload(filter: filter)
            return true
        case .call(let id, let highlight):
            if !list.loaded { reload(filter: list.filter) }
            return openDetail(id: id, highlight: highlight)
        case .thread, .contact: return false
        }
    }

    @discardableResult
    private mutating func openDetail(id: Call.ID, highlight: String?) -> Bool {
        do {
            let clock = self.clock
            let loaded: (CallDetail, CallHitLocation?)? = try context.workspace.dbPool.read { db in
                guard let call = try CallDetail.load(id: id, clock: clock, in: db) else { return nil }
                let hits = try highlight.map { try Search.locate(SearchQuery($0), inCall: id, in: db) }
                return (call, hits)
            }
            guard let (call, hits) = loaded else { list.problem = "Call \(id) no longer exists"; return false }
            let waveform = call.waveform(in: context.workspace, buckets: Self.waveformResolution)
            detail = Detail(view: CallDetailView(detail: call, waveform: waveform, clock: clock, hits: hits),
                            pendingHit: hits.map { !$0.isEmpty } ?? false)
            list.problem = nil
            return true
        } catch {
            list.problem = "Could not open call \(id): \(error)"
            return false
        }
    }

    mutating func receive(_ message: any Sendable) -> Bool { list.receive(message) }
}

extension BrowseClock {
    /// The workspace's zone at the console's "now"; London if the settings cannot be read.
    static func console(_ context: ConsoleContext) -> BrowseClock {
        (try? BrowseClock.workspace(context.workspace, now: context.now()))
            ?? BrowseClock(now: context.now(), timeZone: TimeZone(identifier: "Europe/London")!)
    }
}
