import Foundation
import HandletDomain
import TerminalUI

/// Auto-Send (DESIGN §6): every setting edited in place, with the checks, the preview over the
/// last N days recomputed as the form changes (before anything is saved) and a real stored draft
/// as it would go out; and the action queue, where people approve, edit, discard and rate drafts.
/// The domain decides who may do what; the tab renders its plans and refusals.
struct AutoSendTab: RegisteredScreen {
    static let id = ScreenID.autosend
    static let title = "Auto-Send"
    static let tabLabel = "Auto"

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> AutoSendTab { AutoSendTab(context: context) }

    let context: ConsoleContext
    private let settingsKeys: KeyMap<SettingsAction>
    private let queueKeys: KeyMap<QueueKey>
    private var mode = Mode.settings
    private var loadError: String?
    private var clock: BrowseClock

    enum Mode: Equatable { case settings, queue }

    // Settings
    private var saved: AutoSendOverview?
    /// The form: the saved settings with the edits not yet saved.
    private var edited = AutoSendSettings.standard
    private var focus = 0
    private var previewDays = 30
    private var preview: Result<AutoSendPreview, Error>?
    private var latestDrafts: [Channel: String] = [:]
    /// The domain's refusal of any settings change for this actor: the form is read only.
    private var settingsRefusal: String?

    // Queue
    private var queue: [ActionQueueEntry] = []
    private var queueNext: ActionQueue.Cursor?
    private var counts: ActionQueue.Counts?
    private var table = TableState()
    private var selection: Set<Int64> = []
    private var size: Size?

    private var modal: Modal?
    private enum Modal {
        case prompt(TextPrompt, SettingRow)
        case save(ConfirmDialog, ChangePlan<AutoSendSettingsChange>)
        case bulkChoice(OptionDialog)
        case bulk(ConfirmDialog, ChangePlan<AutoSendSettingsChange>)
        case acknowledge(ConfirmDialog, AutoSendAcknowledgementKind)
        case editor(DraftEditor)
        case decideSelected(ConfirmDialog, DraftDecision, [Int64])
    }

    init(context: ConsoleContext) {
        self.context = context
        settingsKeys = Self.settingsTable.resolved(context.keys)
        queueKeys = Self.queueKeys(context.keys)
        clock = BrowseClock.console(context)
    }

    var capturesText: Bool { modal != nil }
    var helpEntries: [HelpEntry] {
        if case .editor? = modal { return DraftEditor.table.resolved(context.keys).help(for: context.actor) }
        switch mode {
        case .settings: return settingsKeys.help(for: context.actor, disabledReason: settingsRefusalFor)
        case .queue: return queueKeys.help(for: context.actor, disabledReason: queueRefusalFor)
        }
    }

    var status: String {
        switch mode {
        case .settings:
            guard let saved else { return "" }
            return "Auto-Send \(saved.settings.masterEnabled ? "on" : "off")" + (pendingChange.isEmpty ? "" : " · unsaved edits")
        case .queue:
            guard let counts else { return "" }
            return "queue: \(counts.total)" + (selection.isEmpty ? "" : " · \(selection.count) selected")
        }
    }

    var crumb: String { mode == .queue ? "Auto-Send › Queue" : Self.title }

    mutating func activate() { load() }

    mutating func receive(_ message: any Sendable) -> Bool {
        if let change = message as? ChangeStatus, change.subject == .autoSend, case .finished = change.phase { load(); return true }
        return false
    }

    mutating func layout(_ size: Size) {
        self.size = size
        if mode == .queue {
            table.fit(height: queueTableHeight(size.height) - 1, rowCount: .exact(queue.count))
            // Read the next page when the selection nears the end of what is loaded.
            if table.selected >= queue.count - 5, queueNext != nil { loadMoreQueue() }
        }
    }

    // MARK: Reading

    /// Reads the settings, training, checks and queue, keeping the form's unsaved edits.
    private mutating func load() {
        let pending = pendingChange
        do {
            let overview = try context.session.read(.autoSendOverview)
            saved = overview
            edited = (try? pending.applied(to: overview.settings)) ?? overview.settings
            latestDrafts = try context.session.read(.latestDraftBodies)
            counts = try context.session.read(.actionQueueCounts)
            let first = try context.session.read(.actionQueue())
            queue = first.entries
            queueNext = first.next
            selection.formIntersection(queue.map(\.id))
            table.selected = min(table.selected, max(0, queue.count - 1))
            clock = BrowseClock.console(context)
            loadError = nil
        } catch {
            loadError = "Could not read the Auto-Send settings: \(error)"
        }
        settingsRefusal = context.refusal(of: .changeAutoSend(AutoSendChange()))
        recomputePreview()
        if let size { layout(size) }
    }

    private mutating func loadMoreQueue() {
        guard let next = queueNext, let page = try? context.session.read(.actionQueue(after: next)) else { return }
        queue += page.entries
        queueNext = page.next
    }

    /// The edits not yet saved, as the domain's change.
    private var pendingChange: AutoSendChange {
        guard let saved else { return AutoSendChange() }
        return AutoSendChange(from: saved.settings, to: edited)
    }

    /// The preview under the form as it stands, saved or not: asked again after every edit.
    private mutating func recomputePreview() {
        preview = Result { try context.session.read(.autoSendPreview(days: previewDays, applying: pendingChange, now: context.now())) }
    }

    private var problems: [AutoSendProblem] {
        guard let saved else { return [] }
        return AutoSendChecks.problems(edited, training: saved.training, businessName: saved.businessName)
    }

    // MARK: The settings' rows

    enum SettingRow: Hashable {
        case master, intent(AutoSendIntent), threshold, acknowledgement(AutoSendAcknowledgementKind), channel(Channel)
        case quietHours, timeZone, cap, disclosure(Channel), optOut(Channel), previewDays
    }

    static let rows: [SettingRow] = [.master] + AutoSendIntent.allCases.map(SettingRow.intent) + [.threshold]
        + AutoSendAcknowledgementKind.allCases.map(SettingRow.acknowledgement) + Channel.allCases.map(SettingRow.channel)
        + [.quietHours, .timeZone, .cap] + Channel.allCases.flatMap { [SettingRow.disclosure($0), .optOut($0)] } + [.previewDays]

    private var focusedRow: SettingRow { Self.rows[focus] }

    /// The channel the wording preview shows: the one focused, else SMS.
    private var previewChannel: Channel {
        switch focusedRow {
        case .channel(let channel), .disclosure(let channel), .optOut(let channel): channel
        default: .sms
        }
    }

    private func settingsRefusalFor(_ action: SettingsAction) -> String? {
        switch action {
        case .decrease, .increase: focusedRow == .previewDays ? nil : settingsRefusal
        case .change, .save, .bulk: settingsRefusal
        default: nil
        }
    }

    private func queueRefusalFor(_ key: QueueKey) -> String? {
        guard case .queue(let action) = key, let entry = queue[safe: table.selected] else { return nil }
        switch action {
        case .approve, .edit:
            return entry.kind == .waiting ? nil : "Draft \(entry.id) is \(entry.kind.rawValue): only a waiting draft can be approved"
        case .discard:
            return entry.kind == .waiting || entry.kind == .blocked ? nil : "Draft \(entry.id) is \(entry.kind.rawValue): it cannot be discarded"
        default: return nil
        }
    }

    private func label(_ row: SettingRow) -> String {
        switch row {
        case .master: "Auto-Send (master)"
        case .intent(let intent): intent.label
        case .threshold: "Confidence threshold"
        case .acknowledgement(.transparency): "Transparency ack."
        case .acknowledgement(.complaints): "Complaints ack."
        case .channel(let channel): "Channel \(channel.label)"
        case .quietHours: "Quiet hours"
        case .timeZone: "Time zone"
        case .cap: "Per-contact cap"
        case .disclosure(let channel): "\(channel.label) disclosure"
        case .optOut(let channel): "\(channel.label) opt-out"
        case .previewDays: "Preview over"
        }
    }

    private func value(_ row: SettingRow, training: TrainingCounts) -> StyledLine {
        func onOff(_ on: Bool) -> Span { Span(on ? "[x] on " : "[ ] off", on ? .accent : .dim) }
        switch row {
        case .master: return [onOff(edited.masterEnabled)]
        case .intent(let intent):
            let have = training.count(intent), need = intent.validatedDraftsNeeded
            let filled = min(10, have * 10 / need)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 10 - filled)
            return [onOff(edited.enabledIntents.contains(intent)), Span(" \(bar) \(have)/\(need) ", .normal),
                    training.isUnlocked(intent) ? Span("unlocked", .dim) : Span("locked, \(need - have) more", .warning)]
        case .threshold: return [Span(edited.threshold.description, .normal), Span("  (85% to 100%)", .dim)]
        case .acknowledgement(let kind):
            guard let given = edited.acknowledgement(kind) else { return [Span("not given", .warning)] }
            // The time first: a long email is what gets cut on a narrow form.
            return [Span("given \(DisplayText.shortTime(given.at, clock: clock)) by \(given.by)", .normal)]
        case .channel(let channel): return [onOff(edited.isEnabled(channel))]
        case .quietHours: return [Span(edited.quietHours?.description ?? "none", edited.quietHours == nil ? .warning : .normal)]
        case .timeZone: return [Span(edited.timeZone.identifier, .normal)]
        case .cap: return [Span(edited.perContactCap.description, .normal)]
        case .disclosure(let channel): return [Span(edited.channel(channel).wording.disclosure, .normal)]
        case .optOut(let channel):
            let text = edited.channel(channel).wording.optOut
            return [Span(text.isEmpty ? "(none)" : text, text.isEmpty ? .dim : .normal)]
        case .previewDays: return [Span("the last \(DisplayText.count(previewDays, "day"))", .normal)]
        }
    }

    // MARK: Drawing

    func render(into grid: inout Grid, area: Rect) {
        let inner = area.inset(horizontal: 1, vertical: 0)
        if let loadError { grid.put(loadError, x: inner.x, y: inner.y, style: .error, maxWidth: inner.width); return }
        switch mode {
        case .settings: renderSettings(into: &grid, area: inner)
        case .queue: renderQueue(into: &grid, area: inner)
        }
        switch modal {
        case .prompt(let prompt, _): prompt.render(into: &grid, area: area)
        case .save(let dialog, _), .bulk(let dialog, _), .acknowledge(let dialog, _), .decideSelected(let dialog, _, _):
            dialog.render(into: &grid, area: area)
        case .bulkChoice(let dialog): dialog.render(into: &grid, area: area)
        case .editor(let editor): editor.render(into: &grid, area: area)
        case nil: break
        }
    }

    private func renderSettings(into grid: inout Grid, area: Rect) {
        guard let saved else { return }
        var header: StyledLine = [Span("Settings", .header)]
        if settingsRefusal != nil {
            header.append(Span("  read only: changing Auto-Send needs the owner or admin role", .dim))
        } else if !pendingChange.isEmpty {
            header.append(Span("  unsaved: " + AutoSendSettingsChange(before: saved.settings, after: edited).changedFields.joined(separator: ", ")
                               + " · " + settingsKeys.hint(.save, "save") + " · " + settingsKeys.hint(.revert, "undo"), .warning))
        }
        header.append(Span("  " + settingsKeys.hint(.showQueue, "queue (\(counts?.total ?? 0))"), .dim))
        grid.put(header, x: area.x, y: area.y, maxWidth: area.width)
        let wide = area.width >= 120
        let formWidth = max(Self.listWidth, (area.width - 2) / 2)
        let sideX = area.x + formWidth + 2
        let side = info(width: wide ? area.maxX - sideX : area.width)
        let listHeight = wide ? area.height - 1 : max(4, area.height - 1 - min(side.count, 8))
        let listWidth = wide ? formWidth : area.width
        let first = min(max(0, focus - listHeight + 2), max(0, Self.rows.count - listHeight))
        for (offset, index) in (first..<min(Self.rows.count, first + listHeight)).enumerated() {
            let row = Self.rows[index]
            let y = area.y + 1 + offset
            let focused = index == focus
            if focused { grid.fill(Rect(x: area.x, y: y, width: listWidth, height: 1), style: .selection) }
            let labelText = label(row).padding(toLength: 26, withPad: " ", startingAt: 0)
            let spans = [Span(labelText, focused ? .selection : .dim)] + value(row, training: saved.training)
                .map { focused ? Span($0.text, .selection) : $0 }
            grid.put(spans, x: area.x, y: y, maxWidth: listWidth)
        }
        if wide {
            for (offset, line) in side.prefix(area.height - 1).enumerated() {
                grid.put(line, x: sideX, y: area.y + 1 + offset, maxWidth: area.maxX - sideX)
            }
        } else {
            for (offset, line) in side.prefix(area.maxY - (area.y + 1 + listHeight)).enumerated() {
                grid.put(line, x: area.x, y: area.y + 1 + listHeight + offset, maxWidth: area.width)
            }
        }
    }

    /// The form's narrowest width when the checks and previews stand beside it (wide terminals).
    static let listWidth = 66

    /// What stands beside the form: the checks, the preview, and a real draft as it would go out.
    private func info(width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let problems = self.problems
        if problems.isEmpty {
            lines.append([Span("Checks ", .header), Span("✓ every check passes", .accent)])
        } else {
            lines.append([Span("Checks ", .header), Span("✗ \(problems.count) failing: saving is refused until they pass", .warning)])
            for problem in problems { lines.append([Span("  ✗ " + problem.message, .warning)]) }
        }
        switch preview {
        case .success(let preview)?:
            lines.append([Span("Preview ", .header), Span("last \(preview.days) days, \(DisplayText.count(preview.drafts, "draft"))"
                                                           + (pendingChange.isEmpty ? "" : ", with the unsaved edits"), .dim)])
            lines.append([Span("  would send \(DisplayText.count(preview.send)) (\(DisplayText.count(preview.deferred)) after quiet hours),"
                               + " hold \(DisplayText.count(preview.hold)), block \(DisplayText.count(preview.blocked))", .normal)])
            // One line per gate that stopped drafts, most first, worded as why they stopped.
            let counted = preview.byGate.sorted { $0.drafts > $1.drafts }
            let countWidth = counted.map { DisplayText.count($0.drafts).count }.max() ?? 1
            for entry in counted {
                let count = DisplayText.count(entry.drafts)
                let head = "  \(entry.outcome)".padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(repeating: " ", count: countWidth - count.count) + count + "  "
                let reason = TextWrap.wrapText(entry.gate.failureReason, width: max(10, width - head.count), style: .dim)
                for (index, line) in reason.enumerated() {
                    lines.append([Span(index == 0 ? head : String(repeating: " ", count: head.count), .normal)] + line)
                }
            }
        case .failure(let error)?: lines.append([Span("Preview ", .header), Span("\(error)", .error)])
        case nil: break
        }
        let channel = previewChannel
        if let saved {
            lines.append([Span("As it would go out ", .header), Span("(\(channel.label), the newest stored draft)", .dim)])
            if let body = latestDrafts[channel] {
                let outgoing = edited.channel(channel).wording.compose(body: body, businessName: saved.businessName)
                for line in TextWrap.wrapText(outgoing, width: max(10, width - 2)).prefix(5) { lines.append([Span("  ", .normal)] + line) }
                let measure = SMSSegments.measure(outgoing)
                lines.append([Span("  SMS: \(DisplayText.count(measure.segments, "segment")), \(measure.encoding.rawValue),"
                                   + " \(DisplayText.count(measure.units, "unit"))", .dim)])
            } else {
                lines.append([Span("  no stored draft on this channel yet", .dim)])
            }
        }
        return lines
    }

    private func queueTableHeight(_ height: Int) -> Int { max(3, height - 1 - detailHeight(height)) }
    private func detailHeight(_ height: Int) -> Int { height >= 30 ? 10 : 6 }

    static let queueColumns = [
        TableColumn(" ", width: .fixed(1)), TableColumn("Draft", width: .fixed(6), alignRight: true),
        TableColumn("State", width: .fixed(7)), TableColumn("Intent", width: .fixed(15)),
        TableColumn("Chan", width: .fixed(8)), TableColumn("Conf", width: .fixed(4), alignRight: true),
        TableColumn("Contact", width: .flexible(minimum: 10, weight: 1)),
        TableColumn("Why / due", width: .flexible(minimum: 12, weight: 1)),
        TableColumn("Reply", width: .flexible(minimum: 10, weight: 3)),
    ]

    private func queueRow(_ entry: ActionQueueEntry) -> TableRow {
        let why: String = switch entry.kind {
        case .waiting: entry.gate.map { "held: \($0.rawValue)" } ?? "for a person"
        case .blocked: entry.gate.map { "blocked: \($0.rawValue)" } ?? "blocked"
        case .held: entry.dueAt.map { "due " + DisplayText.shortTime($0, clock: clock) } ?? "due"
        case .failed: "failed: " + (entry.lastError ?? "gateway")
        }
        return TableRow([selection.contains(entry.id) ? "●" : " ", "\(entry.id)", entry.kind.rawValue, entry.intent.rawValue,
                         entry.channel ?? "-", "\(Int((entry.confidence * 100).rounded()))", entry.contactName ?? "-", why,
                         entry.body.replacingOccurrences(of: "\n", with: " ")],
                        style: entry.kind == .blocked || entry.kind == .failed ? .warning : nil)
    }

    private func renderQueue(into grid: inout Grid, area: Rect) {
        var header: StyledLine = [Span("Action queue", .header)]
        if let counts {
            header.append(Span("  \(counts.waiting) waiting · \(counts.blocked) blocked · \(counts.held) held · \(counts.failed) failed", .normal))
        }
        if !selection.isEmpty { header.append(Span("  \(selection.count) selected", .accent)) }
        header.append(Span("  " + queueKeys.hint(.queue(.showSettings), "settings"), .dim))
        grid.put(header, x: area.x, y: area.y, maxWidth: area.width)
        let tableArea = Rect(x: area.x, y: area.y + 1, width: area.width, height: queueTableHeight(area.height))
        if queue.isEmpty {
            grid.put("Nothing waits: every draft has been decided.", x: area.x, y: area.y + 2, style: .dim, maxWidth: area.width)
            return
        }
        Table(columns: Self.queueColumns).render(into: &grid, area: tableArea, state: table, source: ArrayTableSource(queue.map(queueRow)))
        guard let entry = queue[safe: table.selected], let saved else { return }
        var y = tableArea.maxY
        let bottom = area.maxY
        func line(_ spans: StyledLine) {
            guard y < bottom else { return }
            grid.put(spans, x: area.x, y: y, maxWidth: area.width)
            y += 1
        }
        let training = entry.intent.autoSendIntent.map { intent in
            "  training \(intent.rawValue): \(saved.training.count(intent))/\(intent.validatedDraftsNeeded)"
        } ?? "  never sent automatically"
        line([Span("Draft \(entry.id)", .header), Span(" answers \(entry.answersKind) \(entry.answersId)"
                                                       + (entry.contactName.map { " from \($0)" } ?? ""), .dim),
              Span(training + (entry.validation.map { " · rated \($0.rawValue)" } ?? ""), .dim)])
        if let answers = entry.answersText {
            for wrapped in TextWrap.wrapText(answers, width: max(10, area.width - 4)).prefix(2) { line([Span("  › ", .dim)] + wrapped) }
        }
        for wrapped in TextWrap.wrapText(entry.body, width: max(10, area.width - 2)) { line([Span("  ", .normal)] + wrapped) }
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        switch mode {
        case .settings: return handleSettings(key)
        case .queue: return handleQueue(key)
        }
    }

    private mutating func handleSettings(_ key: Key) -> TabResponse {
        switch settingsKeys.press(key, by: context.actor, disabledReason: settingsRefusalFor) {
        case .unbound: return .ignored
        case .refused(let reason): return .flash(reason, isError: true)
        case .action(.previous, _): focus = max(0, focus - 1)
        case .action(.next, _): focus = min(Self.rows.count - 1, focus + 1)
        case .action(.decrease, _): return step(-1)
        case .action(.increase, _): return step(1)
        case .action(.change, _): return change(focusedRow)
        case .action(.save, _): return save()
        case .action(.revert, _):
            guard let saved, !pendingChange.isEmpty else { return .flash("Nothing to undo", isError: false) }
            edited = saved.settings
            recomputePreview()
            return .flash("Edits undone: the form shows the saved settings", isError: false)
        case .action(.bulk, _):
            guard pendingChange.isEmpty else {
                return .flash("Save (" + (settingsKeys.keyLabel(.save) ?? "") + ") or undo (" + (settingsKeys.keyLabel(.revert) ?? "")
                              + ") the edits first: a bulk action starts from the saved settings", isError: true)
            }
            modal = .bulkChoice(OptionDialog(title: "Bulk action", message: "What should change? Each shows what it changes before it is saved.",
                                             options: ["Enable every eligible intent (training-ready)", "Disable every intent (master stays)",
                                                       "Automate ready replies (master on + every training-ready intent)"],
                                             keys: context.keys))
        case .action(.showQueue, _):
            mode = .queue
            if let size { layout(size) }
        case .action(.refresh, _): load()
        }
        return .handled
    }

    /// Applies one edit to the form through the domain's validation, and previews it at once.
    private mutating func edit(_ build: (inout AutoSendChange) throws -> Void) -> TabResponse {
        var change = AutoSendChange()
        do {
            try build(&change)
            edited = try change.applied(to: edited)
        } catch {
            return .flash("\(error)", isError: true)
        }
        recomputePreview()
        return .handled
    }

    /// The preview's periods, stepped through with ←/→.
    static let previewPeriods = [1, 7, 14, 30, 60, 90, 180, 365]

    private mutating func step(_ direction: Int) -> TabResponse {
        let current = edited
        switch focusedRow {
        case .threshold:
            return edit { $0.threshold = try ConfidenceThreshold(hundredths: current.threshold.hundredths + direction * 100) }
        case .cap:
            return edit { $0.perContactCap = try PerContactCap(messages: current.perContactCap.messages + direction) }
        case .previewDays:
            let periods = Self.previewPeriods
            let next = direction > 0 ? periods.first { $0 > previewDays } : periods.last { $0 < previewDays }
            guard let next else { return .flash("The preview covers 1 to 365 days", isError: false) }
            previewDays = next
            recomputePreview()
            return .handled
        default:
            return .handled
        }
    }

    private mutating func change(_ row: SettingRow) -> TabResponse {
        guard let saved else { return .handled }
        let edited = self.edited
        switch row {
        case .master: return edit { $0.master = !edited.masterEnabled }
        case .intent(let intent):
            if edited.enabledIntents.contains(intent) { return edit { $0.disableIntents = [intent] } }
            // The domain's lock, said before the switch moves: a locked intent would fail a check.
            if let reason = saved.training.lockReason(intent) { return .flash("\(intent.label) is locked: \(reason)", isError: true) }
            return edit { $0.enableIntents = [intent] }
        case .channel(let channel):
            return edit { if edited.isEnabled(channel) { $0.disableChannels = [channel] } else { $0.enableChannels = [channel] } }
        case .acknowledgement(let kind):
            if let given = saved.settings.acknowledgement(kind) {
                return .flash("Already given by \(given.by) on \(DisplayText.timestamp(given.at, clock: clock))", isError: false)
            }
            modal = .acknowledge(ConfirmDialog(title: kind == .transparency ? "Transparency acknowledgement" : "Complaints acknowledgement",
                                               message: kind.statement, confirmLabel: "I acknowledge"), kind)
        case .threshold, .quietHours, .timeZone, .cap, .disclosure, .optOut:
            let current: String = switch row {
            case .threshold: String(edited.threshold.description.dropLast())
            case .quietHours: edited.quietHours?.description ?? ""
            case .timeZone: edited.timeZone.identifier
            case .cap: String(edited.perContactCap.messages)
            case .disclosure(let channel): edited.channel(channel).wording.disclosure
            case .optOut(let channel): edited.channel(channel).wording.optOut
            default: ""
            }
            var input = TextInputState("", maxLength: ChannelWording.maximumLength + 20)
            input.setText(current)
            modal = .prompt(TextPrompt(title: label(row), label: "\(label(row)) ", input: input, keys: context.keys), row)
        case .previewDays: return .handled
        }
        return .handled
    }

    /// A typed value, through the domain's parser: a refusal stays in the prompt with its reason.
    private mutating func apply(_ text: String, to row: SettingRow) -> String? {
        var change = AutoSendChange()
        do {
            switch row {
            case .threshold: change.threshold = try ConfidenceThreshold(parsing: text)
            case .quietHours:
                change.quietHours = text.trimmingCharacters(in: .whitespaces).lowercased() == "none" ? .clear : .set(try QuietHours(parsing: text))
            case .timeZone: change.timeZone = try BusinessTimeZone(identifier: text)
            case .cap: change.perContactCap = try PerContactCap(parsing: text)
            case .disclosure(let channel): change.disclosure[channel] = text
            case .optOut(let channel): change.optOut[channel] = text
            default: return nil
            }
            edited = try change.applied(to: edited)
        } catch {
            return "\(error)"
        }
        recomputePreview()
        return nil
    }

    private mutating func save() -> TabResponse {
        let change = pendingChange
        guard !change.isEmpty else { return .flash("Nothing to save: the form shows the saved settings", isError: false) }
        switch context.plan(.changeAutoSend(change)) {
        case .refused(let reason), .failed(let reason): return .flash(reason, isError: true)
        case .ready(let plan):
            let lines = plan.preview?.lines ?? ["Save the settings?"]
            modal = .save(ConfirmDialog(title: plan.confirmation?.title ?? "Save the Auto-Send settings",
                                        message: lines.joined(separator: "; "), confirmLabel: "Save"), plan)
            return .handled
        }
    }

    private mutating func handleQueue(_ key: Key) -> TabResponse {
        switch queueKeys.press(key, by: context.actor, disabledReason: queueRefusalFor) {
        case .unbound: return .ignored
        case .refused(let reason): return .flash(reason, isError: true)
        case .action(.move(let move), _):
            table.apply(move, rowCount: .exact(queue.count))
        case .action(.queue(let action), _):
            switch action {
            case .showSettings: mode = .settings
            case .refresh: load()
            case .select:
                guard let entry = queue[safe: table.selected] else { return .handled }
                if selection.remove(entry.id) == nil { selection.insert(entry.id) }
                table.apply(.down, rowCount: .exact(queue.count))
            case .approve, .discard:
                let decision: DraftDecision = action == .approve ? .approve : .discard
                if !selection.isEmpty {
                    let ids = queue.map(\.id).filter(selection.contains)
                    let verb = action == .approve ? "Approve" : "Discard"
                    modal = .decideSelected(ConfirmDialog(title: "\(verb) \(DisplayText.count(ids.count, "draft"))",
                                                          message: "\(verb) drafts " + ids.map(String.init).joined(separator: ", ") + "?",
                                                          confirmLabel: verb, isDestructive: action == .discard), decision, ids)
                    return .handled
                }
                guard let entry = queue[safe: table.selected] else { return .handled }
                return decide(entry.id, decision)
            case .edit:
                guard let entry = queue[safe: table.selected] else { return .handled }
                modal = .editor(DraftEditor(draftId: entry.id, title: "Edit draft \(entry.id), then approve", text: entry.body, keys: context.keys))
            case .correct, .incorrect, .notNow:
                guard let entry = queue[safe: table.selected] else { return .handled }
                let answer: DraftValidation = action == .correct ? .correct : action == .incorrect ? .incorrect : .notNow
                return decide(entry.id, .rate(answer))
            }
        }
        if let size { layout(size) }
        return .handled
    }

    /// One decision through the domain's plan: a draft another person decided a moment ago is
    /// refused with the domain's words, and nothing is sent twice.
    private mutating func decide(_ id: Int64, _ decision: DraftDecision) -> TabResponse {
        switch context.plan(.decideDraft(id, decision)) {
        case .refused(let reason), .failed(let reason): load(); return .flash(reason, isError: true)
        case .ready(let plan):
            let command: WorkspaceCommand<DraftDecisionResult>
            do { command = try plan.approved(confirmed: true) } catch { return .flash("\(error)", isError: true) }
            let outcome = context.changes.perform(command, about: .autoSend, context: context) { Self.describe($0) }
            selection.remove(id)
            load()
            switch outcome {
            case .done(_, let text): return .flash(text, isError: false)
            case .failed(let text): return .flash(text, isError: true)
            case .waiting: return .handled
            }
        }
    }

    static func describe(_ result: DraftDecisionResult) -> String {
        if let validation = result.validation, result.state != .approved, result.state != .edited, result.state != .discarded {
            return "Draft \(result.draftId) rated \(validation.rawValue.replacingOccurrences(of: "_", with: " "))"
        }
        return "Draft \(result.draftId) \(result.state.rawValue)"
    }

    private mutating func handleModal(_ current: Modal, _ key: Key) -> TabResponse {
        let confirmKeys = ConsoleKeys.confirmTable.resolved(context.keys)
        switch current {
        case .prompt(var prompt, let row):
            switch prompt.handle(key) {
            case .open: modal = .prompt(prompt, row)
            case .cancelled: modal = nil
            case .answered(let text):
                if let problem = apply(text, to: row) {
                    prompt.problem = problem
                    modal = .prompt(prompt, row)
                } else {
                    modal = nil
                }
            }
            return .handled
        case .save(var dialog, let plan):
            switch dialog.handle(key, keys: confirmKeys) {
            case nil: modal = .save(dialog, plan); return .handled
            case .cancelled?: modal = nil; return .flash("Not saved: the edits stay in the form", isError: false)
            case .confirmed?:
                modal = nil
                return perform(plan) { "Saved: " + $0.lines.joined(separator: "; ") }
            }
        case .bulkChoice(var dialog):
            switch dialog.handle(key) {
            case .open: modal = .bulkChoice(dialog); return .handled
            case .cancelled: modal = nil; return .handled
            case .chose(let index):
                modal = nil
                let action = [AutoSendBulkAction.enableAllEligible, .disableAll, .automateReadyReplies][index]
                switch context.plan(.applyAutoSendBulk(action)) {
                case .refused(let reason), .failed(let reason): return .flash(reason, isError: true)
                case .ready(let plan):
                    modal = .bulk(ConfirmDialog(title: "Bulk: \(action.rawValue)",
                                                message: (plan.preview?.lines ?? []).joined(separator: "; "), confirmLabel: "Apply"), plan)
                    return .handled
                }
            }
        case .bulk(var dialog, let plan):
            switch dialog.handle(key, keys: confirmKeys) {
            case nil: modal = .bulk(dialog, plan); return .handled
            case .cancelled?: modal = nil; return .flash("Nothing changed", isError: false)
            case .confirmed?:
                modal = nil
                return perform(plan) { "Applied: " + $0.lines.joined(separator: "; ") }
            }
        case .acknowledge(var dialog, let kind):
            switch dialog.handle(key, keys: confirmKeys) {
            case nil: modal = .acknowledge(dialog, kind); return .handled
            case .cancelled?: modal = nil; return .flash("Not acknowledged", isError: false)
            case .confirmed?:
                modal = nil
                switch context.plan(.acknowledgeAutoSend(kind)) {
                case .refused(let reason), .failed(let reason): return .flash(reason, isError: true)
                case .ready(let plan): return perform(plan, keepingEdits: true) { _ in "Acknowledged: \(kind.rawValue)" }
                }
            }
        case .editor(var editor):
            switch editor.handle(key, by: context.actor) {
            case .open: modal = .editor(editor); return .handled
            case .cancelled: modal = nil; return .flash("Draft \(editor.draftId) unchanged", isError: false)
            case .approved(let text):
                switch context.plan(.decideDraft(editor.draftId, .editAndApprove(body: text))) {
                case .refused(let reason), .failed(let reason): modal = nil; load(); return .flash(reason, isError: true)
                case .ready: break
                }
                modal = nil
                let response = decide(editor.draftId, .editAndApprove(body: text))
                // Bad text (empty, too long) keeps the editor open with the domain's reason.
                if case .flash(let reason, true) = response, reason.hasPrefix("An edited reply") {
                    editor.problem = reason
                    modal = .editor(editor)
                    return .handled
                }
                return response
            }
        case .decideSelected(var dialog, let decision, let ids):
            switch dialog.handle(key, keys: confirmKeys) {
            case nil: modal = .decideSelected(dialog, decision, ids); return .handled
            case .cancelled?: modal = nil; return .flash("Nothing changed", isError: false)
            case .confirmed?:
                modal = nil
                var done = 0
                var refused: [String] = []
                for id in ids {
                    switch decide(id, decision) {
                    case .flash(let text, true): refused.append(text)
                    default: done += 1
                    }
                }
                selection.removeAll()
                load()
                let verb = decision == .approve ? "approved" : "discarded"
                return .flash("\(DisplayText.count(done, "draft")) \(verb)" + (refused.isEmpty ? "" : "; \(refused.count) refused: \(refused[0])"),
                              isError: !refused.isEmpty)
            }
        }
    }

    /// Runs a settings plan once confirmed; the transaction checks the role and the checks again.
    private mutating func perform(_ plan: ChangePlan<AutoSendSettingsChange>, keepingEdits: Bool = false,
                                  _ describe: @escaping @Sendable (AutoSendSettingsChange) -> String) -> TabResponse {
        let command: WorkspaceCommand<AutoSendSettingsChange>
        do { command = try plan.approved(confirmed: true) } catch { return .flash("\(error)", isError: true) }
        let outcome = context.changes.perform(command, about: .autoSend, context: context, describe: describe)
        // Saved settings are no longer edits: the form starts again from what is stored. An
        // acknowledgement is not part of the form, so the edits around it stay.
        if case .done = outcome, !keepingEdits { saved = nil }
        load()
        switch outcome {
        case .done(_, let text): return .flash(text, isError: false)
        case .failed(let text): return .flash(text, isError: true)
        case .waiting: return .handled
        }
    }
}
