import HandletDomain
import TerminalUI

extension ScreenID {
    static let requests = ScreenID("requests")
}

/// What the Requests tab opens for other screens: the person view of one or several contacts
/// (everything held about them, with the data-subject actions at hand).
extension DestinationKind {
    static let dataSubject = DestinationKind("data_subject")
}

extension ConsoleDestination {
    /// The person whose contacts are `ids` (merged), in the Requests tab.
    static func dataSubject(contacts ids: [Contact.ID]) -> ConsoleDestination { ConsoleDestination(.dataSubject, ids) }
}

/// A change to a request or a person: the register and the person view re-read when it lands.
extension ChangeSubject {
    static let dataSubjects = ChangeSubject("data_subjects")
}

/// The Requests tab's key tables: the register's, a person's, and how each state combines them.
extension RequestsTab {
    enum RegisterAction: Sendable, Equatable { case open, close, extend, new }
    static let registerTable = KeyTable<RegisterAction>("requests", title: "Requests", scope: "The register of data-subject requests", [
        KeyBinding([.enter], .open, "Open the person the request is about", group: "Requests", name: "open",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("c")], .close, "Close the request as completed", group: "Requests", name: "close",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("x")], .extend, "Extend the request once (asks months and reason)", group: "Requests", name: "extend",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("n")], .new, "Record a request received (asks who: number, email or contact id; then the type)",
                   group: "Requests", name: "new", needs: .dataSubjectExportRectifyRestrict),
    ])

    enum PersonAction: Sendable, Equatable { case back, restrict, unrestrict, object, export, request, pickReview, unpickReview, erase }
    static let personTable = KeyTable<PersonAction>("data_subject", title: "Person", scope: "Everything held about a person", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the register", group: "Person", name: "back", shadowsOuter: true),
        KeyBinding([.char("r")], .restrict, "Restrict processing (never auto-sent to)", group: "Person", name: "restrict",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("u")], .unrestrict, "Lift the restriction", group: "Person", name: "unrestrict",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("o")], .object, "Record an objection to processing", group: "Person", name: "object",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("e")], .export, "Export everything held: JSON, CSV, audio, manifest (asks where)", group: "Person",
                   name: "export", needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("n")], .request, "Record a request from this person (asks the type)", group: "Person", name: "new_request",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("w")], .pickReview, "Pick a review they wrote, from those that may be theirs", group: "Person",
                   name: "pick_review", needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("W")], .unpickReview, "Unpick a review picked by mistake", group: "Person", name: "unpick_review",
                   needs: .dataSubjectExportRectifyRestrict),
        KeyBinding([.char("E")], .erase, "Erase the person (asks to type their name or number)", group: "Person", name: "erase",
                   needs: .dataSubjectErasure),
    ])

    enum RegisterKey: Sendable { case register(RegisterAction), move(NavigationAction) }
    static func registerKeys(_ keys: KeyBindings) -> KeyMap<RegisterKey> {
        registerTable.resolved(keys, RegisterKey.register) + NavigationKeys.table.resolved(keys, RegisterKey.move)
    }

    enum PersonKey: Sendable { case person(PersonAction), move(NavigationAction) }
    static func personKeys(_ keys: KeyBindings) -> KeyMap<PersonKey> {
        personTable.resolved(keys, PersonKey.person) + NavigationKeys.table.resolved(keys, PersonKey.move)
    }

    static var keyTables: [AnyKeyTable] { [registerTable.erased, personTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Requests", .screen) { registerKeys($0).erasedActions },
         KeyModeDeclaration("Person", .screen) { personKeys($0).erasedActions }]
    }

    /// The compliance centre's data-subject duty is fixed here: the register, overdue ones first.
    static let fixes = [DutyFix(.dataSubjectRequests, does: "answer or extend the overdue requests", at: .screen(.requests))]

    /// Overdue and due-this-week requests, each under the count.
    static func attention(_ overview: Overview) -> [AttentionItem] {
        let due = overview.dataSubjectRequestsDue
        let overdue = due.filter(\.overdue)
        func line(_ entry: DataSubjectRequestEntry) -> String {
            "\(entry.type.label) request \(entry.id) from \(entry.contactName ?? "an erased contact") — "
                + (entry.overdue ? "overdue since \(DisplayText.date(entry.dueAt, clock: overview.clock))"
                    : "due \(DisplayText.date(entry.dueAt, clock: overview.clock))")
        }
        return [AttentionItem(label: "Data-subject requests overdue", count: overdue.count, destination: .screen(.requests),
                              isWarning: !overdue.isEmpty, details: overdue.map(line)),
                AttentionItem(label: "Data-subject requests due in the next 7 days", count: due.count - overdue.count,
                              destination: .screen(.requests), isWarning: false,
                              details: due.filter { !$0.overdue }.map(line))]
    }
}
