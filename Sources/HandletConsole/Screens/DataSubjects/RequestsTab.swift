import Foundation
import HandletDomain
import TerminalUI

/// Data-subject requests: the register (overdue ones highlighted) and the person view reached
/// from it or from another screen by contact id (`ConsoleDestination.dataSubject(contacts:)`):
/// everything held about them, with restrict, lift, object, export, a new request, picking the
/// reviews they wrote and erase at hand. Every change is the domain's plan; an export shows the
/// domain's preview and asks its question; erasure asks the person's name or number, typed, as
/// the plan's question says.
struct RequestsTab: RegisteredScreen {
    static let id = ScreenID.requests
    static let title = "Requests"
    static let tabLabel = "Req"
    static let shows: Set<DestinationKind> = [.dataSubject]

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> RequestsTab { RequestsTab(context: context) }

    let context: ConsoleContext
    private var entries: [DataSubjectRequestEntry] = []
    private var table = TableState()
    private var problem: String?
    private var person: Person?
    private var modal: Modal?
    private var size: Size?
    /// The workspace's zone for the register's dates, read with the register (`render` reads nothing).
    private var clock: BrowseClock
    private let registerKeys: KeyMap<RegisterKey>
    private let personKeys: KeyMap<PersonKey>
    /// The erasure started here, while it runs (off the interface thread: `BackgroundErasure`).
    private var erasure: RunningErasure?

    /// An erasure running, and the last phase it reported.
    struct RunningErasure {
        let job: BackgroundErasure
        var progress: ErasureProgress?

        /// "rewriting the search indexes · 35s of about 1 min 20 s".
        func text(now: Date) -> String {
            let elapsed = DisplayText.duration(max(0, Int(now.timeIntervalSince(job.startedAt))))
            guard let progress else { return "starting · \(elapsed)" }
            return "\(progress.phase.rawValue) · \(elapsed)" + (progress.estimate.isEmpty ? "" : " of \(progress.estimate)")
        }
    }

    /// The person open: their contacts, what is held, and the view's scroll.
    struct Person {
        var ids: [Contact.ID]
        var held: PersonHoldings?
        /// Reviews that may be theirs, to pick (`ReviewAttribution`).
        var suggestions: [Review] = []
        var lines: [StyledLine] = []
        var scroll = ScrollState()
        var problem: String?
        /// Opened from another screen: Esc goes back there.
        var fromElsewhere = false
    }

    private enum Modal {
        case extendMonths(OptionDialog, id: Int64)
        case extendReason(TextPrompt, id: Int64, months: Int)
        case close(ConfirmDialog, id: Int64)
        case erase(TextPrompt, ids: [Contact.ID], plan: ChangePlan<ErasurePreview>)
        case exportWhere(TextPrompt, ids: [Contact.ID])
        case exportConfirm(ConfirmDialog, ids: [Contact.ID], target: URL)
        case requestWho(TextPrompt)
        case requestType(OptionDialog, contact: Contact.ID?)
        case pickReview(OptionDialog, contact: Contact.ID, reviews: [Review])
        case unpickReview(OptionDialog, contacts: [Contact.ID], reviews: [Review])
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        registerKeys = Self.registerKeys(context.keys)
        personKeys = Self.personKeys(context.keys)
    }

    var capturesText: Bool {
        switch modal {
        case .extendReason?, .erase?, .exportWhere?, .requestWho?: true
        default: false
        }
    }

    var helpEntries: [HelpEntry] {
        person == nil ? registerKeys.help(for: context.actor) : personKeys.help(for: context.actor)
    }

    var status: String {
        if let erasure, let person, isErasing(person.ids) { return "Erasing \(erasure.job.name)" }
        if let held = person?.held { return held.summary }
        guard !entries.isEmpty else { return "" }
        let overdue = entries.filter(\.overdue).count
        return "\(min(table.selected + 1, entries.count)) of \(DisplayText.count(entries.count, "request"))"
            + (overdue > 0 ? ", \(overdue) overdue" : "")
    }

    var crumb: String { person?.held?.names.first.map { "\(Self.title) › \($0)" } ?? Self.title }

    /// Quitting while an erasure runs stops it where it is: safe, but it is then finished later.
    var quitWarning: String? {
        guard let erasure, erasure.job.isRunning else { return nil }
        return "Erasing \(erasure.job.name) is still running (\(erasure.text(now: context.now()))). Quitting stops it safely, "
            + "never half done: it finishes at the next `handlet dsr erase --finish` or erasure, and the Overview says so until then."
    }

    /// The person view shows this person's erasure running instead of what is held.
    private func isErasing(_ ids: [Contact.ID]) -> Bool { erasure?.job.ids == ids && erasure?.job.isRunning == true }

    private var selected: DataSubjectRequestEntry? { entries.indices.contains(table.selected) ? entries[table.selected] : nil }

    // MARK: Reading

    mutating func activate() { load() }

    mutating func receive(_ message: any Sendable) -> Bool {
        if let status = message as? ErasureStatus { return receive(status) }
        guard let change = message as? ChangeStatus, change.subject == .dataSubjects, case .finished = change.phase else { return false }
        load()
        return true
    }

    /// The erasure's phases; at its end the register and the person view are read again (the
    /// person's view closes once they are erased). The status bar flashes the outcome.
    private mutating func receive(_ status: ErasureStatus) -> Bool {
        guard var running = erasure, running.job.ids == status.ids else { return false }
        switch status.event {
        case .progress(let progress):
            running.progress = progress
            erasure = running
            relayout()
        case .finished:
            erasure = nil
            if person?.ids == status.ids { person = nil }
            load()
        case .failed:
            erasure = nil
            load()
        }
        return true
    }

    private mutating func load() {
        do {
            let keep = selected?.id
            clock = BrowseClock.console(context)
            entries = try context.session.read(.dataSubjectRequests(.all, now: context.now()))
            if let keep, let index = entries.firstIndex(where: { $0.id == keep }) { table.selected = index }
            table.selected = min(table.selected, max(0, entries.count - 1))
            problem = nil
        } catch {
            problem = "Could not read the register: \(error)"
        }
        if person != nil { loadPerson() }
        relayout()
    }

    private mutating func loadPerson() {
        guard var current = person else { return }
        do {
            let held = try context.session.read(.heldAbout(current.ids, now: context.now()))
            current.held = held
            current.suggestions = try context.session.read(.reviewSuggestions(current.ids))
            current.problem = nil
        } catch {
            current.held = nil
            current.suggestions = []
            current.problem = "\(error)"
        }
        person = current
        relayout()
    }

    // MARK: Layout and drawing

    private var banner: (text: String, style: Style)? {
        if let problem { return (problem, .error) }
        if let erasure, erasure.job.isRunning { return ("Erasing \(erasure.job.name): \(erasure.text(now: context.now()))", .warning) }
        if entries.isEmpty { return ("No data-subject request recorded.", .dim) }
        return nil
    }

    mutating func layout(_ size: Size) {
        self.size = size
        if var current = person {
            current.lines = erasure.flatMap { running in
                isErasing(current.ids) ? Self.erasingLines(running, now: context.now(), width: max(1, size.width - 2)) : nil
            } ?? Self.personLines(current, width: max(1, size.width - 2), clock: clock)
            current.scroll.fit(contentHeight: current.lines.count, pageHeight: max(1, size.height))
            person = current
        }
        let height = size.height - (banner == nil ? 0 : 1)
        table.fit(height: height - 1, rowCount: .exact(entries.count))
    }

    private mutating func relayout() { if let size { layout(size) } }

    func render(into grid: inout Grid, area: Rect) {
        if let person {
            renderLines(person.lines, into: &grid, area: Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: area.height),
                        state: person.scroll)
        } else {
            var body = area
            if let banner {
                grid.put(banner.text, x: area.x + 1, y: area.y, style: banner.style, maxWidth: area.width - 2)
                body = area.splitTop(1).1
            }
            Table(columns: Self.columns).render(into: &grid, area: body, state: table,
                                                source: ArrayTableSource(entries.map { Self.tableRow($0, clock: clock) }))
        }
        switch modal {
        case .extendMonths(let dialog, _): dialog.render(into: &grid, area: area)
        case .extendReason(let prompt, _, _), .erase(let prompt, _, _), .exportWhere(let prompt, _), .requestWho(let prompt):
            prompt.render(into: &grid, area: area)
        case .close(let dialog, _), .exportConfirm(let dialog, _, _): dialog.render(into: &grid, area: area)
        case .requestType(let dialog, _), .pickReview(let dialog, _, _), .unpickReview(let dialog, _, _):
            dialog.render(into: &grid, area: area)
        case nil: break
        }
    }

    static let columns = [
        TableColumn("#", width: .fixed(5), alignRight: true), TableColumn("TYPE", width: .fixed(14)),
        TableColumn("PERSON", width: .flexible(minimum: 12, weight: 2)), TableColumn("RECEIVED", width: .fixed(11)),
        TableColumn("DUE", width: .fixed(12)), TableColumn("STATUS", width: .flexible(minimum: 14, weight: 1)),
    ]

    static func tableRow(_ entry: DataSubjectRequestEntry, clock: BrowseClock) -> TableRow {
        let day = { DisplayText.date($0, clock: clock) }
        let status: String
        if entry.overdue { status = "OVERDUE" }
        else if entry.dueThisWeek { status = "due within 7 days" }
        else if entry.isOpen { status = entry.status.label }
        else { status = entry.status.label + (entry.completedAt.map { " \(day($0))" } ?? "") }
        return TableRow([String(entry.id), entry.type.label, entry.contactName ?? "(erased)", day(entry.receivedAt),
                         day(entry.dueAt) + (entry.isExtended ? "+" : ""), status],
                        style: entry.overdue ? .error : entry.dueThisWeek ? .warning : entry.isOpen ? nil : .dim)
    }

    /// The person view while their erasure runs: what it is doing, for how long, and what the user may do meanwhile.
    static func erasingLines(_ running: RunningErasure, now: Date, width: Int) -> [StyledLine] {
        let text: [(String, Style)] = [
            ("Erasing \(running.job.name)", .title),
            ("Now: " + running.text(now: now), .warning),
            ("", .normal),
            ("It runs in the background: move to other tabs and carry on meanwhile. Nothing else can be changed about "
                + "this person until it ends; the status bar says when it is done.", .normal),
            ("Phases: " + ErasureProgress.Phase.allCases.filter { $0 != .finishingInterrupted }.map(\.rawValue).joined(separator: ", ") + ".", .dim),
        ]
        return text.flatMap { TextWrap.wrapText($0.0, width: width, style: $0.1) }
    }

    /// The person view's text: who, what is held, and each record (untrusted text sanitised by the wrap).
    static func personLines(_ person: Person, width: Int, clock: BrowseClock) -> [StyledLine] {
        guard let held = person.held else {
            return TextWrap.wrapText(person.problem ?? "Reading…", width: width, style: .error)
        }
        var text: [(String, Style)] = []
        text.append((held.names.joined(separator: " / "), .title))
        text.append(("Numbers: " + (held.phones.isEmpty ? "-" : held.phones.joined(separator: ", "))
            + "   Emails: " + (held.emails.isEmpty ? "-" : held.emails.joined(separator: ", ")), .normal))
        if held.isRestricted { text.append(("Processing RESTRICTED: never auto-sent to", .warning)) }
        if held.hasObjected { text.append(("Objected to processing", .warning)) }
        let day = { DisplayText.date($0, clock: clock) }
        text.append(("Held: " + held.summary, .accent))
        text.append(("", .normal))
        text.append(("Contacts", .header))
        for contact in held.contacts {
            text.append(("  \(contact.id?.rawValue ?? 0)  \(contact.name)  \(contact.phone ?? "-")  \(contact.email ?? "-")", .normal))
        }
        if !held.consents.isEmpty {
            text.append(("Consent history", .header))
            for consent in held.consents {
                text.append(("  \(consent.channel.label): given \(day(consent.givenAt))"
                    + (consent.withdrawnAt.map { ", withdrawn \(day($0))" } ?? ""), .normal))
            }
        }
        text.append(("Calls", .header))
        for item in held.calls {
            let audio = item.recording.map { $0.filePath == nil ? "audio deleted" : "recording \(DisplayText.size($0.bytes))" } ?? "no recording"
            text.append(("  \(DisplayText.zonedTimestamp(item.call.startedAt, clock: clock))  \(item.call.outcome.label)  \(audio)  \(item.call.summary)", .normal))
        }
        text.append(("Messages", .header))
        for message in held.messages {
            text.append(("  \(DisplayText.zonedTimestamp(message.sentAt, clock: clock))  \(message.direction == .inbound ? "from them" : "to them")  \(message.body)", .normal))
        }
        if !held.drafts.isEmpty {
            text.append(("Drafts", .header))
            for draft in held.drafts { text.append(("  \(draft.state.rawValue)  \(draft.body)", .normal)) }
        }
        if !held.reviews.isEmpty {
            text.append(("Reviews they wrote", .header))
            for review in held.reviews { text.append(("  " + review.line(clock: clock), .normal)) }
        }
        if !person.suggestions.isEmpty {
            text.append(("Reviews that may be theirs (not held about them until picked)", .header))
            for review in person.suggestions { text.append(("  " + review.line(clock: clock), .dim)) }
        }
        if !held.requests.isEmpty {
            text.append(("Requests", .header))
            for entry in held.requests {
                text.append(("  \(entry.id)  \(entry.type.label)  due \(day(entry.dueAt))  \(entry.overdue ? "OVERDUE" : entry.status.label)",
                             entry.overdue ? .error : .normal))
            }
        }
        text.append(("Audit events: " + (held.auditEventSeqs.isEmpty ? "none" : held.auditEventSeqs.map(String.init).joined(separator: ", ")), .dim))
        return text.flatMap { TextWrap.wrapText($0.0, width: width, style: $0.1) }
    }

    // MARK: Keys

    mutating func handle(_ key: TerminalUI.Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        if person != nil { return handlePerson(key) }
        switch registerKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _):
            table.apply(move, rowCount: .exact(entries.count))
        case .action(.register(.open), _):
            guard let entry = selected else { return .handled }
            guard let contact = entry.contactId else { return .flash("The person of request \(entry.id) was erased", isError: false) }
            person = Person(ids: [contact])
            loadPerson()
        case .action(.register(.close), _):
            guard let entry = selected else { return .handled }
            if let refusal = context.refusal(of: .closeDataSubjectRequest(entry.id)) { return .flash(refusal, isError: true) }
            modal = .close(ConfirmDialog(title: "Close request \(entry.id)",
                                         message: "Close the \(entry.type.label) request \(entry.id) as completed?",
                                         confirmLabel: "Close"), id: entry.id)
        case .action(.register(.extend), _):
            guard let entry = selected else { return .handled }
            if let refusal = context.refusal(of: .extendDataSubjectRequest(entry.id, months: 1, reason: "-")) {
                return .flash(refusal, isError: true)
            }
            modal = .extendMonths(OptionDialog(title: "Extend request \(entry.id)",
                                               message: "By how much more? Once only, at most two months (Art. 12(3)).",
                                               options: ["1 month", "2 months"], keys: context.keys), id: entry.id)
        case .action(.register(.new), _):
            if let refusal = context.refusal(of: .openDataSubjectRequest(type: .access, contact: nil)) { return .flash(refusal, isError: true) }
            modal = .requestWho(TextPrompt(title: "Record a request", label: "Who asked (number, email or contact id; empty: not known yet) ",
                                           keys: context.keys))
        }
        return .handled
    }

    /// The request's type, with the domain's preview of when it falls due.
    private mutating func askRequestType(contact: Contact.ID?) -> TabResponse {
        switch context.plan(.openDataSubjectRequest(type: .access, contact: contact)) {
        case .refused(let reason): return .flash(reason, isError: true)
        case .failed(let problem): return .flash(problem, isError: true)
        case .ready(let plan):
            modal = .requestType(OptionDialog(title: "Record a request", message: "Which right? " + (plan.preview?.summary ?? ""),
                                              options: DataSubjectRequestType.allCases.map(\.label), keys: context.keys),
                                 contact: contact)
            return .handled
        }
    }

    private mutating func handlePerson(_ key: TerminalUI.Key) -> TabResponse {
        guard var current = person else { return .ignored }
        let pressed = personKeys.press(key, by: context.actor)
        // While their erasure runs, only moving and leaving: any change would race it.
        if let erasure, isErasing(current.ids), case .action(.person(let action), _) = pressed, action != .back {
            return .flash("Erasing \(erasure.job.name): nothing else can change about them until it ends", isError: true)
        }
        switch pressed {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _):
            current.scroll.apply(move)
            person = current
        case .action(.person(.back), _):
            person = nil
            relayout()
            return current.fromElsewhere ? .back : .handled
        case .action(.person(.restrict), _):
            return changeEach(current.ids) { .restrictContact($0) } describe: { "Restricted processing of \($0.name)" }
        case .action(.person(.unrestrict), _):
            return changeEach(current.ids) { .unrestrictContact($0) } describe: { "Lifted the restriction on \($0.name)" }
        case .action(.person(.object), _):
            return changeEach(current.ids) { .recordObjection($0) } describe: { "Recorded the objection of \($0.name)" }
        case .action(.person(.export), _):
            modal = .exportWhere(TextPrompt(title: "Export \(current.held?.names.first ?? "the person")",
                                            label: "To a new folder or a .zip file ", keys: context.keys), ids: current.ids)
        case .action(.person(.request), _):
            return askRequestType(contact: current.ids.first)
        case .action(.person(.pickReview), _):
            guard let contact = current.ids.first else { return .handled }
            guard !current.suggestions.isEmpty else { return .flash("No review that may be theirs is left to pick", isError: false) }
            let shown = Array(current.suggestions.prefix(Self.reviewChoices))
            let clock = self.clock
            modal = .pickReview(OptionDialog(title: "Pick a review they wrote",
                                             message: "Picked, it is held about them: shown, exported and erased with them.",
                                             options: shown.map { $0.line(clock: clock) }, keys: context.keys),
                                contact: contact, reviews: shown)
        case .action(.person(.unpickReview), _):
            guard let held = current.held?.reviews, !held.isEmpty else { return .flash("No review is held about them", isError: false) }
            let shown = Array(held.prefix(Self.reviewChoices))
            let clock = self.clock
            modal = .unpickReview(OptionDialog(title: "Unpick a review", message: "Which review did they not write?",
                                               options: shown.map { $0.line(clock: clock) }, keys: context.keys),
                                  contacts: current.ids, reviews: shown)
        case .action(.person(.erase), _):
            if let erasure, erasure.job.isRunning { return .flash("One erasure at a time: \(erasure.job.name)'s is still running", isError: true) }
            switch context.plan(.erasePerson(current.ids)) {
            case .refused(let reason): return .flash(reason, isError: true)
            case .failed(let problem): return .flash(problem, isError: true)
            case .ready(let plan):
                guard let question = plan.confirmation else { return .handled }
                var prompt = TextPrompt(title: question.title, label: "Type their name or number ", keys: context.keys)
                prompt.problem = plan.preview.map { $0.summary }
                modal = .erase(prompt, ids: current.ids, plan: plan)
            }
        }
        return .handled
    }

    /// At most this many reviews in a pick dialog (it fits 80x24); picking one shows the next.
    static let reviewChoices = 10

    private mutating func handleModal(_ current: Modal, _ key: TerminalUI.Key) -> TabResponse {
        switch current {
        case .exportWhere(var prompt, let ids):
            switch prompt.handle(key) {
            case .open: modal = .exportWhere(prompt, ids: ids)
            case .cancelled: modal = nil; return .flash("Not exported; nothing was written.", isError: false)
            case .answered(let path):
                let trimmed = path.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else {
                    prompt.problem = "Type a new folder or a file ending .zip"
                    modal = .exportWhere(prompt, ids: ids)
                    return .handled
                }
                let target = URL(fileURLWithPath: (trimmed as NSString).expandingTildeInPath)
                do {
                    let plan = try context.session.exportPlan(ids, to: target)
                    var dialog = ConfirmDialog(title: plan.confirmation.title, message: plan.preview.summary + " " + plan.confirmation.question,
                                               confirmLabel: plan.confirmation.confirmLabel, isDestructive: plan.confirmation.isDestructive)
                    dialog.confirmFocused = true
                    modal = .exportConfirm(dialog, ids: ids, target: target)
                } catch let error as DataSubjectError {
                    // The target's problem: the prompt stays open to type another. The prompt
                    // shows the path just typed, so the one-line problem starts with what is wrong.
                    prompt.problem = error.description.replacingOccurrences(of: target.path + " ", with: "It ")
                    modal = .exportWhere(prompt, ids: ids)
                } catch {
                    modal = nil
                    return .flash("\(error)", isError: true)
                }
            }
            return .handled
        case .exportConfirm(var dialog, let ids, let target):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .exportConfirm(dialog, ids: ids, target: target); return .handled
            case .cancelled?: modal = nil; return .flash("Not exported; nothing was written.", isError: false)
            case .confirmed?:
                modal = nil
                do {
                    let written = try context.session.exportPerson(ids, to: target)
                    load()
                    return .flash("Exported \(DisplayText.count(written.files, "file")) (\(DisplayText.size(written.bytes))) to \(written.path); "
                                  + "manifest.json lists each file's SHA-256", isError: false)
                } catch {
                    return .flash("\(error)", isError: true)
                }
            }
        case .requestWho(var prompt):
            switch prompt.handle(key) {
            case .open: modal = .requestWho(prompt); return .handled
            case .cancelled: modal = nil; return .flash("No request recorded", isError: false)
            case .answered(let who):
                let trimmed = who.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { return askRequestType(contact: nil) }
                do {
                    let ids = try context.session.read(.personContacts([trimmed]))
                    return askRequestType(contact: ids.first)
                } catch {
                    prompt.problem = "\(error)"
                    modal = .requestWho(prompt)
                    return .handled
                }
            }
        case .requestType(var dialog, let contact):
            switch dialog.handle(key) {
            case .open: modal = .requestType(dialog, contact: contact); return .handled
            case .cancelled: modal = nil; return .flash("No request recorded", isError: false)
            case .chose(let index):
                modal = nil
                let type = DataSubjectRequestType.allCases[index]
                let clock = self.clock
                return change(.openDataSubjectRequest(type: type, contact: contact)) {
                    "Recorded request \($0.id) (\($0.type.label)), due \(DisplayText.date($0.dueAt, clock: clock))"
                }
            }
        case .pickReview(var dialog, let contact, let reviews):
            switch dialog.handle(key) {
            case .open: modal = .pickReview(dialog, contact: contact, reviews: reviews); return .handled
            case .cancelled: modal = nil; return .handled
            case .chose(let index):
                modal = nil
                guard let id = reviews[index].id else { return .handled }
                return change(.attributeReviews([id], to: contact)) { _ in "Review \(id) is held about them now" }
            }
        case .unpickReview(var dialog, let contacts, let reviews):
            switch dialog.handle(key) {
            case .open: modal = .unpickReview(dialog, contacts: contacts, reviews: reviews); return .handled
            case .cancelled: modal = nil; return .handled
            case .chose(let index):
                modal = nil
                guard let id = reviews[index].id else { return .handled }
                return change(.unattributeReviews([id], from: contacts)) { _ in "Review \(id) is no longer held about them" }
            }
        case .close(var dialog, let id):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .close(dialog, id: id); return .handled
            case .cancelled?: modal = nil; return .flash("Request \(id) stays open", isError: false)
            case .confirmed?:
                modal = nil
                return change(.closeDataSubjectRequest(id)) { "Request \($0.id) is \($0.status.label)" }
            }
        case .extendMonths(var dialog, let id):
            switch dialog.handle(key) {
            case .open: modal = .extendMonths(dialog, id: id)
            case .cancelled: modal = nil; return .flash("Request \(id) not extended", isError: false)
            case .chose(let index):
                modal = .extendReason(TextPrompt(title: "Why extend request \(id)", label: "Reason ", keys: context.keys),
                                      id: id, months: index + 1)
            }
            return .handled
        case .extendReason(var prompt, let id, let months):
            switch prompt.handle(key) {
            case .open: modal = .extendReason(prompt, id: id, months: months)
            case .cancelled: modal = nil; return .flash("Request \(id) not extended", isError: false)
            case .answered(let reason):
                guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    prompt.problem = DataSubjectError.reasonRequired.description
                    modal = .extendReason(prompt, id: id, months: months)
                    return .handled
                }
                modal = nil
                let clock = self.clock
                return change(.extendDataSubjectRequest(id, months: months, reason: reason)) { "Request \($0.id) is now due \(DisplayText.date($0.dueAt, clock: clock))" }
            }
            return .handled
        case .erase(var prompt, let ids, let plan):
            switch prompt.handle(key) {
            case .open: modal = .erase(prompt, ids: ids, plan: plan); return .handled
            case .cancelled: modal = nil; return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .answered(let typed):
                // The domain decides whether what was typed answers its question.
                guard plan.confirmation?.accepts(typed) == true else {
                    modal = nil
                    return .flash(plan.confirmation?.declined ?? "", isError: true)
                }
                modal = nil
                // Off the interface thread: the search's rewrite takes a minute and more at a million calls.
                do {
                    let run = try context.session.startErasure(ids, typed: typed)
                    var name = ""
                    if case .erasure(let preview)? = plan.preview { name = preview.name }
                    erasure = RunningErasure(job: BackgroundErasure(run, ids: ids, name: name, startedAt: context.now(), post: context.post))
                    relayout()
                    return .flash("Erasing \(name) in the background: the console stays usable meanwhile", isError: false)
                } catch {
                    load()
                    return .flash("\(error)", isError: true)
                }
            }
        }
    }

    /// One change per contact of the person (each planned and audited on its own); the first refusal stops.
    private mutating func changeEach<T: Sendable>(_ ids: [Contact.ID], _ command: (Contact.ID) -> WorkspaceCommand<T>,
                                                  describe: @escaping @Sendable (T) -> String) -> TabResponse {
        var last: TabResponse = .handled
        for id in ids {
            last = change(command(id), describe)
            if case .flash(_, true) = last { return last }
        }
        return last
    }

    /// Plans, then runs through the console's changes (a busy workspace waits in the background);
    /// a refusal comes back as a red flash and changes nothing.
    private mutating func change<T: Sendable>(_ command: WorkspaceCommand<T>, _ describe: @escaping @Sendable (T) -> String) -> TabResponse {
        let approved: WorkspaceCommand<T>
        switch context.plan(command) {
        case .refused(let reason): return .flash(reason, isError: true)
        case .failed(let problem): return .flash(problem, isError: true)
        case .ready(let plan):
            do { approved = try plan.approved(confirmed: true) } catch { return .flash("\(error)", isError: true) }
        }
        let outcome = context.changes.perform(approved, about: .dataSubjects, context: context, describe: describe)
        load()
        switch outcome {
        case .done(_, let text): return .flash(text, isError: false)
        case .failed(let text): return .flash(text, isError: true)
        case .waiting: return .handled
        }
    }

    /// Opens the person view for another screen (by contact id).
    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if destination.kind == nil { return true }
        guard let ids = destination.value(.dataSubject, as: [Contact.ID].self), !ids.isEmpty else { return false }
        person = Person(ids: ids, fromElsewhere: true)
        loadPerson()
        return person?.held != nil
    }
}
