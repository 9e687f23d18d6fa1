import Foundation
import HandletDomain
import TerminalUI

/// The compliance centre: the business's duties under the DPA, each with the status the domain
/// computes from the workspace and one Enter away from its fix, and the processor's promises
/// checked from its notices. Duties it fixes in place (lawful basis, caller notice, the
/// special-category matches) it declares; for the others it asks the registry which screen
/// declared them, and with none the domain's words say which command fixes it.
struct ComplianceTab: RegisteredScreen {
    static let id = ScreenID.compliance
    static let title = "Compliance"
    static let tabLabel = "Comp"
    /// Reached from Notices (`c`), where DESIGN §8 puts it, and from the palette: the ten number
    /// keys stay for the ten tabs.
    static let isTab = false
    static let shows: Set<DestinationKind> = [.complianceCentre]

    static let fixes = [
        DutyFix(.lawfulBasis, does: "record a basis", at: .complianceCentre()),
        DutyFix(.callerNotice, does: "set the caller notice", at: .complianceCentre()),
        DutyFix(.specialCategory, does: "open the matches", at: .complianceCentre()),
    ]

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> ComplianceTab { ComplianceTab(context: context, screens: screens) }

    let context: ConsoleContext
    /// Asked where each duty is fixed.
    private let screens: ScreenRegistry
    private var report: ComplianceReport?
    private var selected = 0
    private var showingHits = false
    private var hits: [SpecialCategory.Hit] = []
    /// Read with the matches, so drawing them reads nothing.
    private var hitsClock: BrowseClock?
    private var hitsState = TableState()
    private var modal: Modal?
    private var loadError: String?
    private var size = Size(width: 80, height: 22)
    private let centreKeys: KeyMap<CentreKey>
    private let hitsKeys: KeyMap<HitsKey>
    /// The centre's own table, for the hints that name its keys.
    private let centreTableKeys: KeyMap<CentreAction>

    private enum Modal {
        case purpose(OptionDialog)
        case basis(OptionDialog, ProcessingPurpose)
        case callerNotice(TextPrompt)
        case deleteText(ConfirmDialog, ChangePlan<TextDeletion.Deleted>)
    }

    init(context: ConsoleContext, screens: ScreenRegistry) {
        self.context = context
        self.screens = screens
        centreKeys = Self.centreKeys(context.keys)
        hitsKeys = Self.hitsKeys(context.keys)
        centreTableKeys = Self.centreTable.resolved(context.keys)
    }

    var capturesText: Bool { modal != nil }

    var helpEntries: [HelpEntry] { showingHits ? hitsKeys.help(for: context.actor) : centreKeys.help(for: context.actor) }

    var status: String {
        if showingHits { return "Special-category matches · \(hits.count)" }
        guard let report else { return "" }
        let failing = report.lines.filter { $0.status.isFailing }.count + report.promises.filter { !$0.kept }.count
        return failing == 0 ? "nothing failing" : "\(failing) failing"
    }

    private var now: Date { context.now() }

    // MARK: Loading

    mutating func activate() { load() }

    private mutating func load() {
        do {
            report = try context.session.read(.compliance(now: now))
            loadError = nil
        } catch {
            loadError = "Could not compute compliance: \(error)"
        }
        layout(size)
    }

    mutating func layout(_ size: Size) {
        self.size = size
        hitsState.fit(height: max(1, size.height - 4), rowCount: .exact(hits.count))
    }

    // MARK: Drawing

    /// One row of the centre: a duty, or a promise.
    private enum Row {
        case duty(ComplianceReport.Line)
        case promise(PromiseCheck)
    }

    private var rows: [Row] {
        guard let report else { return [] }
        return report.lines.map(Row.duty) + report.promises.map(Row.promise)
    }

    /// Where the duty is fixed, with the keys that go there: "Enter or b: record a basis",
    /// "Enter: review who has access (Users)", or the domain's command when no screen fixes it.
    private func fixHint(_ duty: ComplianceReport.Duty) -> String {
        guard let place = screens.fix(for: duty) else { return duty.fix }
        let inPlace = CentreAction.allCases.first { Self.duty(fixedBy: $0) == duty }
        let keys = [centreTableKeys.keyLabel(.open), inPlace.flatMap(centreTableKeys.keyLabel)].compactMap { $0 }
        let there = place.screen == Self.id ? place.fix.does : "\(place.fix.does) (\(place.screenTitle))"
        return keys.isEmpty ? there : keys.joined(separator: " or ") + ": " + there
    }

    func render(into grid: inout Grid, area: Rect) {
        let inner = area.inset(horizontal: 2, vertical: 1)
        if let loadError { grid.put(loadError, x: inner.x, y: inner.y, style: .error, maxWidth: inner.width); return }
        if showingHits { renderHits(into: &grid, area: inner) } else { renderCentre(into: &grid, area: inner) }
        switch modal {
        case .callerNotice(let prompt): prompt.render(into: &grid, area: area)
        case .purpose(let dialog), .basis(let dialog, _): dialog.render(into: &grid, area: area)
        case .deleteText(let dialog, _): dialog.render(into: &grid, area: area)
        case nil: break
        }
    }

    private func renderCentre(into grid: inout Grid, area: Rect) {
        guard let report else { return }
        var y = area.y
        let goes = centreTableKeys.keyLabel(.open).map { "  \($0) goes where each is fixed" } ?? ""
        grid.put([Span("Your duties under the DPA", .header), Span(goes, .dim)], x: area.x, y: y, maxWidth: area.width)
        y += 1
        let statusWidth = 14
        for (index, row) in rows.enumerated() where y < area.maxY {
            if case .promise = row, index == report.lines.count {
                y += 1
                guard y < area.maxY else { break }
                grid.put([Span("The processor's promises, from its notices", .header)], x: area.x, y: y, maxWidth: area.width)
                y += 1
                guard y < area.maxY else { break }
            }
            let isSelected = index == selected
            if isSelected { grid.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: .selection) }
            let status: (String, Style)
            let text: String
            let detail: String
            switch row {
            case .duty(let line):
                status = (line.status.label, line.status.isFailing ? .error : line.status == .ok ? .success : .dim)
                text = line.duty.title
                detail = line.detail + " · " + fixHint(line.duty)
            case .promise(let check):
                status = (check.kept ? "kept" : "BROKEN", check.kept ? .success : .error)
                text = "\(check.title) (v\(check.version))"
                detail = check.detail
            }
            grid.put(status.0, x: area.x, y: y, style: isSelected ? .selection : status.1, maxWidth: statusWidth)
            grid.put(text, x: area.x + statusWidth, y: y, style: isSelected ? .selection : .normal, maxWidth: area.width - statusWidth)
            y += 1
            if y < area.maxY {
                grid.put(detail, x: area.x + statusWidth + 2, y: y, style: .dim, maxWidth: area.width - statusWidth - 2)
                y += 1
            }
        }
    }

    private func renderHits(into grid: inout Grid, area: Rect) {
        let counts = report?.specialCategoryHits
        grid.put([Span("Special-category matches, last 90 days", .header),
                  Span(counts.map { "  \(DisplayText.count($0.messages, "message")), \(DisplayText.count($0.calls, "call")) · word list in docs/notices.md" } ?? "", .dim)],
                 x: area.x, y: area.y, maxWidth: area.width)
        guard !hits.isEmpty else {
            grid.put("Nothing matches.", x: area.x, y: area.y + 2, style: .dim, maxWidth: area.width)
            return
        }
        guard let clock = hitsClock else { return }
        let rows = hits.map { hit in
            let what: String
            switch hit.record {
            case .call(let id): what = "Call \(id)"
            case .message(let id, _): what = "Message \(id)"
            }
            return TableRow([DisplayText.shortTime(hit.at, clock: clock), what, hit.contactName ?? "unknown contact",
                             hit.categories.map(\.rawValue).joined(separator: ", "), hit.snippet])
        }
        Table(columns: [TableColumn("When", width: .fixed(13)), TableColumn("Record", width: .fixed(14)),
                        TableColumn("Contact", width: .flexible(minimum: 10, weight: 1)),
                        TableColumn("Category", width: .flexible(minimum: 8, weight: 1)),
                        TableColumn("Snippet", width: .flexible(minimum: 16, weight: 3))])
            .render(into: &grid, area: Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1), state: hitsState,
                    source: ArrayTableSource(rows))
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        return showingHits ? handleHits(key) : handleCentre(key)
    }

    private mutating func handleCentre(_ key: Key) -> TabResponse {
        let rows = rows
        switch centreKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _):
            switch move {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(max(0, rows.count - 1), selected + 1)
            case .top, .pageUp: selected = 0
            case .bottom, .pageDown: selected = max(0, rows.count - 1)
            case .left, .right: break
            }
        case .action(.centre(.refresh), _): load()
        case .action(.centre(.back), _): return .back
        case .action(.centre(.open), _):
            guard let row = rows[safe: selected] else { return .handled }
            switch row {
            case .promise(let check): return .navigate(.notice(id: check.noticeId))
            case .duty(let line): return goFix(line.duty)
            }
        case .action(.centre(let action), _):
            if let duty = Self.duty(fixedBy: action) { return fixHere(duty) }
        }
        return .handled
    }

    /// The duty each of the centre's own keys fixes in place, beside Enter on the duty's line:
    /// the one mapping, for the keys and for the hints that name them.
    private static func duty(fixedBy action: CentreAction) -> ComplianceReport.Duty? {
        switch action {
        case .basis: .lawfulBasis
        case .callerNotice: .callerNotice
        case .open, .refresh, .back: nil
        }
    }

    /// To the screen that declared the duty; with none, the domain's words (the command that fixes it).
    private mutating func goFix(_ duty: ComplianceReport.Duty) -> TabResponse {
        guard let place = screens.fix(for: duty) else { return .flash(duty.fix, isError: false) }
        if place.fix.destination.kind == .complianceCentre { return fixHere(duty) }
        return .navigate(place.fix.destination)
    }

    /// The duties this screen fixes itself.
    private mutating func fixHere(_ duty: ComplianceReport.Duty) -> TabResponse {
        switch duty {
        case .lawfulBasis:
            // Which basis is asked next; whether this actor may record any is the plan's answer.
            if let refusal = context.refusal(of: .setLawfulBasis(.consent, for: .callHandling)) { return .flash(refusal, isError: true) }
            return askPurpose()
        case .callerNotice:
            if let refusal = context.refusal(of: .setCallerNotice("")) { return .flash(refusal, isError: true) }
            return askCallerNotice()
        case .specialCategory:
            do {
                hits = try context.session.read(.specialCategoryHits(now: now))
                hitsClock = BrowseClock.console(context)
                hitsState = TableState()
                showingHits = true
                layout(size)
            } catch { return .flash("\(error)", isError: true) }
            return .handled
        default:
            return .flash(duty.fix, isError: false)
        }
    }

    private mutating func handleHits(_ key: Key) -> TabResponse {
        switch hitsKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _): hitsState.apply(move, rowCount: .exact(hits.count))
        case .action(.hits(.back), _): showingHits = false
        case .action(.hits(.open), _):
            guard let hit = hits[safe: hitsState.selected] else { return .handled }
            switch hit.record {
            case .call(let id): return .navigate(.call(id: id, highlight: hit.words.first))
            case .message(let id, let thread): return .navigate(.thread(id: thread, highlight: hit.words.first, messageId: id))
            }
        case .action(.hits(.delete), _):
            guard let hit = hits[safe: hitsState.selected] else { return .handled }
            let command: WorkspaceCommand<TextDeletion.Deleted>
            switch hit.record {
            case .call(let id): command = .deleteCallText(id)
            case .message(let id, _): command = .deleteMessageText(id)
            }
            switch context.plan(command) {
            case .ready(let plan):
                guard let question = plan.confirmation else { return deleteText(plan, confirmed: false) }
                modal = .deleteText(ConfirmDialog(title: question.title, message: plan.preview?.summary ?? question.question,
                                                  confirmLabel: question.confirmLabel, isDestructive: question.isDestructive), plan)
            case .refused(let reason): return .flash(reason, isError: true)
            case .failed(let problem): return .flash(problem, isError: true)
            }
        }
        return .handled
    }

    /// Deletes the text as planned and answered, then re-reads the matches: the deleted one is gone from them.
    private mutating func deleteText(_ plan: ChangePlan<TextDeletion.Deleted>, confirmed: Bool) -> TabResponse {
        let command: WorkspaceCommand<TextDeletion.Deleted>
        do { command = try plan.approved(confirmed: confirmed) } catch { return .flash("\(error)", isError: true) }
        let response = change(command) { deleted in
            deleted.kind == .messages ? "Deleted the text of message \(deleted.id)"
                : "Deleted the summary and transcript of call \(deleted.callExternalId ?? String(deleted.id))"
        }
        reloadHits()
        return response
    }

    private mutating func reloadHits() {
        guard let fresh = try? context.session.read(.specialCategoryHits(now: now)) else { return }
        hits = fresh
        hitsState.apply(.top, rowCount: .exact(hits.count))
        layout(size)
    }

    // MARK: Settings

    private mutating func askPurpose() -> TabResponse {
        let bases = (try? context.session.read(.complianceSettings))?.bases ?? [:]
        modal = .purpose(OptionDialog(title: "Lawful basis", message: "Which purpose?",
                                      options: ProcessingPurpose.allCases.map { "\($0.label): \(bases[$0]?.label ?? "none recorded")" },
                                      keys: context.keys))
        return .handled
    }

    private mutating func askCallerNotice() -> TabResponse {
        var prompt = TextPrompt(title: "Caller notice", label: "Notice ", keys: context.keys)
        prompt.input = TextInputState((try? context.session.read(.complianceSettings))?.callerNotice ?? "", maxLength: 2_000)
        modal = .callerNotice(prompt)
        return .handled
    }

    private mutating func handleModal(_ current: Modal, _ key: Key) -> TabResponse {
        switch current {
        case .purpose(var dialog):
            switch dialog.handle(key) {
            case .open: modal = .purpose(dialog); return .handled
            case .cancelled: modal = nil; return .handled
            case .chose(let index):
                let purpose = ProcessingPurpose.allCases[index]
                modal = .basis(OptionDialog(title: "Lawful basis: \(purpose.label)", message: "Which basis (UK GDPR Art. 6(1))?",
                                            options: LawfulBasis.allCases.map(\.label), keys: context.keys), purpose)
                return .handled
            }
        case .basis(var dialog, let purpose):
            switch dialog.handle(key) {
            case .open: modal = .basis(dialog, purpose); return .handled
            case .cancelled: modal = nil; return .handled
            case .chose(let index):
                modal = nil
                let basis = LawfulBasis.allCases[index]
                let label = "\(basis.label) for \(purpose.label)"
                return change(.setLawfulBasis(basis, for: purpose)) { $0 ? "Recorded \(label)" : "Already recorded; nothing changed" }
            }
        case .callerNotice(var prompt):
            switch prompt.handle(key) {
            case .open: modal = .callerNotice(prompt); return .handled
            case .cancelled: modal = nil; return .handled
            case .answered(let text):
                modal = nil
                return change(.setCallerNotice(text)) { $0 ? "Caller notice saved" : "Unchanged" }
            }
        case .deleteText(var dialog, let plan):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .deleteText(dialog, plan); return .handled
            case .cancelled?: modal = nil; return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .confirmed?: modal = nil; return deleteText(plan, confirmed: true)
            }
        }
    }

    /// Runs a change, then re-reads; a refusal comes back as a red flash and changes nothing.
    /// When another process is writing it waits in the background (`ConsoleChanges`, issue 11):
    /// the status bar says so, and the centre re-reads when it lands.
    private mutating func change<T: Sendable>(_ command: WorkspaceCommand<T>, _ describe: @escaping @Sendable (T) -> String) -> TabResponse {
        let outcome = context.changes.perform(command, about: .compliance, context: context, describe: describe)
        load()
        switch outcome {
        case .done(_, let text): return .flash(text, isError: false)
        case .failed(let text): return .flash(text, isError: true)
        case .waiting: return .handled
        }
    }

    /// The centre, as a screen or as the place its duties are fixed (the centre fixes those itself:
    /// `goFix` never opens it from here).
    mutating func open(_ destination: ConsoleDestination) -> Bool {
        showingHits = false
        load()
        return destination.kind == nil || destination.kind == .complianceCentre
    }

    /// A change that waited for a busy workspace has landed or given up: recompute.
    mutating func receive(_ message: any Sendable) -> Bool {
        if let change = message as? ChangeStatus, change.subject == .compliance, case .finished = change.phase { load(); return true }
        return false
    }
}
