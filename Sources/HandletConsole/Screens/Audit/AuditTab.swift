import Foundation
import HandletDomain
import TerminalUI

/// The audit log, newest first, filtered by actor, action and date; an event's details; and a
/// verify that recomputes the hash chain (optionally against a checkpoint kept elsewhere).
/// Agents may not read the log: every read goes through the session, which refuses them, and the
/// tab shows the domain's refusal instead of data.
struct AuditTab: RegisteredScreen {
    static let id = ScreenID.audit
    static let title = "Audit"
    static let tabLabel = "Audit"

    enum Command: Sendable { case verify }
    static let palette: [(title: String, command: Command)] = [("Audit: verify the hash chain", .verify)]
    static let paletteArguments: [PaletteArgument<Command>] = [
        PaletteArgument("actor", "TEXT", "audit events by users whose name or email holds TEXT", .answer(action: "actor")),
    ]

    mutating func perform(_ command: Command) -> TabResponse {
        switch command {
        case .verify:
            event = nil
            return perform(ListAction.verify)
        }
    }

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> AuditTab { AuditTab(context: context) }

    let context: ConsoleContext
    private var clock: BrowseClock
    private var pane: KeysetListPane<AuditLogPage>
    /// The domain's refusal (an agent), shown instead of the log.
    private var denied: String?
    private var event: EventView?
    private var verification: AuditVerification?
    /// When the shown verify was computed (the console's clock).
    private var verifiedAt: Date?
    /// The log's newest event when the tab last read it: newer than the verified head makes the
    /// verify's result stale, said in its banner.
    private var headSeq: Int64?
    /// A verify is running in the background (about a second per million events); its number, so
    /// only the latest one's result is shown.
    private var verifying = false
    private var verifyGeneration = 0
    private var problem: String?
    private var modal: Modal?
    /// The tab's size from the last layout; nil before the first.
    private var size: Size?
    private let listKeys: KeyMap<ListKey>
    private let eventKeys: KeyMap<EventKey>

    private enum Modal {
        case actor(TextPrompt)
        case dates(TextPrompt)
        case checkpoint(TextPrompt)
        case action(OptionDialog)
    }

    /// One event's details, wrapped for the width of the last layout.
    private struct EventView {
        var record: AuditEvent
        var scroll = ScrollState()
        var lines: [StyledLine] = []
        var width: Int?
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        pane = KeysetListPane(name: "Audit log", list: AuditLogPage(), session: context.session, columns: Self.columns)
        listKeys = Self.listKeys(context.keys)
        eventKeys = Self.eventKeys(context.keys)
    }

    var capturesText: Bool { modal != nil }
    var helpEntries: [HelpEntry] {
        guard let event else { return listKeys.help(for: context.actor) }
        return eventKeys.help(for: context.actor, disabledReason: { Self.refusal(of: $0, in: event.record) })
    }

    /// `Enter` on an event whose target names no single record ("workspace", "autosend") is dimmed.
    private static func refusal(of key: EventKey, in event: AuditEvent) -> String? {
        guard case .event(.openTarget) = key, event.targetRecord == nil else { return nil }
        return "this event's target (\(Sanitizer.echo(event.target))) names no record to open"
    }
    var status: String {
        if denied != nil { return "refused" }
        if let event { return "event \(event.record.seq ?? 0)" }
        return pane.positionText
    }

    private var filter: AuditLogPage { pane.list }

    mutating func activate() { load() }

    /// Asks the session first (the log's head), so an agent sees the domain's refusal, not a list.
    private mutating func load() {
        clock = BrowseClock.console(context)
        do {
            headSeq = try context.session.read(.auditCheckpoint)?.seq
            denied = nil
            problem = nil
        } catch let refusal as PermissionDenied {
            denied = refusal.description
            return
        } catch {
            problem = "Could not read the audit log: \(error)"
        }
        relayout()
        pane.refresh(filter, context: context)
    }

    private mutating func reload(_ list: AuditLogPage) {
        event = nil
        relayout(list)
        pane.reload(list, context: context)
    }

    // MARK: Layout and drawing

    /// The lines above the list: the last verify's result, a problem, the filters as chips.
    private func banners(for list: AuditLogPage) -> Int {
        (verification == nil && !verifying ? 0 : 1) + (problem == nil ? 0 : 1) + (Self.chips(list, clock: clock).isEmpty ? 0 : 1)
    }

    private static func eventArea(in area: Rect) -> Rect { area.inset(horizontal: 2, vertical: 0) }

    mutating func layout(_ size: Size) {
        self.size = size
        relayout()
    }

    /// Lays the tab out again at its last size, after its state changed (a banner, a filter, an event).
    private mutating func relayout(_ list: AuditLogPage? = nil) {
        guard let size, denied == nil else { return }
        let area = Rect(x: 0, y: 0, width: size.width, height: size.height)
        if var current = event {
            let width = Self.eventArea(in: area).width
            if current.width != width {
                current.lines = Self.detailLines(current.record, clock: clock, width: width)
                current.width = width
            }
            current.scroll.fit(contentHeight: current.lines.count, pageHeight: size.height)
            event = current
            return
        }
        pane.layout(height: max(1, size.height - banners(for: list ?? filter)))
    }

    func render(into grid: inout Grid, area: Rect) {
        if let denied {
            let spans = [Span("The audit log is not available to you. ", Style(.warning, .bold))] + TextWrap.sanitizedSpans(denied, style: .normal)
            for (index, line) in TextWrap.wrap(spans, width: max(1, area.width - 4)).enumerated() where index + 1 < area.height {
                grid.put(line, x: area.x + 2, y: area.y + 1 + index, maxWidth: area.width - 4)
            }
            return
        }
        let clock = self.clock
        if let event {
            let inner = Self.eventArea(in: area)
            let lines = event.width == inner.width ? event.lines : Self.detailLines(event.record, clock: clock, width: inner.width)
            renderLines(lines, into: &grid, area: inner, state: event.scroll)
            return
        }
        var body = area
        func banner(_ line: StyledLine) {
            let (top, rest) = body.splitTop(1)
            grid.put(line, x: top.x + 1, y: top.y, maxWidth: top.width - 2)
            body = rest
        }
        if verifying {
            banner([Span("Verifying the hash chain…", .dim)])
        } else if let verification {
            banner(Self.verificationLine(verification, at: verifiedAt, clock: clock, newer: Self.newerEvents(than: verification, head: headSeq)))
        }
        if let problem { banner([Span(problem, .error)]) }
        let chips = Self.chips(filter, clock: clock)
        if !chips.isEmpty {
            let (top, rest) = body.splitTop(1)
            ChipLine(chips: chips, trailing: Self.listTable.resolved(context.keys).hint(.clear, "clear")).render(into: &grid, area: top)
            body = rest
        }
        pane.render(into: &grid, area: body,
                    emptyMessage: filter.isFiltered ? "No audit events match these filters." + clearHint : "No audit events yet.",
                    context: clock) {
            Self.tableRow($0, clock: clock)
        }
        switch modal {
        case .actor(let prompt), .dates(let prompt), .checkpoint(let prompt): prompt.render(into: &grid, area: area)
        case .action(let dialog): dialog.render(into: &grid, area: area)
        case nil: break
        }
    }

    static func chips(_ list: AuditLogPage, clock: BrowseClock) -> [String] {
        var chips: [String] = []
        if let actor = list.actor { chips.append("actor: \(actor)") }
        if let action = list.action { chips.append("action: \(action.rawValue)") }
        let day = { (date: Date) in AuditDays.label(date, clock: clock) }
        switch (list.since, list.until) {
        case let (since?, until?): chips.append("dates: \(day(since))..\(day(until.addingTimeInterval(-1)))")
        case let (since?, nil): chips.append("from \(day(since))")
        case let (nil, until?): chips.append("until \(day(until.addingTimeInterval(-1)))")
        case (nil, nil): break
        }
        return chips
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        if let current = event {
            switch eventKeys.press(key, by: context.actor, disabledReason: { Self.refusal(of: $0, in: current.record) }) {
            case .unbound: return .ignored
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.event(.back), _): event = nil; relayout(); return .back
            case .action(.event(.openTarget), _):
                guard let destination = current.record.targetRecord.map(Self.destination) else { return .handled }
                return .navigate(destination)
            case .action(.scroll(let move), _): event?.scroll.apply(move); return .handled
            }
        }
        switch listKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _): pane.move(move)
        case .action(.list(let action), _): return perform(action)
        }
        return .handled
    }

    private mutating func perform(_ action: ListAction) -> TabResponse {
        if let denied { return .flash(denied, isError: true) }
        switch action {
        case .open:
            if let row = pane.selectedRow {
                event = EventView(record: row)
                relayout()
            }
        case .actor:
            var prompt = TextPrompt(title: "Filter by actor", label: "Email or system ", keys: context.keys)
            prompt.input.setText(filter.actor ?? "")
            modal = .actor(prompt)
        case .action:
            let options = ["Any action"] + AuditAction.allCases.map(\.rawValue)
            let current = filter.action.flatMap { AuditAction.allCases.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            modal = .action(OptionDialog(title: "Filter by action", message: "Show only events with this action.", options: options,
                                         selected: current, keys: context.keys))
        case .dates:
            modal = .dates(TextPrompt(title: "Filter by date", label: "DAY or FROM..TO (today, 7d, YYYY-MM-DD) ", keys: context.keys))
        case .clear: if filter.isFiltered { reload(AuditLogPage()) }
        case .verify: return verify(checkpoint: nil)
        case .verifyCheckpoint:
            modal = .checkpoint(TextPrompt(title: "Verify against a checkpoint", label: "SEQ:HASH ", keys: context.keys))
        }
        return .handled
    }

    private mutating func handleModal(_ current: Modal, _ key: Key) -> TabResponse {
        switch current {
        case .action(var dialog):
            switch dialog.handle(key) {
            case .open: modal = .action(dialog)
            case .cancelled: modal = nil
            case .chose(let index):
                modal = nil
                var list = filter
                list.action = index == 0 ? nil : AuditAction.allCases[index - 1]
                reload(list)
            }
            return .handled
        case .actor(var prompt), .dates(var prompt), .checkpoint(var prompt):
            let outcome = prompt.handle(key)
            let reopen = { (prompt: TextPrompt) -> Modal in
                switch current {
                case .actor: .actor(prompt)
                case .dates: .dates(prompt)
                default: .checkpoint(prompt)
                }
            }
            switch outcome {
            case .open: modal = reopen(prompt); return .handled
            case .cancelled: modal = nil; return .handled
            case .answered(let text):
                let text = text.trimmingCharacters(in: .whitespaces)
                var list = filter
                switch current {
                case .actor:
                    list.actor = text.isEmpty ? nil : text
                case .dates:
                    // The domain's one date grammar, the CLI's `audit list --since/--until` too.
                    let range: (since: Date?, until: Date?)
                    do { range = try DateInput.range(parsing: text, clock: clock, allowingInstants: true) } catch {
                        prompt.problem = String(describing: error)
                        modal = reopen(prompt)
                        return .handled
                    }
                    list.since = range.since
                    list.until = range.until
                default:
                    guard let checkpoint = AuditCheckpoint(text) else {
                        prompt.problem = "Expected SEQ:HASH, as handlet audit checkpoint prints it."
                        modal = reopen(prompt)
                        return .handled
                    }
                    modal = nil
                    return verify(checkpoint: checkpoint)
                }
                modal = nil
                reload(list)
                return .handled
            }
        }
    }

    /// Recomputes the chain through the session in the background (a million events take about a
    /// second, too long to hold the keyboard) and shows the result above the list when it comes.
    private mutating func verify(checkpoint: AuditCheckpoint?) -> TabResponse {
        // Asked first on this thread, so a refusal is said at once.
        do { try context.session.require(.readAuditLog) } catch { return .flash("\(error)", isError: true) }
        verifyGeneration += 1
        verifying = true
        relayout()
        let session = context.session, post = context.post, generation = verifyGeneration, at = context.now()
        Task.detached(priority: .userInitiated) {
            do {
                let result = try await session.read(.auditVerification(checkpoint: checkpoint))
                post(AuditVerified(generation: generation, result: result, error: nil, at: at))
            } catch {
                post(AuditVerified(generation: generation, result: nil, error: "Could not verify the audit log: \(error)", at: at))
            }
        }
        return .handled
    }

    /// Where each kind of target opens: the screen that shows that kind of record.
    static func destination(_ target: AuditTarget) -> ConsoleDestination {
        switch target {
        case .call(let id): .call(id: id, highlight: nil)
        case .user(let id): .user(id: id)
        case .notice(let id): .notice(id: id)
        case .contact(let id): .contact(id: id)
        }
    }

    /// How many events the log has beyond the head the verify checked (nil: not stale, or unknown).
    static func newerEvents(than verification: AuditVerification, head: Int64?) -> Int? {
        let checked = verification.head?.seq ?? 0
        guard let head, verification.isIntact, head > checked else { return nil }
        return Int(head - checked)
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        guard let verified = message as? AuditVerified else { return pane.receive(message) }
        guard verified.generation == verifyGeneration, verifying else { return false }
        verifying = false
        verification = verified.result
        verifiedAt = verified.at
        problem = verified.error
        relayout()
        return true
    }
}

/// A background verify's result, for the tab that started it.
struct AuditVerified: Sendable {
    let generation: Int
    let result: AuditVerification?
    let error: String?
    /// When the verify started: what the chain it read was as of.
    var at = Date()
}

/// How the filter chips show the days of a date filter, in the workspace's zone.
enum AuditDays {
    static func label(_ date: Date, clock: BrowseClock) -> String { formatter(clock).string(from: date) }

    private static func formatter(_ clock: BrowseClock) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = clock.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        return formatter
    }
}
