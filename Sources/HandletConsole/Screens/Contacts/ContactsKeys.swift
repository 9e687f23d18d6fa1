import HandletDomain
import TerminalUI

extension ScreenID {
    static let contacts = ScreenID("contacts")
}

/// What the Contacts tab opens for other screens: a person, with their timeline.
extension DestinationKind {
    static let contact = DestinationKind("contact")
    /// The list narrowed to what a search finds (`:contact Dean King` with several Dean Kings).
    static let contactSearch = DestinationKind("contact_search")
}

extension ConsoleDestination {
    static func contact(id: Contact.ID) -> ConsoleDestination { ConsoleDestination(.contact, id) }
    static func contacts(search: String) -> ConsoleDestination { ConsoleDestination(.contactSearch, search, opensList: true) }
}

/// The Contacts tab's key tables: the list's, a person's, and how each state combines them.
extension ContactsTab {
    enum ListAction: Sendable, Equatable { case open, filter }
    static let listTable = KeyTable<ListAction>("contacts", title: "Contacts list", scope: "The Contacts tab's list", [
        KeyBinding([.enter], .open, "Open the contact", group: "Contacts", name: "open"),
        // Here `/` finds people: calls and messages are searched from the other tabs.
        KeyBinding([.char("/")], .filter, "Find contacts by name, email or phone as you type", group: "Contacts",
                   name: "filter", shadowsOuter: true),
    ])

    enum PersonAction: Sendable, Equatable { case open, back, copyPhone, copyEmail, dataSubject }
    static let personTable = KeyTable<PersonAction>("contact", title: "Contact", scope: "A contact with their calls and messages", [
        KeyBinding([.enter], .open, "Open the call or conversation", group: "Contact", name: "open"),
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the contacts", group: "Contact", name: "back", shadowsOuter: true),
        KeyBinding([.char("y")], .copyPhone, "Copy the phone number", group: "Contact", name: "copy_phone"),
        KeyBinding([.char("Y")], .copyEmail, "Copy the email address", group: "Contact", name: "copy_email"),
        KeyBinding([.char("D")], .dataSubject, "Everything held about them, as a data-subject request", group: "Contact",
                   name: "data_subject", needs: .dataSubjectExportRectifyRestrict),
    ])

    /// The state's own keys, then movement: the order of dispatch and of help.
    enum ListKey: Sendable { case list(ListAction), move(NavigationAction) }
    static func listKeys(_ keys: KeyBindings) -> KeyMap<ListKey> {
        listTable.resolved(keys, ListKey.list) + NavigationKeys.table.resolved(keys, ListKey.move)
    }

    enum PersonKey: Sendable { case person(PersonAction), move(NavigationAction) }
    static func personKeys(_ keys: KeyBindings) -> KeyMap<PersonKey> {
        personTable.resolved(keys, PersonKey.person) + NavigationKeys.table.resolved(keys, PersonKey.move)
    }

    static var keyTables: [AnyKeyTable] { [listTable.erased, personTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Contacts list", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Contact", .screen) { personKeys($0).erasedActions }]
    }
}
