import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The registry: one declaration per screen, navigation by typed id, ten tabs on 80 columns.
final class ScreenRegistryTests: ConsoleScreenTestCase {
    /// A screen that only says its name: enough to fill a registry.
    struct DummyTab: ConsoleTab {
        var title: String
        var helpEntries: [HelpEntry] { [] }
        var status: String { "" }
        func render(into grid: inout Grid, area: Rect) { grid.put("This is \(title)", x: area.x + 1, y: area.y + 1, maxWidth: area.width - 2) }
        mutating func handle(_ key: Key) -> TabResponse { .ignored }
    }

    /// The ten tabs of DESIGN §8 (and an eleventh, past the number keys).
    static func dummies(_ count: Int, attention: [AttentionItem] = []) -> ScreenRegistry {
        let titles = [("Overview", "Over"), ("Calls", "Calls"), ("Messages", "Msgs"), ("Contacts", "Cont"), ("Retention", "Ret"),
                      ("Auto-Send", "Auto"), ("Notices", "Note"), ("Requests", "Reqs"), ("Users", "Users"), ("Audit", "Audit"),
                      ("Eleventh", "11th")]
        return ScreenRegistry(titles.prefix(count).enumerated().map { index, names in
            ScreenDeclaration(id: ScreenID("dummy\(index)"), title: names.0, tabLabel: names.1,
                              attention: { _ in index == 0 ? attention : [] }) { _, _ in DummyTab(title: names.0) }
        })
    }

    func testTenTabsFitEightyColumnsWithEveryKeyShowing() {
        var driver = makeDriver(size: Size(width: 80, height: 24), screens: Self.dummies(10))
        for selected in [0, 4, 9] {
            if selected == 4 { driver.press(.char("5")) }
            if selected == 9 { driver.press(.char("0")) }
            XCTAssertEqual(driver.screen.selectedTab, selected)
            let bar = driver.grid.lines[0]
            for (index, key) in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"].enumerated() {
                XCTAssertTrue(bar.contains(" \(key) "), "tab \(index + 1)'s key \(key) shows: \(bar)")
            }
            let active = Self.dummies(10).screens[selected].title
            XCTAssertTrue(bar.contains(active), "the active tab keeps its full title: \(bar)")
            XCTAssertEqual(driver.style(of: active)?.role, .tabActive)
            XCTAssertTrue(driver.text.contains("This is \(active)"))
        }
        XCTAssertTrue(driver.grid.lines[0].contains("Over") && driver.grid.lines[0].contains("Msgs"), "short titles: \(driver.grid.lines[0])")
    }

    func testWideTerminalsShowEveryFullTitle() {
        let driver = makeDriver(size: Size(width: 200, height: 50), screens: Self.dummies(10))
        for screen in Self.dummies(10).screens { XCTAssertTrue(driver.grid.lines[0].contains("\(screen.title) "), driver.grid.lines[0]) }
    }

    func testTabsPastTheTenthAreReachedByTabAndThePalette() {
        var driver = makeDriver(size: Size(width: 80, height: 24), screens: Self.dummies(11))
        driver.press(.char(":"))
        driver.type("eleventh")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Eleventh")
        XCTAssertTrue(driver.grid.lines[0].contains("Eleventh"), driver.grid.lines[0])
        driver.press(.char("0"), .tab)
        XCTAssertEqual(driver.screen.currentTab.title, "Eleventh", "Tab steps from the tenth to the eleventh")
        driver.press(.tab)
        XCTAssertEqual(driver.screen.currentTab.title, "Overview")
    }

    /// A screen's attention items reach the Overview through the registry's hook.
    func testTheOverviewShowsWhatTheRegistryContributes() {
        let item = AttentionItem(label: "Dummy things to look at", count: 7, destination: .screen(ScreenID("dummy1")), isWarning: true)
        let base = Self.dummies(3).screens
        let registry = ScreenRegistry([.tab(OverviewTab.self)] + base.dropFirst().map { $0 } + [
            ScreenDeclaration(id: ScreenID("contributor"), title: "Contributor", tabLabel: "C", attention: { _ in [item] }) { _, _ in
                DummyTab(title: "Contributor")
            },
        ])
        var driver = makeDriver(screens: registry)
        XCTAssertTrue(driver.text.contains("Dummy things to look at"), driver.text)
        XCTAssertFalse(driver.text.contains("Missed calls, last 7 days"), "only the screens in the registry contribute")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls", "Enter goes to the screen the item names (dummy1)")
    }

    func testDestinationsGoToTheScreenThatDeclaresThem() {
        let registry = ScreenRegistry.standard
        XCTAssertEqual(registry.screens.map(\.id), [.overview, .calls, .messages, .contacts, .retention, .autosend, .users,
                                                     .audit, .notices, .compliance, .requests])
        let expected: [(ConsoleDestination, ScreenID)] = [
            (.call(id: Call.ID(1), highlight: nil), .calls), (.calls(CallFilter()), .calls),
            (.thread(id: MessageThread.ID(1), highlight: nil, messageId: nil), .messages), (.contact(id: Contact.ID(1)), .contacts), (.screen(.retention), .retention),
            (.notice(id: 1), .notices), (.complianceCentre(), .compliance), (.dataSubject(contacts: [Contact.ID(1)]), .requests),
        ]
        for (destination, id) in expected {
            XCTAssertEqual(registry.index(showing: destination), registry.index(of: id), "\(destination)")
        }
        for kind in Set(registry.screens.flatMap(\.shows)) {
            XCTAssertEqual(registry.screens.filter { $0.shows.contains(kind) }.count, 1, "exactly one screen opens \(kind)")
        }
        var driver = makeDriver()
        driver.screen.navigate(to: .contact(id: Contact.ID(2)))
        driver.press()
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts")
        XCTAssertTrue(driver.text.contains("Bob Blocked") && driver.text.contains("Opted out"), driver.text)
        driver.screen.navigate(to: .screen(ScreenID("nowhere")))
        driver.press()
        XCTAssertTrue(driver.grid.lines.last!.contains("Nothing here can open that"))
    }

    func testPaletteCommandsAreTypedAndRunOnTheirScreen() {
        let titles = ScreenRegistry.standard.paletteCommands.map(\.title)
        XCTAssertEqual(titles, ["Calls: filter…", "Calls: clear filters", "Calls: show every column", "Calls: newest first (no sort)", "Messages: filter…", "Messages: clear filters",
                                "Retention: turn recording off…", "Retention: turn recording on", "Audit: verify the hash chain"])
        XCTAssertEqual(ScreenRegistry.standard.paletteArguments.map(\.words),
                       ["hold", "release", "save", "filter", "period", "recording", "user add", "actor"])
        var driver = makeDriver()
        driver.press(.char(":"))
        driver.type("messages filter")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        XCTAssertTrue(driver.text.contains("Filter —"), "the command opened the Messages filter editor")
    }
}
