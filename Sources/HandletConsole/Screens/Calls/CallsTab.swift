import Foundation
import HandletDomain
import TerminalUI

/// Calls, newest first: a virtual list over every call, and a call's detail.
struct CallsTab: RegisteredScreen {
    static let id = ScreenID.calls
    static let title = "Calls"
    static let tabLabel = "Calls"
    static let shows: Set<DestinationKind> = [.call, .calls]
    static let narrows: ListNarrowing? = ListNarrowing(matches: "a name, an email, a number or a call id")

    enum Command: Sendable { case filter, clear, apply(CallFilter), showColumns, unsort }
    static let palette: [(title: String, command: Command)] = [("Calls: filter…", .filter), ("Calls: clear filters", .clear),
                                                               ("Calls: show every column", .showColumns),
                                                               ("Calls: newest first (no sort)", .unsort)]
    static let paletteArguments: [PaletteArgument<Command>] = [
        PaletteArgument("hold", "REASON", "place a legal hold on the open call", .answer(action: "hold")),
        PaletteArgument("release", "REASON", "release the open call's legal hold (then confirm)", .answer(action: "release")),
        PaletteArgument("save", "FILE", "save the open call's recording to a file", .answer(action: "save")),
        PaletteArgument("filter", "FIELD=VALUE…", "calls by outcome, direction, handled, recording", .command { text in
            Result { .apply(try CallFilter(parsing: text)) }.mapError { PaletteArgumentError("\($0)") }
        }),
    ]

    static func attention(_ overview: Overview) -> [AttentionItem] {
        [AttentionItem(label: "Missed calls, last 7 days", count: overview.missedCallsLast7Days,
                       destination: .calls(CallFilter(dateRange: .last7Days, outcomes: [.missed])), isWarning: overview.missedCallsLast7Days > 0),
         AttentionItem(label: "Callbacks requested, last 7 days", count: overview.callbacksRequestedLast7Days,
                       destination: .calls(CallFilter(dateRange: .last7Days, outcomes: [.callbackRequested])),
                       isWarning: overview.callbacksRequestedLast7Days > 0)]
    }

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> CallsTab { CallsTab(context: context) }

    let context: ConsoleContext
    private var clock: BrowseClock
    private(set) var list: FilteredList<CallPage>
    private var detail: Detail?
    /// The tab's size from the last layout; nil before the first.
    private var size: Size?
    private let listKeys: KeyMap<ListKey>
    private let markedListKeys: KeyMap<ListKey>
    private let detailKeys: KeyMap<DetailKey>
    /// The recording playing now (in the background, so the transcript can be read meanwhile):
    /// stopped by `P` again, by leaving the call, or when the console closes.
    private var playing: (call: Call.ID, task: Task<Void, Never>)?
    /// Columns the user hid (by header): their preference, read when the tab first shows and
    /// saved when `c` or `C` changes it (issue 25: kept across runs, per user).
    private var hiddenColumns: Set<String> = []
    /// Whether the user's preferences were read (once, when the tab first shows: not at start-up).
    private var preferencesRead = false
    /// The header `s` sorts and `c` hides: underlined in the table.
    private var focusedHeader = "When"
    /// The underline shows once a column key or a sort was used (before, `s` sorts by When).
    private var showsFocus = false
    /// The list's columns at its last width.
    private var shownColumns: [CallColumn] = CallsTab.visibleColumns(width: 80, hidden: [])
    /// Calls marked with Space, for the actions on several at once; kept across paging and sorting.
    private(set) var marks: Set<Call.ID> = []
    /// Asking for the reason of a hold on every marked call.
    private var markedHoldPrompt: TextPrompt?
    /// Whether that prompt asks why the marked calls' holds are released (else why they are placed).
    private var markedPromptReleases = false
    /// The domain's question before holds on the marked calls are placed or released.
    private var markedQuestion: (dialog: ConfirmDialog, plan: MarkedPlan)?
    private enum MarkedPlan { case hold(ChangePlan<[LegalHold.Held]>), release(ChangePlan<[LegalHold.Released]>) }
    /// The user's choice: the preview beside the list at 160 columns and wider.
    private var previewWanted = true
    /// The selected call beside the list, at wide sizes.
    private var preview: Detail?
    /// The selection moved since the preview was read: it is read once the keys settle (`idle`),
    /// so holding `j` moves the list at list speed (a call's detail and waveform cost ~6 ms).
    private var previewDue = false

    /// The split's threshold: narrower terminals show the list alone.
    static let previewMinimumWidth = 160

    private struct Detail {
        var view: CallDetailView
        var scroll = ScrollState()
        /// Scroll to the first search hit at the next layout (the lines, so the hit's line, depend on the width).
        var pendingHit: Bool
        /// The view's lines at `width`, from the last layout.
        var lines: [StyledLine] = []
        var width: Int?
        /// Asking for a legal hold's reason.
        var holdPrompt: TextPrompt?
        /// Asking why the hold ends, then whether to release it.
        var releaseQuestion: ReasonedChange<LegalHold.Released>?
        /// Asking where to save the recording.
        var savePrompt: TextPrompt?
        /// Asking before the call's summary and transcript are deleted.
        var deleteQuestion: (dialog: ConfirmDialog, plan: ChangePlan<TextDeletion.Deleted>)?
        /// Why the acting user may not place or release a hold on this call now (the role, no
        /// stored recording, already held or not held): the domain's plans, asked when the call
        /// opens, so help and the footer dim those keys with the reason without reading per frame.
        var refusals: [DetailAction: String] = [:]

        /// The lines for a width: those laid out, or (drawn before any layout) wrapped now.
        func lines(width: Int) -> [StyledLine] { width == self.width ? lines : view.lines(width: width).lines }
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        list = FilteredList(name: "Calls", list: CallPage(clock: clock), clock: clock, columns: Self.columns,
                            narrowing: Self.narrows!, context: context)
        listKeys = Self.listKeys(context.keys)
        markedListKeys = Self.listKeys(context.keys, marked: true)
        detailKeys = Self.detailKeys(context.keys)
    }

    var capturesText: Bool {
        list.isEditing || detail?.holdPrompt != nil || detail?.releaseQuestion != nil || detail?.deleteQuestion != nil
            || detail?.savePrompt != nil || markedHoldPrompt != nil || markedQuestion != nil
    }
    var searchScope: SearchScope { SearchScope(calls: list.filter, messages: nil) }

    var helpEntries: [HelpEntry] {
        if list.isTypingFilter { return ListFilterLine.table.resolved(context.keys).help(for: context.actor) }
        guard let detail else { return currentListKeys.help(for: context.actor) }
        return detailKeys.help(for: context.actor, disabledReason: { Self.refusal(of: $0, in: detail) })
    }

    private var currentListKeys: KeyMap<ListKey> { marks.isEmpty ? listKeys : markedListKeys }

    var status: String {
        if detail != nil { return playing != nil ? "call detail · playing" : "call detail" }
        return marks.isEmpty ? list.positionText : "\(marks.count) marked · " + list.positionText
    }
    var crumb: String {
        guard let call = detail?.view.detail else { return title }
        return "Call · " + (call.contact?.name ?? DisplayText.shortTime(call.call.startedAt, clock: clock))
    }

    mutating func activate() { readPreferences(); list.refresh(context); loadPreview() }

    /// The hidden columns the user chose in an earlier run.
    private mutating func readPreferences() {
        guard !preferencesRead else { return }
        preferencesRead = true
        guard let saved = (try? context.session.read(.myPreferences))?[UserPreferences.callsHiddenColumns] else { return }
        hiddenColumns = Set(saved.split(separator: ",").map(String.init))
        updateColumns()
    }

    /// Saves the hidden columns for the next run; nil when saved, else why not (they stay hidden for this run).
    private mutating func saveHiddenColumns() -> String? {
        let value = hiddenColumns.isEmpty ? nil : hiddenColumns.sorted().joined(separator: ",")
        switch context.changes.perform(.setPreference(UserPreferences.callsHiddenColumns, to: value), about: .callsColumns,
                                       context: context, describe: { _ in "The Calls columns are saved for next time" }) {
        case .failed(let problem): return "Not saved for next time: \(problem)"
        case .done, .waiting: return nil
        }
    }

    private mutating func reload(filter: CallFilter) { list.reload(filter: filter, context); loadPreview() }

    // MARK: Layout and drawing

    mutating func layout(_ size: Size) {
        self.size = size
        let listWidth = showsPreview(width: size.width) ? Self.listWidth(total: size.width) : size.width
        list.layout(Size(width: listWidth, height: size.height))
        updateColumns(width: listWidth)
        if showsPreview(width: size.width) {
            loadPreview()
            layoutPreview(Size(width: size.width - listWidth - 1, height: size.height - 1))
        }
        guard var current = detail else { return }
        let width = Self.detailArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height)).width
        if current.width != width || current.pendingHit {
            let (lines, firstHit) = current.view.lines(width: width)
            current.lines = lines
            current.width = width
            if current.pendingHit, let firstHit {
                // Put the hit a few lines below the top, so its context shows above it.
                current.scroll.offset = max(0, firstHit - 3)
            }
            current.pendingHit = false
        }
        current.scroll.fit(contentHeight: current.lines.count, pageHeight: size.height)
        detail = current
    }

    /// Lays the tab out again at its last size, after its state changed (a detail opened).
    private mutating func relayout() { if let size { layout(size) } }

    func render(into grid: inout Grid, area: Rect) {
        if let detail {
            let inner = Self.detailArea(in: area)
            renderLines(detail.lines(width: inner.width), into: &grid, area: inner, state: detail.scroll)
            detail.holdPrompt?.render(into: &grid, area: area)
            detail.releaseQuestion?.render(into: &grid, area: area)
            detail.savePrompt?.render(into: &grid, area: area)
            detail.deleteQuestion?.dialog.render(into: &grid, area: area)
        } else {
            let clock = self.clock
            let columns = shownColumns
            let marks = self.marks
            let showsPreview = self.showsPreview(width: area.width)
            let listArea = showsPreview ? Rect(x: area.x, y: area.y, width: Self.listWidth(total: area.width), height: area.height) : area
            list.render(into: &grid, area: listArea, context: [AnyHashable(clock), AnyHashable(marks)]) {
                Self.tableRow($0, columns: columns, marked: marks.isEmpty ? nil : marks.contains($0.id), clock: clock)
            }
            if showsPreview {
                let x = listArea.maxX
                for y in area.y..<area.maxY { grid.put("│", x: x, y: y, style: .border) }
                // A header beside the table's, then the call from the row below it.
                grid.fill(Rect(x: x + 1, y: area.y, width: area.maxX - x - 1, height: 1), style: .header)
                grid.put("Preview", x: x + 2, y: area.y, style: .header, maxWidth: area.maxX - x - 3)
                let previewArea = Rect(x: x + 2, y: area.y + 1, width: area.maxX - x - 3, height: area.height - 1)
                if let preview {
                    renderLines(preview.lines(width: previewArea.width), into: &grid, area: previewArea, state: preview.scroll)
                }
            }
            markedHoldPrompt?.render(into: &grid, area: area)
            markedQuestion?.dialog.render(into: &grid, area: area)
        }
        list.renderEditor(into: &grid, area: area)
    }

    private static func detailArea(in area: Rect) -> Rect { area.inset(horizontal: 2, vertical: 0) }

    // MARK: Columns, sort, preview

    /// The list's share of a split screen.
    static func listWidth(total: Int) -> Int { total * 11 / 20 }

    private func showsPreview(width: Int) -> Bool { previewWanted && detail == nil && width >= Self.previewMinimumWidth }

    /// The columns for the list's width, with the sort's ▲/▼ and the underlined column.
    private mutating func updateColumns(width: Int? = nil) {
        let listWidth = width ?? size.map { showsPreview(width: $0.width) ? Self.listWidth(total: $0.width) : $0.width } ?? 80
        shownColumns = Self.visibleColumns(width: listWidth, hidden: hiddenColumns)
        if !shownColumns.contains(where: { $0.header == focusedHeader }) { focusedHeader = shownColumns[0].header }
        let offset = marks.isEmpty ? 0 : 1
        let sort = list.list.sort
        let sortIndex = sort.isDefault ? nil : shownColumns.firstIndex { $0.sort == sort.column }
        list.setColumns(Self.tableColumns(shownColumns, marks: !marks.isEmpty),
                        sort: sortIndex.map { ($0 + offset, !sort.descending) },
                        focused: showsFocus ? shownColumns.firstIndex { $0.header == focusedHeader }.map { $0 + offset } : nil)
    }

    private mutating func moveFocus(by delta: Int) {
        guard let index = shownColumns.firstIndex(where: { $0.header == focusedHeader }) else { return }
        showsFocus = true
        focusedHeader = shownColumns[(index + delta + shownColumns.count) % shownColumns.count].header
        updateColumns()
    }

    /// `s`: ascending, then descending, then back to newest first.
    private mutating func cycleSort() -> TabResponse {
        guard let column = shownColumns.first(where: { $0.header == focusedHeader }) else { return .handled }
        guard let key = column.sort else { return .flash("The \(column.header) column does not sort.", isError: false) }
        showsFocus = true
        let current = list.list.sort
        let next: CallSort
        if current.column != key || current.isDefault && key != .when {
            next = CallSort(key, descending: false)
        } else if key == .when {
            // Time's own cycle starts from the default (newest first): oldest first, then back.
            next = current.descending ? CallSort(.when, descending: false) : .newestFirst
        } else {
            next = current.descending ? .newestFirst : CallSort(key, descending: true)
        }
        list.reload({ page in var page = page; page.sort = next; return page }, context)
        updateColumns()
        loadPreview()
        let words = next.isDefault ? "Newest first" : "Sorted by \(column.header), \(next.descending ? "descending" : "ascending")"
        return .flash(words + (next.column.isIndexed ? "" : " (this column is not indexed: each page sorts the matching calls)"),
                      isError: false)
    }

    private mutating func layoutPreview(_ size: Size) {
        guard var current = preview else { return }
        let width = max(1, size.width - 3)
        if current.width != width {
            current.lines = current.view.lines(width: width).lines
            current.width = width
        }
        current.scroll.fit(contentHeight: current.lines.count, pageHeight: size.height)
        preview = current
    }

    /// Asks for the selected call's preview: blanked at once when the selection moved (never
    /// another call's beside it), read when the keys settle.
    private mutating func loadPreview() {
        guard let size, showsPreview(width: size.width), let row = list.selectedRow else {
            preview = nil; previewDue = false; return
        }
        if preview?.view.detail.call.id == row.id { previewDue = false; return }
        preview = nil
        previewDue = true
    }

    mutating func idle() -> Bool {
        list.idle(context)
        guard previewDue else { return false }
        previewDue = false
        guard let size, showsPreview(width: size.width), let row = list.selectedRow,
              let call = try? context.session.read(.call(row.id, clock: clock))?.detail else { return false }
        let waveform = (try? context.session.waveform(of: call, buckets: Self.waveformResolution)) ?? .noRecording
        preview = Detail(view: CallDetailView(detail: call, waveform: waveform, clock: clock, hits: nil), pendingHit: false)
        layoutPreview(Size(width: size.width - Self.listWidth(total: size.width) - 1, height: size.height - 1))
        return true
    }

    /// Peaks read from the audio; the view merges them down to the screen's width.
    static let waveformResolution = 480

    // MARK: Keys

    mutating func handle(_ key: Key) -> TabResponse {
        if list.handleEditor(key, context) { loadPreview(); return .handled }
        if let current = detail {
            if var prompt = current.holdPrompt { return handleHoldPrompt(&prompt, key) }
            if var question = current.releaseQuestion { return handleReleaseQuestion(&question, key) }
            if var prompt = current.savePrompt { return handleSavePrompt(&prompt, key) }
            if let question = current.deleteQuestion { return handleDeleteQuestion(question, key) }
            switch detailKeys.press(key, by: context.actor, disabledReason: { Self.refusal(of: $0, in: current) }) {
            case .unbound: return .ignored
            // The plan is asked before the prompt opens: asking for a reason first would waste the user's typing.
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.detail(.back), _): stopPlaying(); detail = nil; return .back
            case .action(.detail(.play), _): return togglePlaying()
            case .action(.detail(.save), _):
                var prompt = TextPrompt(title: "Save the recording of \(current.view.detail.call.externalId)", label: "File ", keys: context.keys)
                prompt.input.setText(FileManager.default.currentDirectoryPath + "/" + Self.fileName(for: current.view.detail.call))
                detail?.savePrompt = prompt
                return .handled
            case .action(.detail(.next), _): return step(forward: true)
            case .action(.detail(.previous), _): return step(forward: false)
            case .action(.detail(.hold), _):
                detail?.holdPrompt = TextPrompt(title: "Legal hold on \(current.view.detail.call.externalId)", label: "Reason ",
                                                keys: context.keys)
                return .handled
            case .action(.detail(.release), _): openReleaseQuestion(); return .handled
            case .action(.detail(.deleteText), _):
                switch context.plan(.deleteCallText(current.view.detail.call.id!)) {
                case .ready(let plan):
                    guard let question = plan.confirmation else { return .handled }
                    detail?.deleteQuestion = (ConfirmDialog(title: question.title, message: plan.preview?.summary ?? question.question,
                                                            confirmLabel: question.confirmLabel, isDestructive: question.isDestructive), plan)
                    return .handled
                case .refused(let reason): return .flash(reason, isError: true)
                case .failed(let problem): return .flash(problem, isError: true)
                }
            case .action(.detail(.copyNumber), _):
                let call = current.view.detail.call
                return .copy(call.direction == .inbound ? call.fromNumber : call.toNumber, what: "the number")
            case .action(.detail(.copyID), _): return .copy(current.view.detail.call.externalId, what: "the call id")
            case .action(.detail(.copyTranscript), _):
                let turns = current.view.detail.transcript.map { "\($0.speaker.label): \($0.text)" }
                return .copy(turns.joined(separator: "\n"), what: "the transcript")
            case .action(.scroll(let move), _): detail?.scroll.apply(move); return .handled
            }
        }
        if var prompt = markedHoldPrompt { return handleMarkedHoldPrompt(&prompt, key) }
        if let question = markedQuestion { return handleMarkedQuestion(question, key) }
        switch currentListKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.list(.open), _): if let row = list.selectedRow { openDetail(id: row.id, highlight: nil) }
        case .action(.columns(.sort), _): return cycleSort()
        case .action(.columns(.nextColumn), _), .action(.move(.right), _): moveFocus(by: 1)
        case .action(.columns(.previousColumn), _), .action(.move(.left), _): moveFocus(by: -1)
        case .action(.columns(.hideColumn), _):
            guard shownColumns.count > 1 else { return .flash("The last column stays.", isError: false) }
            hiddenColumns.insert(focusedHeader)
            let hidden = focusedHeader
            updateColumns()
            if let problem = saveHiddenColumns() { return .flash(problem, isError: true) }
            return .flash("Hid \(hidden) (also next time); C shows every column again.", isError: false)
        case .action(.columns(.showColumns), _):
            hiddenColumns = []
            updateColumns()
            if let problem = saveHiddenColumns() { return .flash(problem, isError: true) }
        case .action(.columns(.preview), _):
            previewWanted.toggle()
            relayout()
            loadPreview()
            if let size, size.width < Self.previewMinimumWidth {
                return .flash("The preview shows at \(Self.previewMinimumWidth) columns and wider.", isError: false)
            }
        case .action(.columns(.mark), _):
            guard let row = list.selectedRow else { return .handled }
            if marks.remove(row.id) == nil { marks.insert(row.id) }
            updateColumns()
            list.move(.down)
            loadPreview()
        case .action(.marks(.clear), _):
            marks = []
            updateColumns()
            return .flash("Marks cleared.", isError: false)
        case .action(.marks(.hold), _):
            switch context.plan(.placeLegalHolds(onCalls: marks.sorted(), reason: "planned")) {
            case .refused(let reason), .failed(let reason): return .flash(reason, isError: true)
            case .ready:
                markedPromptReleases = false
                markedHoldPrompt = TextPrompt(title: "Legal hold on \(DisplayText.count(marks.count, "marked call"))",
                                              label: "Reason ", keys: context.keys)
            }
        case .action(.marks(.release), _):
            // Like one call's release: refused at once if it cannot be done, else why, then the question.
            switch context.plan(.releaseLegalHolds(onCalls: marks.sorted(), reason: "planned")) {
            case .refused(let reason), .failed(let reason): return .flash(reason, isError: true)
            case .ready:
                markedPromptReleases = true
                markedHoldPrompt = TextPrompt(title: "Release the legal hold on \(DisplayText.count(marks.count, "marked call"))",
                                              label: "Reason ", keys: context.keys)
            }
        case .action(.filter(let action), _): list.perform(action, context); loadPreview()
        case .action(.move(let move), _): list.move(move); loadPreview()
        }
        return .handled
    }

    /// `]` / `[` in a detail: the next or previous call of the list, opened in its place.
    private mutating func step(forward: Bool) -> TabResponse {
        if !list.loaded { reload(filter: list.filter) }
        guard list.step(forward ? .down : .up), let row = list.selectedRow else {
            return .flash(forward ? "This is the last call in the list." : "This is the first call in the list.", isError: false)
        }
        stopPlaying()
        openDetail(id: row.id, highlight: nil)
        return .handled
    }

    private mutating func handleMarkedHoldPrompt(_ prompt: inout TextPrompt, _ key: Key) -> TabResponse {
        switch prompt.handle(key) {
        case .open: markedHoldPrompt = prompt; return .handled
        case .cancelled: markedHoldPrompt = nil; return .handled
        case .answered(let reason) where markedPromptReleases:
            switch context.plan(.releaseLegalHolds(onCalls: marks.sorted(), reason: reason)) {
            case .refused(let problem), .failed(let problem):
                prompt.problem = problem
                markedHoldPrompt = prompt
            case .ready(let plan):
                markedHoldPrompt = nil
                ask(.release(plan), plan.confirmation)
            }
            return .handled
        case .answered(let reason):
            switch context.plan(.placeLegalHolds(onCalls: marks.sorted(), reason: reason)) {
            case .refused(let problem), .failed(let problem):
                prompt.problem = problem
                markedHoldPrompt = prompt
            case .ready(let plan):
                markedHoldPrompt = nil
                ask(.hold(plan), plan.confirmation)
            }
            return .handled
        }
    }

    /// Opens the domain's question about the marked calls.
    private mutating func ask(_ plan: MarkedPlan, _ question: Confirmation?) {
        guard let question else { return }
        markedQuestion = (ConfirmDialog(title: question.title, message: question.question, confirmLabel: question.confirmLabel,
                                        isDestructive: question.isDestructive), plan)
    }

    /// The answer to the question: the holds placed or released in one command (all of them or none).
    private mutating func handleMarkedQuestion(_ question: (dialog: ConfirmDialog, plan: MarkedPlan), _ key: Key) -> TabResponse {
        var dialog = question.dialog
        switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
        case nil: markedQuestion = (dialog, question.plan); return .handled
        case .cancelled?:
            markedQuestion = nil
            switch question.plan {
            case .hold(let plan): return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .release(let plan): return .flash(plan.confirmation?.declined ?? "", isError: false)
            }
        case .confirmed?:
            markedQuestion = nil
            let outcome: ConsoleChanges.Outcome<Void>
            do {
                switch question.plan {
                case .hold(let plan):
                    outcome = context.changes.perform(try plan.approved(confirmed: true), about: .legalHolds, context: context) { held in
                        held.count == 1 ? "1 recording is on legal hold" : "\(held.count) recordings are on legal hold"
                    }.withoutValue
                case .release(let plan):
                    outcome = context.changes.perform(try plan.approved(confirmed: true), about: .legalHolds, context: context) { released in
                        "Released \(DisplayText.count(released.count, "legal hold"))"
                    }.withoutValue
                }
            } catch {
                return .flash("\(error)", isError: true)
            }
            switch outcome {
            case .failed(let text): return .flash(text, isError: true)
            case .waiting: return .handled
            case .done(_, let text):
                marks = []
                list.refresh(context)
                updateColumns()
                preview = nil
                loadPreview()
                return .flash(text, isError: false)
            }
        }
    }

    private mutating func handleHoldPrompt(_ prompt: inout TextPrompt, _ key: Key) -> TabResponse {
        switch prompt.handle(key) {
        case .open: detail?.holdPrompt = prompt; return .handled
        case .cancelled: detail?.holdPrompt = nil; return .handled
        case .answered(let reason):
            let response = changeHold(reason: reason)
            if case .flash(let message, true) = response, detail?.holdPrompt != nil {
                prompt.problem = message
                detail?.holdPrompt = prompt
                return .handled
            }
            return response
        }
    }

    /// A file name for a call's recording: its external id, made safe for a path.
    static func fileName(for call: Call) -> String {
        String(call.externalId.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }).prefix(80) + ".wav"
    }

    /// Plays the open call's recording, or stops it. In the background, not in the foreground
    /// with the console suspended: a person listening reads the transcript along, as in a media
    /// player, and a player in the foreground would take the keyboard and the screen away.
    private mutating func togglePlaying() -> TabResponse {
        guard let current = detail, let id = current.view.detail.call.id else { return .handled }
        if let playing, playing.call == id {
            stopPlaying()
            return .flash("Stopped playing \(current.view.detail.call.externalId)", isError: false)
        }
        stopPlaying()
        let player: RecordingPlayer
        switch context.player {
        case .success(let found): player = found
        case .failure(let reason): return .flash(reason.description, isError: true)
        }
        let opened: RecordingAccess.Opened
        do { opened = try context.session.openRecordingForPlaying(ofCall: id) } catch { return .flash("\(error)", isError: true) }
        let post = context.post
        playing = (id, player.play(opened.file) { problem in post(PlaybackEnded(call: id, problem: problem)) })
        return .flash("Playing \(opened.callExternalId) with \((player.path as NSString).lastPathComponent); "
                      + (Self.detailTable.resolved(context.keys).keyLabel(.play).map { "\($0) stops" } ?? "stops on leaving the call"), isError: false)
    }

    private mutating func stopPlaying() {
        playing?.task.cancel()
        playing = nil
    }

    /// Where to save the recording: written through the domain (whole or not at all, audited);
    /// an existing file is refused, and the prompt stays open to type another name.
    private mutating func handleSavePrompt(_ prompt: inout TextPrompt, _ key: Key) -> TabResponse {
        switch prompt.handle(key) {
        case .open: detail?.savePrompt = prompt; return .handled
        case .cancelled: detail?.savePrompt = nil; return .handled
        case .answered(let path):
            guard let id = detail?.view.detail.call.id else { return .handled }
            let trimmed = path.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { prompt.problem = "Type where to save the file"; detail?.savePrompt = prompt; return .handled }
            let expanded = (trimmed as NSString).expandingTildeInPath
            do {
                let saved = try context.session.exportRecording(ofCall: id, to: URL(fileURLWithPath: expanded), overwrite: false)
                detail?.savePrompt = nil
                return .flash("Saved the recording of \(saved.callExternalId) to \(saved.path) (\(DisplayText.size(saved.bytes)))", isError: false)
            } catch RecordingAccessError.outputExists(let path) {
                prompt.problem = "Already exists, type another name: \(path)"
                detail?.savePrompt = prompt
                return .handled
            } catch let error as RecordingAccessError {
                prompt.problem = error.description
                detail?.savePrompt = prompt
                return .handled
            } catch {
                detail?.savePrompt = nil
                return .flash("\(error)", isError: true)
            }
        }
    }

    /// Asks why the hold ends (the key's plan was not refused), then the domain's question.
    private mutating func openReleaseQuestion() {
        guard let current = detail, let id = current.view.detail.call.id else { return }
        detail?.releaseQuestion = ReasonedChange(title: "Release the legal hold on \(current.view.detail.call.externalId)",
                                                 keys: context.keys) { .releaseLegalHold(onCall: id, reason: $0) }
    }

    /// The reason, then yes or no: released through the domain, then the call is shown as it now is.
    private mutating func handleReleaseQuestion(_ question: inout ReasonedChange<LegalHold.Released>, _ key: Key) -> TabResponse {
        switch question.handle(key, context: context) {
        case .open: detail?.releaseQuestion = question; return .handled
        case .cancelled(let declined):
            detail?.releaseQuestion = nil
            return declined.map { .flash($0, isError: false) } ?? .handled
        case .failed(let problem):
            detail?.releaseQuestion = nil
            return .flash(problem, isError: true)
        case .approved(let command):
            detail?.releaseQuestion = nil
            return changeHold(release: command)
        }
    }

    /// The answer to "delete this call's summary and transcript?": deleted through the domain
    /// (which checks the role and the rules again), then the call is shown as it now is.
    private mutating func handleDeleteQuestion(_ question: (dialog: ConfirmDialog, plan: ChangePlan<TextDeletion.Deleted>),
                                               _ key: Key) -> TabResponse {
        var dialog = question.dialog
        switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
        case nil: detail?.deleteQuestion = (dialog, question.plan); return .handled
        case .cancelled?:
            detail?.deleteQuestion = nil
            return .flash(question.plan.confirmation?.declined ?? "", isError: false)
        case .confirmed?:
            detail?.deleteQuestion = nil
            guard let current = detail else { return .handled }
            let command: WorkspaceCommand<TextDeletion.Deleted>
            do { command = try question.plan.approved(confirmed: true) } catch { return .flash("\(error)", isError: true) }
            let id = current.view.detail.call.id!
            switch context.changes.perform(command, about: .callText(id), context: context, describe: { deleted in
                "Deleted the summary and transcript of \(deleted.callExternalId ?? String(deleted.id))"
            }) {
            case .failed(let text): return .flash(text, isError: true)
            case .waiting: return .handled
            case .done(_, let text):
                reopenDetail(current)
                return .flash(text, isError: false)
            }
        }
    }

    /// The domain's answer for both hold keys on this call (the reason is asked after the key, so
    /// the plan is asked with a stand-in: only who acts and the recording's state decide here).
    private func holdRefusals(_ id: Call.ID) -> [DetailAction: String] {
        var refusals: [DetailAction: String] = [:]
        refusals[.hold] = context.refusal(of: .placeLegalHold(onCall: id, reason: "planned"))
        refusals[.release] = context.refusal(of: .releaseLegalHold(onCall: id, reason: "planned"))
        refusals[.deleteText] = context.refusal(of: .deleteCallText(id))
        // Playing and saving: the role and a stored recording (the domain's plan), then, for
        // playing, whether a player is offered here (not over SSH).
        let access = context.refusal(of: context.session.playing(call: id))
        refusals[.save] = access
        if case .failure(let reason) = context.player { refusals[.play] = access ?? reason.description } else { refusals[.play] = access }
        return refusals
    }

    private static func refusal(of key: DetailKey, in detail: Detail) -> String? {
        if case .detail(let action) = key { return detail.refusals[action] }
        return nil
    }

    /// Places or releases the hold through the domain, then shows the call again as it now is.
    /// When another process is writing, the change waits in the background (`ConsoleChanges`)
    /// and the call is shown again when it lands.
    private mutating func changeHold(release approved: WorkspaceCommand<LegalHold.Released>? = nil, reason: String? = nil) -> TabResponse {
        guard let current = detail else { return .handled }
        let call = current.view.detail.call
        let externalId = call.externalId
        let clock = self.clock
        let outcome = if let approved {
            context.changes.perform(approved, about: .legalHold(call.id!), context: context) { released in
                "Legal hold released on \(externalId); "
                    + (released.dueAtNextPurge ? "its expiry has passed, so the next purge deletes it"
                        : "it expires \(DisplayText.zonedTimestamp(released.expiresAt, clock: clock))")
            }.withoutValue
        } else {
            context.changes.perform(.placeLegalHold(onCall: call.id!, reason: reason ?? ""), about: .legalHold(call.id!),
                                    context: context) { _ in "Recording of \(externalId) is on legal hold" }.withoutValue
        }
        switch outcome {
        case .failed(let text): return .flash(text, isError: true)
        case .waiting:
            detail?.holdPrompt = nil
            return .handled
        case .done(_, let text):
            reopenDetail(current)
            return .flash(text, isError: false)
        }
    }

    /// Shows the open call again as it now is, at the same scroll.
    private mutating func reopenDetail(_ current: Detail) {
        let scroll = current.scroll
        openDetail(id: current.view.detail.call.id!, highlight: nil)
        detail?.scroll = scroll
        relayout()
    }

    mutating func perform(_ command: Command) -> TabResponse {
        detail = nil
        switch command {
        case .filter: list.openEditor()
        case .clear: reload(filter: CallFilter())
        case .apply(let filter): reload(filter: filter)
        case .showColumns:
            hiddenColumns = []
            updateColumns()
            if let problem = saveHiddenColumns() { return .flash(problem, isError: true) }
        case .unsort:
            list.reload({ page in var page = page; page.sort = .newestFirst; return page }, context)
            updateColumns()
        }
        return .handled
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        readPreferences()
        if destination.kind == nil { return true }
        if let filter = destination.value(.calls, as: CallFilter.self) {
            detail = nil
            reload(filter: filter)
            return true
        }
        guard let call = destination.value(.call, as: ConsoleDestination.CallToOpen.self) else { return false }
        if !list.loaded { reload(filter: list.filter) }
        return openDetail(id: call.id, highlight: call.highlight)
    }

    @discardableResult
    private mutating func openDetail(id: Call.ID, highlight: String?) -> Bool {
        if let playing, playing.call != id { stopPlaying() }
        do {
            guard let (call, hits) = try context.session.read(.call(id, clock: clock, highlighting: highlight)) else {
                list.problem = "Call \(id) no longer exists"
                return false
            }
            let waveform = try context.session.waveform(of: call, buckets: Self.waveformResolution)
            detail = Detail(view: CallDetailView(detail: call, waveform: waveform, clock: clock, hits: hits),
                            pendingHit: hits.map { !$0.isEmpty } ?? false, refusals: holdRefusals(id))
            list.problem = nil
            relayout()
            return true
        } catch {
            list.problem = "Could not open call \(id): \(error)"
            return false
        }
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        if let ended = message as? PlaybackEnded {
            guard let playing, playing.call == ended.call else { return false }
            self.playing = nil
            if let problem = ended.problem { list.problem = "Could not play the recording: \(problem)" }
            return true
        }
        if let change = message as? ChangeStatus, case .finished = change.phase {
            if change.subject == .legalHolds {
                // Holds on the marked calls landed after waiting for another process's write.
                marks = []
                list.refresh(context)
                updateColumns()
                return true
            }
            if let current = detail, let id = current.view.detail.call.id,
               change.subject == .legalHold(id) || change.subject == .callText(id) {
                reopenDetail(current)
                return true
            }
            return false
        }
        return list.receive(message)
    }

    // MARK: For tests

    var previewedCall: Call.ID? { preview?.view.detail.call.id }
}

/// A recording stopped playing (to its end, stopped, or failed: `problem`).
struct PlaybackEnded: Sendable {
    let call: Call.ID
    let problem: String?
}
