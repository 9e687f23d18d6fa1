import Foundation
import HandletDomain
import TerminalUI

/// Recording on or off, the retention period, what expires soon, what is held, and the last
/// purge. Every change goes through the domain, which checks the role and writes the audit event.
struct RetentionTab: RegisteredScreen {
    static let id = ScreenID.retention
    static let title = "Retention"
    static let tabLabel = "Ret"

    enum Command: Sendable { case disable, enable, period(RetentionPeriod) }
    static let paletteArguments: [PaletteArgument<Command>] = [
        PaletteArgument("period", "DAYS", "keep recordings this many days (asks before shortening)", .command { text in
            Result { .period(try RetentionPeriod(parsing: text)) }.mapError { PaletteArgumentError("\($0)") }
        }),
        PaletteArgument("recording", "on|off", "turn call recording on or off", .command { text in
            switch text.lowercased() {
            case "on": .success(.enable)
            case "off": .success(.disable)
            default: .failure(PaletteArgumentError("recording \(text): say on or off"))
            }
        }),
    ]
    static let palette: [(title: String, command: Command)] = [("Retention: turn recording off…", .disable),
                                                                ("Retention: turn recording on", .enable)]

    static func attention(_ overview: Overview) -> [AttentionItem] {
        (overview.recordingEnabled ? [] : [AttentionItem(label: "Recording is off: new calls are not recorded", count: 1,
                                                         destination: .screen(.retention), isWarning: true, state: "off")])
        + [AttentionItem(label: "Recordings expiring in the next 7 days", count: overview.recordingsExpiringSoon,
                       destination: .screen(.retention), isWarning: false),
         AttentionItem(label: "Recordings past expiry, waiting for the purge", count: overview.recordingsOverdue,
                       destination: .screen(.retention), isWarning: overview.recordingsOverdue > 0)]
        + searchDebt(overview)
    }

    /// Only while the search owes something: removed text's words still in its stored pages, or
    /// an erasure a stopped process left (`SearchDebt`), with the command that pays it.
    static func searchDebt(_ overview: Overview) -> [AttentionItem] {
        let debt = overview.searchDebt
        // A running erasure owes nothing (it is shown on the tab, not as a duty).
        guard !debt.isEmpty, let line = debt.line(clock: overview.clock) else { return [] }
        let label = debt.interruptedErasures > 0 ? "Erasures not finished, waiting for handlet dsr erase --finish"
            : "Removed text still in the search, waiting for handlet purge"
        return [AttentionItem(label: label, count: debt.interruptedErasures > 0 ? debt.interruptedErasures : debt.indexes.count,
                              destination: .screen(.retention), isWarning: true, details: [line])]
    }

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> RetentionTab { RetentionTab(context: context) }

    let context: ConsoleContext
    private var overview: RetentionOverview?
    /// Read with the overview, so drawing a frame reads nothing from the database.
    private var clock: BrowseClock?
    private var loadError: String?
    private var focus = Field.recording
    private var periodChoice = ChoiceField("Period", options: [])
    private var customDays = TextInputState("", maxLength: 4)
    /// The text periods as typed: empty is off.
    private var transcriptDays = TextInputState("", maxLength: 4)
    private var messageDays = TextInputState("", maxLength: 4)
    private var modal: Modal?
    private let keys: KeyMap<Action>
    private let daysKeys: KeyMap<DaysAction>
    private let textKeys: KeyMap<TextDaysAction>
    private let holdKeys: KeyMap<HoldAction>
    /// The hold selected in the list, while `focus` is `.holds`.
    private var selectedHold = 0

    private enum Field: CaseIterable { case recording, period, custom, transcripts, messages, holds }

    private enum Modal {
        case confirmShortening(ConfirmDialog, ChangePlan<RetentionSettings.PeriodChange>)
        case confirmText(ConfirmDialog, ChangePlan<TextRetentionSettings.Change>)
        case disableRecording(OptionDialog)
        case releaseHold(ReasonedChange<LegalHold.Released>)
    }

    static let customLabel = "Custom…"

    init(context: ConsoleContext) {
        self.context = context
        keys = Self.table.resolved(context.keys)
        daysKeys = Self.daysTable.resolved(context.keys)
        textKeys = Self.textDaysTable.resolved(context.keys)
        holdKeys = Self.holdsTable.resolved(context.keys)
    }

    private var onTextField: Bool { focus == .transcripts || focus == .messages }
    var capturesText: Bool { modal != nil || focus == .custom || onTextField }
    var helpEntries: [HelpEntry] {
        if onTextField { return textKeys.help(for: context.actor) }
        if focus == .holds { return holdKeys.help(for: context.actor, disabledReason: { self.holdRefusals[$0] }) }
        return focus == .custom ? daysKeys.help(for: context.actor) : keys.help(for: context.actor)
    }
    var status: String {
        guard let overview else { return "" }
        return "recording \(overview.recordingEnabled ? "on" : "off") · \(overview.period)"
    }

    /// The domain's refusal of a settings change for this actor (read with the overview), which
    /// makes the form read only.
    private var changeRefusal: String?
    private var mayChange: Bool { changeRefusal == nil }
    /// Why the acting user may not release a hold (the role), read with the overview to dim `U`.
    private var holdRefusals: [HoldAction: String] = [:]
    private var holds: [LegalHold.Held] { overview?.onHold ?? [] }

    mutating func activate() { load() }

    private mutating func load() {
        do {
            let loaded = try context.session.read(.retentionOverview(now: context.now()))
            overview = loaded
            changeRefusal = context.refusal(of: .setRetentionPeriod(loaded.period))
            holdRefusals = [:]
            if let first = loaded.onHold.first {
                holdRefusals[.release] = context.refusal(of: .releaseLegalHold(onCall: first.callId, reason: "planned"))
            }
            selectedHold = min(selectedHold, max(0, loaded.onHold.count - 1))
            if loaded.onHold.isEmpty && focus == .holds { focus = .period }
            clock = BrowseClock.console(context)
            loadError = nil
            let presets = RetentionPeriod.presets
            // A saved custom period reads as itself ("45 days (custom)"), not as "Custom…".
            let labels = presets.map(\.description) + [loaded.period.isPreset ? Self.customLabel : "\(loaded.period) (custom)"]
            let index = presets.firstIndex(of: loaded.period) ?? presets.count
            periodChoice = ChoiceField("Period", options: labels, selectedIndex: index)
            if !loaded.period.isPreset { customDays.setText(String(loaded.period.days)) }
            transcriptDays.setText(loaded.textRetention.transcripts.map { String($0.days) } ?? "")
            messageDays.setText(loaded.textRetention.messages.map { String($0.days) } ?? "")
        } catch {
            loadError = "Could not read the retention settings: \(error)"
        }
    }

    // MARK: Drawing

    func render(into grid: inout Grid, area: Rect) {
        let inner = area.inset(horizontal: 2, vertical: 1)
        if let loadError { grid.put(loadError, x: inner.x, y: inner.y, style: .error, maxWidth: inner.width); return }
        guard let overview, let clock else { return }
        var y = inner.y
        func line(_ spans: StyledLine) {
            guard y < inner.maxY else { return }
            grid.put(spans, x: inner.x, y: y, maxWidth: inner.width)
            y += 1
        }
        line([Span("Settings", .header)] + (mayChange ? [] : [Span("  read only: changing retention needs the owner or admin role", .dim)]))
        let row = { (y: Int) in Rect(x: inner.x, y: y, width: inner.width, height: 1) }
        ToggleField("Recording", isOn: overview.recordingEnabled, isEnabled: mayChange)
            .render(into: &grid, area: row(y), labelWidth: 16, focused: focus == .recording)
        y += 1
        periodChoice.render(into: &grid, area: row(y), labelWidth: 16, focused: focus == .period)
        let pending = pendingPeriod
        if let pending = try? pending.get(), pending != overview.period {
            grid.put(keys.hint(.apply, "to save") + " (now \(overview.period))", x: inner.x + 36, y: y, style: .warning, maxWidth: inner.width - 36)
        }
        y += 1
        if isCustomSelected {
            var days = customDays
            NumberField("  Days", range: RetentionPeriod.validDays, unit: "days")
                .render(into: &grid, area: row(y), labelWidth: 16, state: &days, focused: focus == .custom)
            y += 1
        }
        for (kind, label, field) in [(TextKind.transcripts, "Call text", Field.transcripts), (.messages, "Message text", .messages)] {
            guard y < inner.maxY else { break }
            var days = kind == .transcripts ? transcriptDays : messageDays
            NumberField(label, range: TextRetentionPeriod.validDays, unit: "days")
                .render(into: &grid, area: row(y), labelWidth: 16, state: &days, focused: focus == field)
            let saved = overview.textRetention[kind]
            // The field writes its unit and range (or its error) after the input; an empty field
            // is not an error here but "off", said in that place instead.
            let area = row(y)
            let hintX = area.x + 16 + 1 + max(1, min(8, area.width - 17)) + 1
            var noteX = hintX
            if days.text.isEmpty {
                grid.put(String(repeating: " ", count: max(0, area.maxX - hintX)), x: hintX, y: y, style: .normal,
                         maxWidth: max(0, area.maxX - hintX))
                let off = "off: kept until deleted (30–3650 days to set)"
                grid.put(off, x: hintX, y: y, style: .dim, maxWidth: max(0, area.maxX - hintX))
                noteX += off.count + 2
            } else {
                noteX += "days (30–3650)".count + 2
            }
            if days.text != (saved.map { String($0.days) } ?? ""), case .success = NumberField(label, range: TextRetentionPeriod.validDays).validate(days) {
                grid.put(textKeys.hint(.save, "to save") + " (now \(saved.map(\.description) ?? "off"))", x: noteX, y: y,
                         style: .warning, maxWidth: max(0, area.maxX - noteX))
            } else if days.text.isEmpty, saved != nil {
                grid.put(textKeys.hint(.save, "to save") + " (now \(saved!.description))", x: noteX, y: y,
                         style: .warning, maxWidth: max(0, area.maxX - noteX))
            }
            y += 1
        }
        y += 1
        line([Span("Recordings", .header)])
        let next = overview.nextExpiry.map { DisplayText.timestamp($0, clock: clock) } ?? "none can expire"
        line(Self.fact("Next expiry", next))
        line(Self.fact("Due now", RetentionText.dueNow(overview.dueNow), overview.dueNow.recordings > 0 ? .warning : .normal))
        line(Self.fact("Expiring in \(DisplayText.count(overview.expiringSoon.days, "day"))",
                       RetentionText.recordings(overview.expiringSoon.recordings, bytes: overview.expiringSoon.bytes)))
        let minutes = BackgroundPurge.checkInterval.components.seconds / 60
        line(Self.fact("Next purge", "within \(minutes) min of expiry while open, else at the next handlet purge"))
        line(Self.fact("Last purge", RetentionText.lastPurge(overview.lastPurge) { DisplayText.timestamp($0, clock: clock) }))
        if overview.textDue.calls > 0 || overview.textDue.messages > 0 {
            line(Self.fact("Text due now", "\(DisplayText.count(overview.textDue.calls, "call")) and "
                           + "\(DisplayText.count(overview.textDue.messages, "message")) lose their text at the next purge", .warning))
        }
        if let owed = overview.searchDebt.what(clock: clock) {
            // A running erasure owes nothing: said plainly, not as a warning.
            let running = overview.searchDebt.isEmpty
            line(Self.fact(running ? "Search" : "Search debt", owed, running ? .normal : .warning))
            line(Self.fact("", overview.searchDebt.pays, running ? .normal : .warning))
        }
        y += 1
        line([Span("On legal hold (\(overview.onHold.count))", .header), Span("  never expire until released (on the call itself, or handlet release CALL)", .dim)])
        if overview.onHold.isEmpty { line([Span("  none", .dim)]) }
        if !overview.onHold.isEmpty, y < inner.maxY {
            var table = Table(columns: LegalHold.Held.columns.tableColumns)
            table.showsSelection = focus == .holds
            let rows = overview.onHold.map { LegalHold.Held.columns.tableRow($0, clock: clock) }
            table.render(into: &grid, area: Rect(x: inner.x + 2, y: y, width: inner.width - 2, height: min(rows.count + 1, inner.maxY - y)),
                         state: TableState(selected: focus == .holds ? selectedHold : 0), source: ArrayTableSource(rows))
        }
        switch modal {
        case .confirmShortening(let dialog, _): dialog.render(into: &grid, area: area)
        case .confirmText(let dialog, _): dialog.render(into: &grid, area: area)
        case .disableRecording(let dialog): dialog.render(into: &grid, area: area)
        case .releaseHold(let question): question.render(into: &grid, area: area)
        case nil: break
        }
    }

    static func fact(_ label: String, _ value: String, _ style: Style = .normal) -> StyledLine {
        [Span(label.padding(toLength: 20, withPad: " ", startingAt: 0), .dim), Span(value, style)]
    }

    private var isCustomSelected: Bool { periodChoice.selectedIndex == RetentionPeriod.presets.count }

    /// The period the form shows, validated by the domain's rule.
    private var pendingPeriod: Result<RetentionPeriod, Error> {
        if isCustomSelected {
            return Result { try RetentionPeriod(parsing: customDays.text) }
        }
        return .success(RetentionPeriod.presets[min(periodChoice.selectedIndex, RetentionPeriod.presets.count - 1)])
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        if onTextField {
            switch key.typesText ? .unbound : textKeys.press(key, by: context.actor) {
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.leave, _): focus = .period
            case .action(.previous, _): focus = focus == .messages ? .transcripts : .period
            case .action(.next, _): focus = focus == .transcripts || holds.isEmpty ? .messages : .holds
            case .action(.save, _): return saveText(focus == .transcripts ? .transcripts : .messages)
            case .unbound:
                let field = NumberField("", range: TextRetentionPeriod.validDays)
                if focus == .transcripts { _ = field.handle(key, state: &transcriptDays) } else { _ = field.handle(key, state: &messageDays) }
            }
            return .handled
        }
        if focus == .custom {
            switch key.typesText ? .unbound : daysKeys.press(key, by: context.actor) {
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.leave, _): focus = .period
            case .action(.save, _): return savePeriod()
            case .unbound:
                // Digits type; other characters would not make a number.
                if case .char(let c) = key, !c.isNumber { return .handled }
                _ = customDays.handle(key, keys: context.keys)
            }
            return .handled
        }
        if focus == .holds { return handleHolds(key) }
        switch keys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.previousField, _): focus = focus == .custom ? .period : .recording
        case .action(.nextField, _):
            if focus == .recording { focus = .period } else if isCustomSelected { focus = .custom } else if !holds.isEmpty { focus = .holds }
        // Choosing Custom means typing the days next: the field takes the focus.
        case .action(.shorter, _): if focus == .period { _ = periodChoice.handle(.left); if isCustomSelected { focus = .custom } }
        case .action(.longer, _): if focus == .period { _ = periodChoice.handle(.right); if isCustomSelected { focus = .custom } }
        case .action(.apply, _):
            switch focus {
            case .recording: return toggleRecording()
            case .period, .custom: return savePeriod()
            case .transcripts: return saveText(.transcripts)
            case .messages: return saveText(.messages)
            case .holds: return .handled
            }
        case .action(.textPeriods, _): focus = .transcripts
        case .action(.refresh, _): load()
        }
        return .handled
    }

    /// The list of holds: move, open the call, or release the selected one (asks why, then confirms).
    private mutating func handleHolds(_ key: Key) -> TabResponse {
        switch holdKeys.press(key, by: context.actor, disabledReason: { self.holdRefusals[$0] }) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.previous, _):
            if selectedHold == 0 { focus = .period } else { selectedHold -= 1 }
        case .action(.next, _): selectedHold = min(selectedHold + 1, max(0, holds.count - 1))
        case .action(.leave, _): focus = .period
        case .action(.open, _):
            guard holds.indices.contains(selectedHold) else { return .handled }
            return .navigate(.call(id: holds[selectedHold].callId, highlight: nil))
        case .action(.release, _):
            guard holds.indices.contains(selectedHold) else { return .handled }
            let held = holds[selectedHold]
            if let refusal = context.refusal(of: .releaseLegalHold(onCall: held.callId, reason: "planned")) { return .flash(refusal, isError: true) }
            let id = held.callId
            modal = .releaseHold(ReasonedChange(title: "Release the legal hold on \(held.callExternalId)", keys: context.keys) {
                .releaseLegalHold(onCall: id, reason: $0)
            })
        }
        return .handled
    }

    private mutating func toggleRecording() -> TabResponse {
        guard let overview else { return .handled }
        if overview.recordingEnabled {
            // Deleting at once is one of the two answers, so its plan (what it deletes, what stays
            // on hold) is read now; choosing it is the confirmation its plan asks for.
            let deleting: ChangePlan<RetentionSettings.RecordingSwitch>
            switch context.plan(.disableRecording(existing: .deleteNow)) {
            case .ready(let plan): deleting = plan
            case .refused(let reason): return .flash(reason, isError: true)
            case .failed(let problem): return .flash(problem, isError: true)
            }
            var what = "the recordings already stored", held = 0
            if case .recordingsDeletedNow(let stored, let keptOnHold)? = deleting.preview {
                what = "the \(DisplayText.count(stored.recordings, "recording")) already stored"
                held = keptOnHold
            }
            modal = .disableRecording(OptionDialog(
                title: "Turn recording off",
                message: "Calls from now on keep no audio. What should happen to \(what)"
                    + (held > 0 ? " (\(DisplayText.count(held)) on legal hold stay)?" : "?"),
                options: ["Keep each until it expires", "Delete them at once (legal holds stay)"], keys: context.keys))
            return .handled
        }
        switch context.plan(.enableRecording) {
        case .ready(let plan): return change(plan, confirmed: false) { _ in "Recording is on: new calls are recorded" }
        case .refused(let reason): return .flash(reason, isError: true)
        case .failed(let problem): return .flash(problem, isError: true)
        }
    }

    private mutating func savePeriod() -> TabResponse {
        let period: RetentionPeriod
        switch pendingPeriod {
        case .success(let value): period = value
        case .failure(let error): return .flash("\(error)", isError: true)
        }
        // The role first, then whether the period changes: a viewer hears what they may not do.
        let planned: ChangePlan<RetentionSettings.PeriodChange>
        switch context.plan(.setRetentionPeriod(period)) {
        case .ready(let plan): planned = plan
        case .refused(let reason): return .flash(reason, isError: true)
        case .failed(let problem): return .flash(problem, isError: true)
        }
        guard let overview, period != overview.period else { return .flash("The period is already \(period)", isError: false) }
        if let question = planned.confirmation {
            modal = .confirmShortening(ConfirmDialog(title: question.title, message: planned.preview?.summary ?? question.question,
                                                     confirmLabel: question.confirmLabel, isDestructive: question.isDestructive), planned)
            return .handled
        }
        return commitPeriod(planned, confirmed: false)
    }

    /// Saves what the text field of `kind` shows (empty: off), through the same plan and question
    /// as the audio period: turning a period on or shortening it shows what goes and asks first.
    private mutating func saveText(_ kind: TextKind) -> TabResponse {
        let typed = (kind == .transcripts ? transcriptDays : messageDays).text.trimmingCharacters(in: .whitespaces)
        let period: TextRetentionPeriod?
        do { period = typed.isEmpty ? nil : try TextRetentionPeriod(parsing: typed) } catch { return .flash("\(error)", isError: true) }
        let planned: ChangePlan<TextRetentionSettings.Change>
        switch context.plan(.setTextRetention(kind, to: period)) {
        case .ready(let plan): planned = plan
        case .refused(let reason): return .flash(reason, isError: true)
        case .failed(let problem): return .flash(problem, isError: true)
        }
        guard let overview, period != overview.textRetention[kind] else {
            return .flash("The retention of \(kind.label) is already \(TextRetentionPeriod.describe(period))", isError: false)
        }
        if let question = planned.confirmation {
            modal = .confirmText(ConfirmDialog(title: question.title, message: planned.preview?.summary ?? question.question,
                                               confirmLabel: question.confirmLabel, isDestructive: question.isDestructive), planned)
            return .handled
        }
        return change(planned, confirmed: false) { change in
            "Retention of \(change.kind.label): \(TextRetentionPeriod.describe(change.to))"
        }
    }

    private mutating func commitPeriod(_ plan: ChangePlan<RetentionSettings.PeriodChange>, confirmed: Bool) -> TabResponse {
        let response = change(plan, confirmed: confirmed) { change in
            "Retention is \(change.to); \(DisplayText.count(change.recordingsRedated, "recording")) re-dated"
        }
        // Saved (or waiting for a busy workspace): back to the picker, which reads "45 days (custom)"
        // once saved, so digits switch tabs again.
        if case .flash(_, isError: true) = response {} else { focus = .period }
        return response
    }

    private mutating func handleModal(_ current: Modal, _ key: Key) -> TabResponse {
        switch current {
        case .confirmShortening(var dialog, let plan):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .confirmShortening(dialog, plan); return .handled
            case .cancelled?: modal = nil; load(); return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .confirmed?: modal = nil; return commitPeriod(plan, confirmed: true)
            }
        case .confirmText(var dialog, let plan):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .confirmText(dialog, plan); return .handled
            case .cancelled?: modal = nil; load(); return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .confirmed?:
                modal = nil
                return change(plan, confirmed: true) { change in
                    "Retention of \(change.kind.label): \(TextRetentionPeriod.describe(change.to)); "
                        + "\(DisplayText.count(change.impact.items, change.kind == .transcripts ? "call" : "message")) go at the next purge"
                }
            }
        case .releaseHold(var question):
            switch question.handle(key, context: context) {
            case .open: modal = .releaseHold(question); return .handled
            case .cancelled(let declined): modal = nil; return declined.map { .flash($0, isError: false) } ?? .handled
            case .failed(let problem): modal = nil; load(); return .flash(problem, isError: true)
            case .approved(let command):
                modal = nil
                let clock = self.clock ?? BrowseClock.console(context)
                let outcome = context.changes.perform(command, about: .retention, context: context) { released in
                    "Legal hold released on \(released.callExternalId); "
                        + (released.dueAtNextPurge ? "its expiry has passed, so the next purge deletes it"
                            : "it expires \(DisplayText.zonedTimestamp(released.expiresAt, clock: clock))")
                }
                load()
                switch outcome {
                case .done(_, let text): return .flash(text, isError: false)
                case .failed(let text): return .flash(text, isError: true)
                case .waiting: return .handled
                }
            }
        case .disableRecording(var dialog):
            switch dialog.handle(key) {
            case .open: modal = .disableRecording(dialog); return .handled
            case .cancelled: modal = nil; return .flash("Recording stays on", isError: false)
            case .chose(let index):
                modal = nil
                let existing: RetentionSettings.ExistingRecordings = index == 0 ? .keepUntilExpiry : .deleteNow
                let planned: ChangePlan<RetentionSettings.RecordingSwitch>
                switch context.plan(.disableRecording(existing: existing)) {
                case .ready(let plan): planned = plan
                case .refused(let reason): return .flash(reason, isError: true)
                case .failed(let problem): return .flash(problem, isError: true)
                }
                return change(planned, confirmed: existing == .deleteNow) { change in
                        existing == .deleteNow
                            ? "Recording is off; \(DisplayText.count(change.markedForDeletion, "recording")) \(change.markedForDeletion == 1 ? "goes" : "go") at the next purge"
                                + (change.keptOnHold > 0 ? " (\(change.keptOnHold) on hold stay)" : "")
                            : "Recording is off; stored recordings stay until they expire"
                    }
            }
        }
    }

    /// Runs a planned change as answered; a refusal (the role, a rule, checked again in the
    /// transaction) comes back as a red flash and changes nothing. When another process is
    /// writing it waits in the background (`ConsoleChanges`): the status bar says so, and the tab
    /// re-reads when it lands.
    private mutating func change<T: Sendable>(_ plan: ChangePlan<T>, confirmed: Bool,
                                              _ describe: @escaping @Sendable (T) -> String) -> TabResponse {
        let command: WorkspaceCommand<T>
        do { command = try plan.approved(confirmed: confirmed) } catch { load(); return .flash("\(error)", isError: true) }
        let outcome = context.changes.perform(command, about: .retention, context: context, describe: describe)
        load()
        switch outcome {
        case .done(_, let text): return .flash(text, isError: false)
        case .failed(let text): return .flash(text, isError: true)
        case .waiting: return .handled
        }
    }

    mutating func perform(_ command: Command) -> TabResponse {
        load()
        guard let overview else { return .ignored }
        switch command {
        case .disable where overview.recordingEnabled, .enable where !overview.recordingEnabled:
            focus = .recording
            return toggleRecording()
        case .disable: return .flash("Recording is already off", isError: false)
        case .enable: return .flash("Recording is already on", isError: false)
        case .period(let period):
            // The form shows the period asked for, then saves it as Enter would (asking before a shortening).
            modal = nil
            if let preset = RetentionPeriod.presets.firstIndex(of: period) {
                periodChoice.selectedIndex = preset
                focus = .period
            } else {
                periodChoice.selectedIndex = RetentionPeriod.presets.count
                customDays.setText(String(period.days))
                focus = .custom
            }
            return savePeriod()
        }
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        if let activity = message as? BackgroundActivity, activity.isFinished { load(); return true }
        if let change = message as? ChangeStatus, change.subject == .retention, case .finished = change.phase { load(); return true }
        return false
    }
}
