import Foundation
import HandletDomain
import TerminalUI

/// The processor's notices: list, reader, diff, acknowledge, object. (The business's own duties
/// are the compliance centre's, `Screens/Compliance`.) Every answer goes through the domain,
/// which checks the role and audits it.
struct NoticesTab: RegisteredScreen {
    static let id = ScreenID.notices
    static let title = "Notices"
    static let tabLabel = "Note"
    static let shows: Set<DestinationKind> = [.notice]

    /// The count, and under it each notice with what it needs, dated as the list dates them.
    static func attention(_ overview: Overview) -> [AttentionItem] {
        let details = overview.noticesNeedingAnswer.map { notice -> String in
            let why: String
            switch notice.reason {
            case .needsAcknowledgement: why = "needs acknowledging"
            case .objectionWindowOpen:
                why = notice.objectionDeadline.map { "objections until \(NoticeDateText.day($0, in: overview.clock))" } ?? "objection window open"
            }
            return "\(notice.title) (version \(notice.version)) — \(why)"
        }
        return [AttentionItem(label: "Notices needing an answer", count: overview.noticesNeedingAnswer.count,
                              destination: .screen(.notices), isWarning: !overview.noticesNeedingAnswer.isEmpty, details: details)]
    }

    /// At start-up: each notice needing an answer, with its deadline.
    static func startupPanel(_ context: ConsoleContext) -> StartupPanel? {
        guard let notices = try? context.session.read(.notices(now: context.now())) else { return nil }
        context.startNotices.keep(notices)
        let pending = notices.filter { $0.answer.needsAnswer }
        guard !pending.isEmpty else { return nil }
        let clock = BrowseClock.console(context)
        let lines = pending.map { notice -> String in
            let what: String
            switch notice.answer {
            case .acknowledge(let effective):
                let day = StartupPanel.whole(NoticeDateText.day(effective, in: clock))
                what = notice.state == .overdue ? "acknowledge — overdue since \(day)" : "acknowledge by \(day)"
            case .objectOrAccept(let deadline): what = "object by \(StartupPanel.whole(NoticeDateText.day(deadline, in: clock))) or it is accepted"
            case .none: what = ""
            }
            return "\(notice.title) (version \(notice.version)): \(what)"
        }
        return StartupPanel(title: "\(pending.count) notice\(pending.count == 1 ? "" : "s") from the processor need\(pending.count == 1 ? "s" : "") an answer",
                            lines: lines, openLabel: "open the Notices tab", destination: .screen(.notices))
    }

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> NoticesTab { NoticesTab(context: context) }

    let context: ConsoleContext
    private var notices: [NoticeSummary] = []
    private var listState = TableState()
    private var mode = Mode.list
    /// The reader was opened through `open(_:)` by another screen, so its Esc goes back there
    /// rather than to this tab's list.
    private var readerOpenedFromElsewhere = false
    private var detail: NoticeDetail?
    private var readerLines: [StyledLine] = []
    private var readerWidth = 0
    private var scroll = ScrollState()
    private var diff: NoticeDiff?
    /// The diff wrapped to the width (a long line continues indented, in its colour).
    private var diffLines: [StyledLine] = []
    private var diffWidth = 0
    private var modal: Modal?
    private var loadError: String?
    private var size = Size(width: 80, height: 22)
    /// The workspace's zone for the list's deadlines, read with the list (`render` reads nothing).
    private var clock: BrowseClock
    private let listKeys: KeyMap<ListKey>
    private let readerKeys: KeyMap<ReaderKey>
    private let diffKeys: KeyMap<DiffKey>
    /// The tables themselves, for the hints that name their keys.
    private let listTableKeys: KeyMap<ListAction>
    private let readerTableKeys: KeyMap<ReaderAction>

    enum Mode: Equatable { case list, reader, diff(returnTo: DiffOrigin) }
    enum DiffOrigin: Equatable { case list, reader }

    private enum Modal {
        case acknowledge(ConfirmDialog, ChangePlan<NoticeAnswerRecord>)
        case object(TextPrompt, Int64)
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        listKeys = Self.listKeys(context.keys)
        readerKeys = Self.readerKeys(context.keys)
        diffKeys = Self.diffKeys(context.keys)
        listTableKeys = Self.listTable.resolved(context.keys)
        readerTableKeys = Self.readerTable.resolved(context.keys)
    }

    var capturesText: Bool { modal != nil }

    var helpEntries: [HelpEntry] {
        switch mode {
        case .list: listKeys.help(for: context.actor)
        case .reader: readerKeys.help(for: context.actor)
        case .diff: diffKeys.help(for: context.actor)
        }
    }

    var status: String {
        switch mode {
        case .list:
            let pending = notices.filter { $0.answer.needsAnswer }.count
            return "\(notices.count) notice\(notices.count == 1 ? "" : "s") · \(pending) need\(pending == 1 ? "s" : "") an answer"
        case .reader, .diff:
            guard let detail else { return "" }
            return "version \(detail.summary.version)" + (scroll.hasMoreBelow ? " · more below" : "")
        }
    }

    private var now: Date { context.now() }
    private var selected: NoticeSummary? { notices[safe: listState.selected] }

    // MARK: Loading

    mutating func activate() { load() }

    private mutating func load() {
        clock = BrowseClock.console(context)
        do {
            notices = try context.session.read(.notices(now: now))
            if let id = detail?.summary.id {
                detail = try context.session.read(.notice(id, now: now))
                readerWidth = 0
            }
            loadError = nil
        } catch {
            loadError = "Could not read the notices: \(error)"
        }
        layout(size)
    }

    mutating func layout(_ size: Size) {
        self.size = size
        let body = bodyHeight
        listState.fit(height: max(1, size.height - 3), rowCount: .exact(notices.count))
        switch mode {
        case .reader:
            let width = max(1, size.width - 4)
            if readerWidth != width, let detail {
                readerLines = Self.readerLines(detail, width: width, now: now, clock: BrowseClock.console(context),
                                               compareHint: readerTableKeys.keyLabel(.diff).map { "\($0) compares with the previous one" })
                readerWidth = width
            }
            scroll.fit(contentHeight: readerLines.count, pageHeight: body)
        case .diff:
            let width = max(1, size.width - 4)
            if diffWidth != width, let diff {
                diffLines = Self.diffLines(diff, width: width)
                diffWidth = width
            }
            scroll.fit(contentHeight: diffLines.count, pageHeight: body)
        default:
            break
        }
    }

    private var bodyHeight: Int { max(1, size.height - 2) }

    /// The reader's lines for a width: the header facts, the answers, then the Markdown.
    /// `compareHint` names the key that compares versions ("d compares with the previous one").
    static func readerLines(_ detail: NoticeDetail, width: Int, now: Date, clock: BrowseClock, compareHint: String? = nil) -> [StyledLine] {
        let summary = detail.summary
        var lines: [StyledLine] = []
        func wrap(_ spans: StyledLine) { lines += TextWrap.wrap(spans, width: width) }
        if summary.tampered { wrap([Span(NoticeSummary.tamperingWarning, .error)]) }
        wrap(TextWrap.sanitizedSpans(summary.title, style: Style(.title, .bold)))
        wrap([Span("\(summary.kind.label) · \(summary.key) version \(summary.version) · published \(NoticeDateText.day(summary.publishedAt, in: clock)) · effective \(NoticeDateText.day(summary.effectiveAt, in: clock))", .dim)])
        var state: StyledLine = [Span("State ", .dim), Span(summary.state.label, Self.style(for: summary.state))]
        state += [Span(" · answer needed ", .dim), Span(summary.answer.label(formatDate: { NoticeDateText.day($0, in: clock) }), summary.answer.needsAnswer ? .warning : .normal)]
        if summary.superseded { state += [Span(" · superseded by version \(summary.latestVersion)", .dim)] }
        wrap(state)
        if let deadline = summary.objectionDeadline {
            wrap([Span("Objection window ", .dim), Span(now < deadline ? "open until \(NoticeDateText.day(deadline, in: clock))" : "closed on \(NoticeDateText.day(deadline, in: clock))")])
        }
        wrap([Span("SHA-256 ", .dim), Span(summary.sha256, .dim)])
        if let breach = detail.breach {
            lines.append([])
            wrap([Span("Breach notification (Art. 33(3))", .header)])
            let delay = Int(breach.notifiedAt.timeIntervalSince(breach.becameAwareAt) / 3600)
            wrap([Span("Aware ", .dim), Span(DisplayText.zonedTimestamp(breach.becameAwareAt, clock: clock)), Span(" · notified ", .dim),
                  Span(DisplayText.zonedTimestamp(breach.notifiedAt, clock: clock)), Span(" · \(delay) h", delay > 72 ? .error : .success)])
            for (label, value) in [("Nature", breach.nature), ("People", "\(breach.peopleCategories) (\(breach.peopleCount))"),
                                   ("Records", "\(breach.recordCategories) (\(breach.recordCount))"), ("Contact", breach.contact),
                                   ("Likely consequences", breach.consequences), ("Measures", breach.measures)] {
                wrap([Span(label + ": ", .dim)] + TextWrap.sanitizedSpans(value, style: .normal))
            }
        }
        for response in detail.responses {
            wrap([Span(response.response == .objected ? "Objected" : "Acknowledged", response.response == .objected ? .warning : .success),
                  Span(" by \(response.userEmail) on \(DisplayText.zonedTimestamp(response.respondedAt, clock: clock)), version \(response.version), SHA-256 \(response.sha256.prefix(12))…", .dim)]
                 + (response.reason.map { [Span(": ")] + TextWrap.sanitizedSpans($0, style: .normal) } ?? []))
        }
        if detail.versions.count > 1 {
            wrap([Span("Versions ", .dim), Span(detail.versions.map(\.version).joined(separator: ", "))]
                 + (detail.previousVersionId == nil || compareHint == nil ? [] : [Span(" · \(compareHint!)", .dim)]))
        }
        lines.append([Span(String(repeating: "─", count: width), .border)])
        lines += MarkdownView(detail.body).lines(width: width)
        return lines
    }

    static func style(for state: NoticeState) -> Style {
        switch state {
        case .overdue: .error
        case .new: .warning
        case .acknowledged, .deemedAccepted: .success
        case .objected: .accent
        case .read: .normal
        }
    }

    // MARK: Drawing

    func render(into grid: inout Grid, area: Rect) {
        let inner = area.inset(horizontal: 2, vertical: 1)
        if let loadError { grid.put(loadError, x: inner.x, y: inner.y, style: .error, maxWidth: inner.width); return }
        switch mode {
        case .list: renderList(into: &grid, area: area)
        case .reader: renderLines(readerLines, into: &grid, area: Rect(x: area.x + 2, y: area.y + 1, width: max(1, area.width - 4), height: bodyHeight), state: scroll)
        case .diff: renderDiff(into: &grid, area: area)
        }
        switch modal {
        case .acknowledge(let dialog, _): dialog.render(into: &grid, area: area)
        case .object(let prompt, _): prompt.render(into: &grid, area: area)
        case nil: break
        }
    }

    /// At 80 columns the title keeps 22 and the kind gives way; wider, everything shows whole.
    static let listColumns = [TableColumn("State", width: .fixed(15)), TableColumn("Answer needed", width: .flexible(minimum: 21, weight: 1)),
                              TableColumn("Kind", width: .flexible(minimum: 8, weight: 1)), TableColumn("Ver", width: .fixed(3)),
                              TableColumn("Title", width: .flexible(minimum: 22, weight: 3))]

    private func renderList(into grid: inout Grid, area: Rect) {
        let inner = Rect(x: area.x + 1, y: area.y, width: max(1, area.width - 2), height: area.height)
        guard !notices.isEmpty else {
            grid.put("No notices yet. Import some with `handlet notices import DIR` (or --shipped).", x: inner.x + 1, y: inner.y + 1,
                     style: .dim, maxWidth: inner.width - 1)
            return
        }
        let pending = notices.filter { $0.answer.needsAnswer }.count
        grid.put([Span("From the processor", .header),
                  Span(pending == 0 ? "  nothing needs an answer" : "  \(pending) need\(pending == 1 ? "s" : "") an answer · " + listTableKeys.hint(.compliance, "compliance centre"),
                       pending == 0 ? .dim : .warning)], x: inner.x, y: inner.y, maxWidth: inner.width)
        let rows = notices.map { notice in
            TableRow([notice.state.label, notice.answer.label(formatDate: { NoticeDateText.day($0, in: clock) }), notice.kind.label, notice.version, notice.title],
                     style: notice.state == .overdue ? .error : notice.answer.needsAnswer ? .warning : nil)
        }
        Table(columns: Self.listColumns).render(into: &grid, area: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1),
                                               state: listState, source: ArrayTableSource(rows))
    }

    private func renderDiff(into grid: inout Grid, area: Rect) {
        renderLines(diffLines, into: &grid, area: Rect(x: area.x + 2, y: area.y + 1, width: max(1, area.width - 4), height: bodyHeight),
                    state: scroll)
    }

    static func diffLines(_ diff: NoticeDiff, width: Int) -> [StyledLine] {
        diff.lines.flatMap { line -> [StyledLine] in
            let style: Style = switch line.kind {
            case .added: .success
            case .removed: .error
            case .hunk: .accent
            case .header: .header
            case .context: .normal
            }
            let wrapped = TextWrap.wrap(TextWrap.sanitizedSpans(line.text, style: style), width: max(1, width - 3))
            let marker = line.unified.hasPrefix(line.text) ? "" : String(line.unified.prefix(1))
            return wrapped.enumerated().map { index, part in
                [Span(index == 0 ? marker : (marker.isEmpty ? "" : " ") + "  ", style)] + part
            }
        }
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        switch mode {
        case .list: return handleList(key)
        case .reader: return handleReader(key)
        case .diff(let origin): return handleDiff(key, origin: origin)
        }
    }

    private mutating func handleList(_ key: Key) -> TabResponse {
        switch listKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _): listState.apply(move, rowCount: .exact(notices.count))
        case .action(.list(.open), _):
            guard let selected else { return .handled }
            readerOpenedFromElsewhere = false
            return openReader(selected.id)
        case .action(.list(.diff), _): guard let selected else { return .handled }; return openDiff(selected.id, from: .list)
        case .action(.list(.acknowledge), _): guard let selected else { return .handled }; return askAcknowledge(selected)
        case .action(.list(.object), _): guard let selected else { return .handled }; return askObjection(selected)
        case .action(.list(.compliance), _): return .navigate(.complianceCentre())
        case .action(.list(.refresh), _): load()
        }
        return .handled
    }

    private mutating func handleReader(_ key: Key) -> TabResponse {
        switch readerKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.scroll(let move), _): scroll.apply(move)
        case .action(.reader(.back), _):
            mode = .list
            detail = nil
            // Opened for another screen (a promise of the compliance centre): Esc returns there.
            if readerOpenedFromElsewhere { readerOpenedFromElsewhere = false; return .back }
        case .action(.reader(.diff), _): guard let detail else { return .handled }; return openDiff(detail.summary.id, from: .reader)
        case .action(.reader(.acknowledge), _): guard let detail else { return .handled }; return askAcknowledge(detail.summary)
        case .action(.reader(.object), _): guard let detail else { return .handled }; return askObjection(detail.summary)
        }
        return .handled
    }

    private mutating func handleDiff(_ key: Key, origin: DiffOrigin) -> TabResponse {
        switch diffKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.scroll(let move), _): scroll.apply(move)
        case .action(.diff(.back), _):
            diff = nil
            scroll = ScrollState()
            if origin == .reader { mode = .reader; readerWidth = 0 } else { mode = .list; detail = nil }
            layout(size)
        }
        return .handled
    }

    // MARK: Opening

    private mutating func openReader(_ id: Int64) -> TabResponse {
        do {
            // Opening marks it read for the workspace (audited the first time). While another
            // process writes, reading still works; it is marked read on a later opening.
            do { _ = try context.session.performIfFree(.markNoticeRead(id), at: now) } catch WorkspaceError.locked {}
            detail = try context.session.read(.notice(id, now: now))
            notices = try context.session.read(.notices(now: now))
        } catch { return .flash("\(error)", isError: true) }
        mode = .reader
        scroll = ScrollState()
        readerWidth = 0
        layout(size)
        return .handled
    }

    private mutating func openDiff(_ id: Int64, from origin: DiffOrigin) -> TabResponse {
        do {
            guard let found = try context.session.read(.noticeDiff(id, now: now)) else {
                return .flash("First version: nothing to compare with", isError: false)
            }
            if detail?.summary.id != id { detail = try context.session.read(.notice(id, now: now)) }
            diff = found
            diffWidth = 0
        } catch { return .flash("\(error)", isError: true) }
        mode = .diff(returnTo: origin)
        scroll = ScrollState()
        layout(size)
        return .handled
    }

    // MARK: Answers

    private mutating func askAcknowledge(_ notice: NoticeSummary) -> TabResponse {
        // The domain's plan says whether this version may be acknowledged now (the role, the
        // latest version, not answered yet) and asks its question before anything is recorded.
        switch context.plan(.acknowledgeNotice(notice.id)) {
        case .refused(let reason): return .flash(reason, isError: true)
        case .failed(let problem): return .flash(problem, isError: true)
        case .ready(let plan):
            guard let question = plan.confirmation else { return acknowledge(plan, confirmed: false) }
            modal = .acknowledge(ConfirmDialog(title: question.title, message: question.question, confirmLabel: question.confirmLabel,
                                               isDestructive: question.isDestructive), plan)
            return .handled
        }
    }

    private mutating func acknowledge(_ plan: ChangePlan<NoticeAnswerRecord>, confirmed: Bool) -> TabResponse {
        do {
            return change(try plan.approved(confirmed: confirmed)) { "Acknowledged \($0.key) version \($0.entry.version) as \($0.entry.userEmail)" }
        } catch {
            return .flash("\(error)", isError: true)
        }
    }

    private mutating func askObjection(_ notice: NoticeSummary) -> TabResponse {
        // Objectable at all (a subprocessor change, inside its window, not answered yet): the plan's
        // answer, before a reason is asked for. The reason itself is checked when given.
        if let refusal = context.refusal(of: .objectToNotice(notice.id, reason: "")) { return .flash(refusal, isError: true) }
        var prompt = TextPrompt(title: "Object to \(notice.title)", label: "Reason ", keys: context.keys)
        prompt.input = TextInputState("", maxLength: 1_000)
        modal = .object(prompt, notice.id)
        return .handled
    }

    private mutating func handleModal(_ current: Modal, _ key: Key) -> TabResponse {
        switch current {
        case .acknowledge(var dialog, let plan):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .acknowledge(dialog, plan); return .handled
            case .cancelled?: modal = nil; return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .confirmed?:
                modal = nil
                return acknowledge(plan, confirmed: true)
            }
        case .object(var prompt, let id):
            switch prompt.handle(key) {
            case .open: modal = .object(prompt, id); return .handled
            case .cancelled: modal = nil; return .flash("No objection recorded", isError: false)
            case .answered(let reason):
                // Asked again at once rather than after a wait for the workspace.
                guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    prompt.problem = NoticeError.reasonRequired.description
                    modal = .object(prompt, id)
                    return .handled
                }
                modal = nil
                return change(.objectToNotice(id, reason: reason)) { "Objected to \($0.key) version \($0.entry.version)" }
            }
        }
    }

    /// Runs a change, then re-reads; a refusal comes back as a red flash and changes nothing.
    /// When another process is writing it waits in the background (`ConsoleChanges`, issue 11):
    /// the status bar says so, and the tab re-reads when it lands.
    private mutating func change<T: Sendable>(_ command: WorkspaceCommand<T>, _ describe: @escaping @Sendable (T) -> String) -> TabResponse {
        let outcome = context.changes.perform(command, about: .notices, context: context, describe: describe)
        load()
        switch outcome {
        case .done(_, let text): return .flash(text, isError: false)
        case .failed(let text): return .flash(text, isError: true)
        case .waiting: return .handled
        }
    }

    /// Opens a notice for another screen (a promise of the compliance centre).
    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if destination.kind == nil { return true }
        guard let id = destination.value(.notice, as: Int64.self) else { return false }
        if case .flash = openReader(id) { return false }
        readerOpenedFromElsewhere = true
        return true
    }

    /// A change that waited for a busy workspace has landed or given up: show the notices as they now are.
    mutating func receive(_ message: any Sendable) -> Bool {
        if let change = message as? ChangeStatus, change.subject == .notices, case .finished = change.phase { load(); return true }
        return false
    }
}
