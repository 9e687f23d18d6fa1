import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Every real key table: no clashes, stable names, readable keys, and a reference that is current.
final class KeyTablesTests: XCTestCase {
    let tables = ConsoleKeys.tables(.standard)

    /// The rule (see `KeyConflicts.find`): within a screen state or a dialog no key has two
    /// actions; and a tab's key may hide a console key only when its binding says so on purpose
    /// (`shadowsOuter`, as `q`/Esc = back in a detail view).
    func testNoRealTableHasConflictingKeys() {
        XCTAssertEqual(ConsoleKeys.conflicts(.standard).map(\.description), [])
        for table in tables { XCTAssertEqual(table.defaults.conflictingKeys, [], "within [\(table.section)]") }
        XCTAssertGreaterThanOrEqual(ConsoleKeys.modes(.standard).count, 15, "every state of every screen and dialog is checked")
    }

    func testTheCheckFindsAClashAndAnAccidentalShadow() {
        let clash = KeyBindings.defaults.setting("call", "hold", to: [.char("U")])
        XCTAssertEqual(ConsoleKeys.conflicts(.standard, keys: clash).map(\.description), ["U is bound to both call.hold and call.release in Call detail"])
        // (`/` on the Calls list narrows it, shadowing the search on purpose: `F` is the search's own key.)
        let shadow = KeyBindings.defaults.setting("calls", "open", to: [.char("F")])
        XCTAssertEqual(ConsoleKeys.conflicts(.standard, keys: shadow).map(\.description), ["F is bound to both calls.open and console.search in Calls list",
                                                                                  "F is bound to both calls.open and console.search in Calls list with marks"])
        let intended = KeyBindings.defaults.setting("call", "back", to: [.char("q"), .char("/")])
        XCTAssertTrue(ConsoleKeys.conflicts(.standard, keys: intended).isEmpty, "a binding that shadows on purpose may take console keys")
    }

    func testSectionsAndActionNamesAreUniqueAndStable() {
        XCTAssertEqual(Set(tables.map(\.section)).count, tables.count)
        let pattern = /^[a-z][a-z0-9_]*$/
        for table in tables {
            XCTAssertNotNil(table.section.wholeMatch(of: pattern), table.section)
            XCTAssertEqual(Set(table.actionNames).count, table.actionNames.count, "names within [\(table.section)]")
            for name in table.actionNames { XCTAssertNotNil(name.wholeMatch(of: pattern), "[\(table.section)] \(name)") }
        }
        XCTAssertEqual(tables.first { $0.section == "call" }?.actionNames, ["back", "hold", "release", "delete_text", "copy_number", "copy_id",
                                                                           "copy_transcript", "play", "save", "next_call", "previous_call"])
        XCTAssertEqual(tables.first { $0.section == "console" }?.actionNames,
                       ["quit", "help", "palette", "search", "next_tab", "previous_tab", "go_to_tab", "redraw", "back", "messages"])
    }

    /// What help and the reference print can be written back in keys.toml.
    func testEveryKeyLabelReadsBackAsTheSameKey() {
        for table in tables {
            for binding in table.defaults.bindings {
                for key in binding.keys { XCTAssertEqual(KeyNames.parse(key.label), key, "[\(table.section)] \(binding.name): \(key.label)") }
            }
        }
        XCTAssertEqual(KeyNames.parse("Up"), .up)
        XCTAssertEqual(KeyNames.parse("ctrl-r"), .ctrl("r"))
        XCTAssertEqual(KeyNames.parse("C-r"), .ctrl("r"))
        XCTAssertEqual(KeyNames.parse("Alt-X"), .alt("X"))
        XCTAssertEqual(KeyNames.parse("Space"), .char(" "))
        XCTAssertEqual(KeyNames.parse("F12"), .function(12))
        for bad in ["", "Ctrl-", "Ctrl-ab", "F99", "Hyper-x", "\u{7}"] { XCTAssertNil(KeyNames.parse(bad), bad) }
    }

    func testTheRolesAKeyNeedsAreDeclaredOnce() {
        let needing = tables.flatMap { table in table.defaults.bindings.compactMap { $0.permission.map { "\(table.section).\($0.rawValue)" } } }
        XCTAssertEqual(Set(needing), ["call.legalHold", "calls_marks.legalHold", "retention.changeRetention", "retention_days.changeRetention",
                                      "users.manageUsers", "audit.readAuditLog",
                                      "notices.acknowledgeNotice", "notices.objectToSubprocessor", "notice.acknowledgeNotice",
                                      "notice.objectToSubprocessor", "compliance.changeComplianceSettings",
                                      "autosend.changeAutoSend", "autosend_queue.handleDrafts", "draft_editor.handleDrafts",
                                      "retention_text_days.changeRetention", "special_category.minimiseData",
                                      "call.minimiseData", "conversation.minimiseData",
                                      "requests.dataSubjectExportRectifyRestrict", "data_subject.dataSubjectExportRectifyRestrict",
                                      "data_subject.dataSubjectErasure", "contact.dataSubjectExportRectifyRestrict",
                                      "call.exportRecording", "retention_holds.legalHold"])
    }

    func testDocsKeysMdIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("docs/keys.md")
        let written = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(written == KeyReference.markdown(),
                      "docs/keys.md is stale: regenerate it with `swift run handlet keys --markdown > docs/keys.md`")
        for table in tables { XCTAssertTrue(written.contains("`[\(table.section)]`"), table.section) }
    }
}
