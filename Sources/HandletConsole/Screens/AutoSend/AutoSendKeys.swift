import Foundation
import HandletDomain
import TerminalUI

extension ScreenID {
    static let autosend = ScreenID("autosend")
}

/// The settings and the queue: the tab re-reads both when a change it made lands.
extension ChangeSubject {
    static let autoSend = ChangeSubject("autosend")
}

/// The Auto-Send tab's place in the Overview, and the compliance duty it fixes.
extension AutoSendTab {
    static func attention(_ overview: Overview) -> [AttentionItem] {
        [AttentionItem(label: "Auto-Send drafts waiting for a person", count: overview.draftsWaiting,
                       destination: .screen(.autosend), isWarning: overview.draftsWaiting > 0)]
    }

    static let fixes = [DutyFix(.autoSend, does: "change the settings and see each check", at: .screen(.autosend))]
}

/// The tab's key tables: the settings form's, the queue's, and the draft editor's.
extension AutoSendTab {
    enum SettingsAction: Sendable, Equatable { case previous, next, decrease, increase, change, save, revert, bulk, showQueue, refresh }
    static let settingsTable = KeyTable<SettingsAction>("autosend", title: "Auto-Send settings", scope: "The Auto-Send tab's settings form", [
        KeyBinding([.up, .char("k")], .previous, "Previous setting", group: "Settings", name: "previous_setting"),
        KeyBinding([.down, .char("j")], .next, "Next setting", group: "Settings", name: "next_setting"),
        KeyBinding([.left, .char("h")], .decrease, "Lower the threshold, cap or preview days", group: "Settings", name: "decrease"),
        KeyBinding([.right, .char("l")], .increase, "Raise the threshold, cap or preview days", group: "Settings", name: "increase"),
        KeyBinding([.enter, .char(" ")], .change, "Switch the setting on/off, edit its text, or give the acknowledgement",
                   group: "Settings", name: "change", needs: .changeAutoSend),
        KeyBinding([.char("s")], .save, "Save the edited settings (shows what changes first)", group: "Settings", name: "save",
                   needs: .changeAutoSend),
        KeyBinding([.char("u")], .revert, "Undo the edits not yet saved", group: "Settings", name: "revert"),
        KeyBinding([.char("b")], .bulk, "Bulk action: enable eligible, disable all, automate ready", group: "Settings", name: "bulk",
                   needs: .changeAutoSend),
        KeyBinding([.char("v")], .showQueue, "Show the action queue", group: "Settings", name: "queue"),
        KeyBinding([.char("r")], .refresh, "Refresh", group: "Settings", name: "refresh"),
    ])

    enum QueueAction: Sendable, Equatable {
        case approve, edit, discard, correct, incorrect, notNow, select, showSettings, refresh
    }
    static let queueTable = KeyTable<QueueAction>("autosend_queue", title: "Auto-Send queue",
                                                  scope: "The Auto-Send tab's action queue", [
        KeyBinding([.char("a")], .approve, "Approve the draft (or every selected one)", group: "Queue", name: "approve",
                   needs: .handleDrafts),
        KeyBinding([.char("e")], .edit, "Edit the draft, then approve it", group: "Queue", name: "edit", needs: .handleDrafts),
        KeyBinding([.char("d")], .discard, "Discard the draft (or every selected one)", group: "Queue", name: "discard",
                   needs: .handleDrafts),
        KeyBinding([.char("y")], .correct, "Was this correct? Yes (counts towards training)", group: "Queue", name: "correct",
                   needs: .handleDrafts),
        KeyBinding([.char("n")], .incorrect, "Was this correct? No (counts towards training)", group: "Queue", name: "incorrect",
                   needs: .handleDrafts),
        KeyBinding([.char("z")], .notNow, "Was this correct? Not now (does not count)", group: "Queue", name: "not_now",
                   needs: .handleDrafts),
        KeyBinding([.char(" ")], .select, "Select or unselect the draft, for approving or discarding several", group: "Queue",
                   name: "select"),
        KeyBinding([.char("v")], .showSettings, "Show the settings", group: "Queue", name: "settings"),
        KeyBinding([.char("r")], .refresh, "Refresh", group: "Queue", name: "refresh"),
    ])

    /// The queue's own keys, then movement: the order of dispatch and of help.
    enum QueueKey: Sendable, Equatable { case queue(QueueAction), move(NavigationAction) }
    static func queueKeys(_ keys: KeyBindings) -> KeyMap<QueueKey> {
        queueTable.resolved(keys, QueueKey.queue) + NavigationKeys.table.resolved(keys, QueueKey.move)
    }

    static var keyTables: [AnyKeyTable] { [settingsTable.erased, queueTable.erased, DraftEditor.table.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Auto-Send settings", .screen, tables: [settingsTable.erased]),
         KeyModeDeclaration("Auto-Send queue", .screen) { queueKeys($0).erasedActions },
         KeyModeDeclaration("Draft editor", .modal, tables: [DraftEditor.table.erased])]
    }
}
