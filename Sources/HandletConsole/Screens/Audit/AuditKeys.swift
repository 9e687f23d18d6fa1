import HandletDomain
import TerminalUI

extension ScreenID {
    static let audit = ScreenID("audit")
}

/// The Audit tab's key tables: the log's (filters, an event, verify) and an event's.
/// Agents may not read the log (DESIGN §4): help dims these keys for them with the roles that may.
extension AuditTab {
    enum ListAction: Sendable, Equatable { case open, actor, action, dates, clear, verify, verifyCheckpoint }
    static let listTable = KeyTable<ListAction>("audit", title: "Audit log", scope: "The Audit tab's list, newest first", [
        KeyBinding([.enter], .open, "Open the event's details", group: "Audit", name: "open", needs: .readAuditLog),
        KeyBinding([.char("a")], .actor, "Filter by actor (part of a name or email, or system)", group: "Audit", name: "actor",
                   needs: .readAuditLog),
        KeyBinding([.char("t")], .action, "Filter by action", group: "Audit", name: "action", needs: .readAuditLog),
        KeyBinding([.char("d")], .dates, "Filter by date (DAY or FROM..TO)", group: "Audit", name: "dates", needs: .readAuditLog),
        KeyBinding([.char("x")], .clear, "Clear every filter", group: "Audit", name: "clear", needs: .readAuditLog),
        KeyBinding([.char("v")], .verify, "Verify the hash chain", group: "Audit", name: "verify", needs: .readAuditLog),
        KeyBinding([.char("V")], .verifyCheckpoint, "Verify against a checkpoint SEQ:HASH kept elsewhere", group: "Audit",
                   name: "verify_checkpoint", needs: .readAuditLog),
    ])

    enum EventAction: Sendable, Equatable { case back, openTarget }
    static let eventTable = KeyTable<EventAction>("audit_event", title: "Audit event", scope: "One audit event's fields and details", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the log", group: "Audit event", name: "back", shadowsOuter: true),
        KeyBinding([.enter], .openTarget, "Open what the event names (its call, user, notice or contact)", group: "Audit event",
                   name: "open_target"),
    ])

    /// The state's own keys, then movement: the order of dispatch and of help.
    enum ListKey: Sendable { case list(ListAction), move(NavigationAction) }
    static func listKeys(_ keys: KeyBindings) -> KeyMap<ListKey> {
        listTable.resolved(keys, ListKey.list) + NavigationKeys.table.resolved(keys, ListKey.move)
    }

    enum EventKey: Sendable { case event(EventAction), scroll(NavigationAction) }
    static func eventKeys(_ keys: KeyBindings) -> KeyMap<EventKey> {
        eventTable.resolved(keys, EventKey.event) + NavigationKeys.table.resolved(keys, EventKey.scroll)
    }

    /// " Press x to clear them.", in the key as bound.
    var clearHint: String { Self.listTable.resolved(context.keys).keyLabel(.clear).map { " Press \($0) to clear them." } ?? "" }

    static var keyTables: [AnyKeyTable] { [listTable.erased, eventTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Audit log", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Audit event", .screen) { eventKeys($0).erasedActions }]
    }
}
