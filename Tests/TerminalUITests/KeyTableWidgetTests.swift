import TerminalUI
import XCTest

/// The pieces of TerminalUI the console's key tables stand on.
final class KeyTableWidgetTests: XCTestCase {
    enum Action: Sendable, Equatable { case open, goTo, nextTab }

    func testMatchGivesThePositionAndTheFirstBindingWins() {
        let digits: [Key] = (1...9).map { .char(Character(String($0))) } + [.char("0")]
        let keys = KeyMap<Action>([KeyBinding([.enter], .open, "Open"), KeyBinding(digits, .goTo, "Go to tab"),
                                   KeyBinding([.enter], .nextTab, "Never reached")])
        XCTAssertEqual(keys.match(.char("0"))?.position, 9)
        XCTAssertEqual(keys.match(.char("3"))?.binding.action, .goTo)
        XCTAssertEqual(keys.action(for: .enter), .open)
        XCTAssertEqual(keys.helpEntries[1].keys, "1–9 0", "a run of digits reads as a range")
        XCTAssertEqual(keys.bindings.map(\.name), ["open", "go_to", "next_tab"], "names derived from the cases, snake-cased")
        let rebound = keys.rebinding("open", to: [.char("o")])
        XCTAssertEqual(rebound.action(for: .char("o")), .open)
        XCTAssertEqual(rebound.action(for: .enter), .nextTab)
        XCTAssertEqual(keys.rebinding("open", to: []).helpEntries.count, 2, "an unbound action leaves help")
    }

    func testHelpOverlayDimsADisabledRowWithItsReasonAndWrapsLongRows() {
        let entries = [HelpEntry(keys: "Enter", description: "Open the call", group: "Call"),
                       HelpEntry(keys: "H", description: "Place a legal hold", group: "Call", disabledReason: "owner or admin"),
                       HelpEntry(keys: "x", description: String(repeating: "long words ", count: 12), group: "Call")]
        var grid = Grid(width: 80, height: 20)
        HelpOverlay(title: "Call", entries: entries, closeHint: "Esc to close").render(into: &grid, area: grid.bounds, state: ScrollState())
        let row = grid.lines.firstIndex { $0.contains("Place a legal hold — owner or admin") }!
        XCTAssertTrue(grid[grid.column(of: "H", row: row)!, row].style.modifiers.contains(.dim))
        XCTAssertTrue(grid[grid.column(of: "Place", row: row)!, row].style.modifiers.contains(.dim))
        let open = grid.lines.firstIndex { $0.contains("Open the call") }!
        XCTAssertEqual(grid[grid.column(of: "Enter", row: open)!, open].style, .accent)
        XCTAssertGreaterThan(grid.lines.filter { $0.contains("long words") }.count, 1, "a long row wraps instead of being cut")
        XCTAssertFalse(grid.lines.joined().contains("…"))
    }

    func testTabBarFitsTenTabsInEightyColumns() {
        let titles = [("Overview", "Over"), ("Calls", "Calls"), ("Messages", "Msgs"), ("Contacts", "Cont"), ("Retention", "Ret"),
                      ("Auto-Send", "Auto"), ("Notices", "Note"), ("Requests", "Reqs"), ("Users", "Users"), ("Audit", "Audit")]
        let items = titles.enumerated().map { TabBar.Item(key: $0.offset < 9 ? String($0.offset + 1) : "0", title: $0.element.0, shortTitle: $0.element.1) }
        for selected in items.indices {
            var grid = Grid(width: 80, height: 1)
            TabBar(items: items, selected: selected).render(into: &grid, area: grid.bounds)
            let line = grid.line(0)
            XCTAssertFalse(line.contains("…"), "nothing is cut: \(line)")
            XCTAssertTrue(line.contains(" \(items[selected].key!) \(items[selected].title) "), line)
            for item in items where item != items[selected] { XCTAssertTrue(line.contains(" \(item.key!) \(item.shortTitle)"), line) }
        }
        var wide = Grid(width: 200, height: 1)
        TabBar(items: items, selected: 0).render(into: &wide, area: wide.bounds)
        XCTAssertTrue(wide.line(0).hasPrefix(" 1 Overview  2 Calls  3 Messages "), wide.line(0))
        XCTAssertEqual(TabBar(items: items, selected: 0).tab(after: .char("0")), 9)
    }

    func testConfirmDialogDispatchesFromItsTable() {
        var dialog = ConfirmDialog(title: "Shorten", message: "Sure?", isDestructive: true)
        let rebound = ConfirmDialog.keys.rebinding("confirm", to: [.char("s")])
        XCTAssertNil(dialog.handle(.char("y"), keys: rebound))
        XCTAssertEqual(dialog.handle(.char("s"), keys: rebound), .confirmed)
        XCTAssertEqual(dialog.handle(.escape), .cancelled)
    }
}
