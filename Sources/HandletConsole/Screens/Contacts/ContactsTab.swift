import Foundation
import HandletDomain
import TerminalUI

/// Contacts by name; a contact's consent, opt-out and restriction state above their calls and
/// messages merged into one timeline, each one Enter away.
struct ContactsTab: ConsoleTab {
    let context: ConsoleContext
    private var clock: BrowseClock
    private var pane: KeysetListPane<ContactPage>
    private var person: Person?
    private var problem: String?

    private struct Person {
        var detail: ContactDetail
        var timeline: KeysetListPane<ContactTimeline>
    }

    enum Action: Sendable, Equatable { case open, back }
    static let listKeys = KeyMap<Action>([KeyBinding([.enter], .open, "Open the contact", group: "Contacts")])
    static let personKeys = KeyMap<Action>([
        KeyBinding([.enter], .open, "Open the call or conversation", group: "Contact"),
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the contacts", group: "Contact"),
    ])

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        pane = KeysetListPane(name: "Contacts", list: ContactPage(), columns: Self.columns)
    }

    var title: String { "Contacts" }
    var status: String {
        if let person { return "\(person.detail.contact.name) · \(person.timeline.positionText)" }
        return pane.positionText
    }
    var helpEntries: [HelpEntry] {
        (person == nil ? Self.listKeys.helpEntries : Self.personKeys.helpEntries) + KeyMap.standardNavigation.helpEntries
    }

    mutating func activate() {
        pane.refresh(ContactPage(), context: context)
        if let current = person { person?.timeline.refresh(current.timeline.list, context: context) }
    }

    static let columns = [
        TableColumn("Name", width: .flexible(minimum: 16, weight: 2)),
        TableColumn("Phone", width: .fixed(16)),
        TableColumn("Email", width: .flexible(minimum: 16, weight: 2)),
        TableColumn("Messaging", width: .fixed(22)),
    ]

    static let timelineColumns = [
        TableColumn("When", width: .fixed(12)),
        TableColumn("What", width: .fixed(9)),
        TableColumn("Dir", width: .fixed(3)),
        TableColumn("Outcome or channel", width: .fixed(18)),
        TableColumn("Summary or message", width: .flexible(minimum: 20, weight: 1)),
    ]

    static func messagingState(optedOut: Bool, restricted: Bool) -> String {
        if restricted { return "restricted" }
        if optedOut { return "opted out" }
        return ""
    }

    mutating func render(into grid: inout Grid, area: Rect) {
        if !pane.loaded { pane.reload(ContactPage(), context: context) }
        if let problem {
            grid.put(problem, x: area.x + 1, y: area.y, style: .error, maxWidth: area.width - 2)
        }
        guard var current = person else {
            pane.render(into: &grid, area: area, context: context, emptyMessage: "No contacts yet.") { contact in
                TableRow([contact.name, contact.phone ?? "", contact.email ?? "",
                          Self.messagingState(optedOut: contact.optedOut, restricted: contact.restricted)],
                         style: contact.optedOut || contact.restricted ? .dim : nil)
            }
            return
        }
        let header = personHeader(current.detail, width: area.width - 4)
        for (index, line) in header.enumerated() where index < area.height {
            grid.put(line, x: area.x + 2, y: area.y + index, maxWidth: area.width - 4)
        }
        let timelineArea = Rect(x: area.x, y: area.y + header.count + 1, width: area.width, height: max(0, area.height - header.count - 1))
        let clock = self.clock
        current.timeline.render(into: &grid, area: timelineArea, context: context, emptyMessage: "No calls or messages with this contact.") { entry in
            TableRow([Formatting.shortTime(entry.at, clock: clock),
                      entry.kind == .call ? "call" : "message",
                      entry.direction == .inbound ? "in" : "out",
                      entry.outcome?.label ?? entry.channel?.label ?? "",
                      entry.text.replacingOccurrences(of: "\n", with: " ")],
                     style: entry.outcome == .missed ? .warning : nil)
        }
        person = current
    }

    private func personHeader(_ detail: ContactDetail, width: Int) -> [StyledLine] {
        let contact = detail.contact
        var lines: [StyledLine] = [[Span(contact.name, Style(.title, .bold))] + TextWrap.sanitizedSpans(
            "  " + [contact.phone, contact.email].compactMap { $0 }.joined(separator: " · "), style: .dim)]
        lines.append([Span("Held: ", .dim), Span("\(Formatting.count(detail.callCount)) calls, \(Formatting.count(detail.messageCount)) messages in \(Formatting.count(detail.threadCount)) threads")])
        let consent = detail.consentedChannels.map(\.label).joined(separator: ", ")
        lines.append([Span("Marketing consent: ", .dim), consent.isEmpty ? Span("none recorded", .normal) : Span(consent, .success)])
        if let optOut = detail.optOut {
            lines.append([Span("Opted out ", Style(.warning, .bold)),
                          Span("on \(Formatting.fullTime(optOut.at, clock: clock))" + (optOut.keyword.map { " by replying \($0)" } ?? ""))])
        }
        if let restriction = detail.restriction {
            lines.append([Span("Processing restricted ", Style(.error, .bold)),
                          Span("since \(Formatting.fullTime(restriction.at, clock: clock))")] + TextWrap.sanitizedSpans(restriction.reason.map { ": \($0)" } ?? "", style: .normal))
        }
        return lines
    }

    mutating func handle(_ key: Key) -> TabResponse {
        if var current = person {
            switch Self.personKeys.action(for: key) {
            case .back: person = nil; return .back
            case .open:
                guard let entry = current.timeline.selectedRow else { return .handled }
                switch entry.kind {
                case .call: return .navigate(.call(id: entry.id, highlight: nil))
                case .message: return .navigate(.thread(id: entry.threadId ?? 0, highlight: nil, messageId: entry.id))
                }
            case nil: break
            }
            guard let move = KeyMap.standardNavigation.action(for: key) else { return .ignored }
            current.timeline.move(move, context: context)
            person = current
            return .handled
        }
        if let move = KeyMap.standardNavigation.action(for: key) {
            pane.move(move, context: context)
            return .handled
        }
        if Self.listKeys.action(for: key) == .open, let row = pane.selectedRow {
            openContact(id: row.id)
            return .handled
        }
        return .ignored
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        switch destination {
        case .tab(let name): return name == title
        case .contact(let id): return openContact(id: id)
        default: return false
        }
    }

    @discardableResult
    private mutating func openContact(id: Int64) -> Bool {
        do {
            guard let detail = try context.workspace.dbPool.read({ try ContactDetail.load(id: id, in: $0) }) else {
                problem = "Contact \(id) no longer exists"
                return false
            }
            var timeline = KeysetListPane(name: "Timeline", list: detail.timeline, columns: Self.timelineColumns)
            timeline.reload(detail.timeline, context: context)
            person = Person(detail: detail, timeline: timeline)
            problem = nil
            return true
        } catch {
            problem = "Could not open the contact: \(error)"
            return false
        }
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        var changed = pane.receive(message)
        if person != nil, person!.timeline.receive(message) { changed = true }
        return changed
    }
}
