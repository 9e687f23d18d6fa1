import Foundation
import HandletDomain
import TerminalUI

/// Contacts by name; a contact's consent, opt-out and restriction state above their calls and
/// messages merged into one timeline, each one Enter away.
struct ContactsTab: RegisteredScreen {
    static let id = ScreenID.contacts
    static let title = "Contacts"
    static let tabLabel = "Cont"
    static let shows: Set<DestinationKind> = [.contact, .contactSearch]
    static let narrows: ListNarrowing? = ListNarrowing(matches: "a name, an email or a phone number")

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> ContactsTab { ContactsTab(context: context) }

    let context: ConsoleContext
    private var clock: BrowseClock
    private var pane: KeysetListPane<ContactPage>
    private var person: Person?
    private var problem: String?
    /// The tab's size from the last layout; nil before the first.
    private var size: Size?
    private let listKeys: KeyMap<ListKey>
    private let personKeys: KeyMap<PersonKey>
    private var filterLine = ListFilterLine(ContactsTab.narrows!)

    private struct Person {
        var detail: ContactDetail
        var timeline: KeysetListPane<ContactTimeline>
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        pane = KeysetListPane(name: "Contacts", list: ContactPage(), session: context.session, columns: Self.columns)
        listKeys = Self.listKeys(context.keys)
        personKeys = Self.personKeys(context.keys)
    }

    var status: String {
        if let person { return "\(person.detail.contact.name) · \(person.timeline.positionText)" }
        return pane.positionText
    }
    /// Keys type into the filter line while it is open (the footer then shows its keys alone).
    var capturesText: Bool { filterLine.isEditing }
    var crumb: String { person.map { $0.detail.contact.name } ?? title }
    var helpEntries: [HelpEntry] {
        if filterLine.isEditing { return ListFilterLine.table.resolved(context.keys).help(for: context.actor) }
        return person == nil ? listKeys.help(for: context.actor) : personKeys.help(for: context.actor)
    }

    private var list: ContactPage { ContactPage(search: filterLine.text) }

    mutating func activate() {
        pane.refresh(list, context: context)
        if let current = person { person?.timeline.refresh(current.timeline.list, context: context) }
    }

    mutating func layout(_ size: Size) {
        self.size = size
        pane.layout(height: size.height - (filterLine.isShown ? 1 : 0))
        guard let current = person else { return }
        let header = personHeader(current.detail, width: size.width - 4)
        person?.timeline.layout(height: Self.timelineArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height), header: header).height)
    }

    /// Below the contact's header and a blank line.
    private static func timelineArea(in area: Rect, header: [StyledLine]) -> Rect {
        Rect(x: area.x, y: area.y + header.count + 1, width: area.width, height: max(0, area.height - header.count - 1))
    }

    func render(into grid: inout Grid, area: Rect) {
        if let problem {
            grid.put(problem, x: area.x + 1, y: area.y, style: .error, maxWidth: area.width - 2)
        }
        let clock = self.clock
        guard let current = person else {
            var listArea = area
            if filterLine.isShown {
                filterLine.render(into: &grid, area: Rect(x: area.x, y: area.y, width: area.width, height: 1), count: pane.total)
                listArea = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1))
            }
            let empty = filterLine.text.isEmpty ? "No contacts yet." : "No contact matches \"\(filterLine.text)\"."
            pane.render(into: &grid, area: listArea, emptyMessage: empty, context: clock) { Self.tableRow($0, clock: clock) }
            return
        }
        let header = personHeader(current.detail, width: area.width - 4)
        for (index, line) in header.enumerated() where index < area.height {
            grid.put(line, x: area.x + 2, y: area.y + index, maxWidth: area.width - 4)
        }
        current.timeline.render(into: &grid, area: Self.timelineArea(in: area, header: header),
                                emptyMessage: "No calls or messages with this contact.", context: clock) { Self.timelineRow($0, clock: clock) }
    }

    private func personHeader(_ detail: ContactDetail, width: Int) -> [StyledLine] {
        let contact = detail.contact
        var lines: [StyledLine] = [[Span(contact.name, Style(.title, .bold))] + TextWrap.sanitizedSpans(
            "  " + [contact.phone, contact.email].compactMap { $0 }.joined(separator: " · "), style: .dim)]
        lines.append([Span("Held: ", .dim), Span("\(DisplayText.count(detail.callCount, "call")), \(DisplayText.count(detail.messageCount, "message")) in \(DisplayText.count(detail.threadCount, "thread"))")])
        let consent = detail.consentedChannels.map(\.label).joined(separator: ", ")
        lines.append([Span("Marketing consent: ", .dim), consent.isEmpty ? Span("none recorded", .normal) : Span(consent, .success)])
        if let optOut = detail.optOut {
            lines.append([Span("Opted out ", Style(.warning, .bold)),
                          Span("on \(DisplayText.timestamp(optOut.at, clock: clock))" + (optOut.keyword.map { " by replying \($0)" } ?? ""))])
        }
        if let restriction = detail.restriction {
            lines.append([Span("Processing restricted ", Style(.error, .bold)),
                          Span("since \(DisplayText.timestamp(restriction.at, clock: clock))")] + TextWrap.sanitizedSpans(restriction.reason.map { ": \($0)" } ?? "", style: .normal))
        }
        return lines
    }

    mutating func handle(_ key: Key) -> TabResponse {
        if var current = person {
            switch personKeys.press(key, by: context.actor) {
            case .unbound: return .ignored
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.person(.back), _): person = nil; return .back
            case .action(.person(.copyPhone), _): return .copy(current.detail.contact.phone ?? "", what: "the phone number")
            case .action(.person(.copyEmail), _): return .copy(current.detail.contact.email ?? "", what: "the email address")
            case .action(.person(.dataSubject), _):
                guard let id = current.detail.contact.id else { return .handled }
                return .navigate(.dataSubject(contacts: [id]))
            case .action(.person(.open), _):
                guard let entry = current.timeline.selectedRow else { return .handled }
                switch entry.target {
                case .call(let id): return .navigate(.call(id: id, highlight: nil))
                case .message(let id, let thread): return .navigate(.thread(id: thread, highlight: nil, messageId: id))
                }
            case .action(.move(let move), _):
                current.timeline.move(move)
                person = current
                return .handled
            }
        }
        if filterLine.isEditing {
            let wasShown = filterLine.isShown
            switch filterLine.handle(key, keys: context.keys) {
            case .changed: pane.reload(list, context: context, countWhenSettled: true)
            case .closed, .unchanged: break
            }
            if wasShown != filterLine.isShown, let size { layout(size) }
            return .handled
        }
        switch listKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.list(.filter), _):
            filterLine.begin()
            if let size { layout(size) }
        case .action(.list(.open), _): if let row = pane.selectedRow { openContact(id: row.id) }
        case .action(.move(let move), _): pane.move(move)
        }
        return .handled
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if destination.kind == nil { return true }
        if let search = destination.value(.contactSearch, as: String.self) {
            person = nil
            filterLine.set(search)
            if let size { layout(size) }
            pane.reload(list, context: context)
            return true
        }
        guard let id = destination.value(.contact, as: Contact.ID.self) else { return false }
        return openContact(id: id)
    }

    @discardableResult
    private mutating func openContact(id: Contact.ID) -> Bool {
        do {
            guard let detail = try context.session.read(.contact(id)) else {
                problem = "Contact \(id) no longer exists"
                return false
            }
            var timeline = KeysetListPane(name: "Timeline", list: detail.timeline, session: context.session, columns: Self.timelineColumns)
            if let size {
                // Its height before its first read, so that read fills the screen.
                timeline.layout(height: Self.timelineArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height),
                                                          header: personHeader(detail, width: size.width - 4)).height)
            }
            timeline.reload(detail.timeline, context: context)
            person = Person(detail: detail, timeline: timeline)
            problem = nil
            return true
        } catch {
            problem = "Could not open the contact: \(error)"
            return false
        }
    }

    /// The keys have settled: the filter line's count starts (it arrives as a message).
    mutating func idle() -> Bool {
        pane.countIfDue(context)
        return false
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        var changed = pane.receive(message)
        if person != nil, person!.timeline.receive(message) { changed = true }
        return changed
    }
}
