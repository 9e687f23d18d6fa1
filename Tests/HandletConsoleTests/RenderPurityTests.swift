import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest
import HandletTestSupport

/// Issue 10 part 4: drawing is a pure function of what was loaded. Every screen, in every state a
/// person can put it in, draws without one read through its session (counted by the session
/// itself), at the size it was laid out for and at one it was not; and a resize is laid out
/// before it is drawn, so lists fill the new screen.
final class RenderPurityTests: ConsoleScreenTestCase {
    private static let sizes = [Size(width: 80, height: 22), Size(width: 200, height: 48)]

    /// A tab as the owner (or `email`), activated, put in a state by `prepare`, with its session.
    private func tab(_ id: ScreenID, actor email: String? = nil,
                     prepare: (inout any ConsoleTab) throws -> Void = { _ in }) throws -> (any ConsoleTab, WorkspaceSession) {
        let registry = ScreenRegistry.standard
        let context = fixture.context(actor: email)
        var tab = registry.screens[registry.index(of: id)!].make(context, registry)
        tab.layout(Self.sizes[0])
        tab.activate()
        try prepare(&tab)
        return (tab, context.session)
    }

    private func assertDrawsWithoutReading(_ tab: any ConsoleTab, _ session: WorkspaceSession, _ state: String,
                                           file: StaticString = #filePath, line: UInt = #line) {
        for size in Self.sizes {
            var laidOut = tab
            laidOut.layout(size)
            for (drawn, label) in [(laidOut, "laid out for \(size)"), (tab, "drawn at \(size) without its layout")] {
                let before = session.accessCount
                var grid = Grid(size: size)
                drawn.render(into: &grid, area: grid.bounds)
                drawn.render(into: &grid, area: Rect(x: 0, y: 0, width: size.width, height: size.height / 2))
                XCTAssertEqual(session.accessCount, before, "\(state), \(label): drawing read the workspace", file: file, line: line)
                XCTAssertFalse(grid.lines.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty },
                               "\(state), \(label): drew nothing", file: file, line: line)
            }
        }
    }

    private func press(_ keys: Key..., on tab: inout any ConsoleTab) {
        for key in keys { _ = tab.handle(key) }
    }

    func testEveryScreenDrawsWithoutReadingInEveryState() throws {
        let call7 = try fixture.workspace.callID("CALL-7")
        let call0 = try fixture.workspace.callID("CALL-0")
        _ = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
            .perform(.addUser(name: "Aggie Agent", email: "agent@example.test", role: .agent), at: ConsoleFixture.now)
        try importFixtureNotices()
        var states: [(String, ScreenID, String?, (inout any ConsoleTab) throws -> Void)] = [
            ("Overview", .overview, nil, { _ in }),
            ("Overview, an item selected", .overview, nil, { tab in _ = tab.handle(.down) }),
            ("Calls list", .calls, nil, { _ in }),
            ("Calls list scrolled", .calls, nil, { tab in for _ in 0..<5 { _ = tab.handle(.pageDown) } }),
            ("Calls list at the end", .calls, nil, { tab in _ = tab.handle(.char("G")) }),
            ("Calls filtered, with chips", .calls, nil, { tab in _ = tab.open(.calls(CallFilter(dateRange: .last7Days, outcomes: [.missed]))) }),
            ("Calls filtered to nothing", .calls, nil, { tab in _ = tab.open(.calls(CallFilter(outcomes: [.spam]))) }),
            ("Calls filter editor", .calls, nil, { tab in _ = tab.handle(.char("f")) }),
            ("Call detail with a recording", .calls, nil, { tab in _ = tab.open(.call(id: call0, highlight: nil)) }),
            ("Call detail at a search hit", .calls, nil, { tab in _ = tab.open(.call(id: call7, highlight: "boiler")) }),
            ("Call detail scrolled", .calls, nil, { tab in _ = tab.open(.call(id: call0, highlight: nil)); _ = tab.handle(.pageDown) }),
            ("Call detail asking for a hold's reason", .calls, nil, { tab in
                _ = tab.open(.call(id: call0, highlight: nil)); _ = tab.handle(.char("H")); _ = tab.handle(.char("x")) }),
            ("Call detail as a viewer", .calls, "viewer@example.test", { tab in _ = tab.open(.call(id: call0, highlight: nil)) }),
            ("A call that is gone", .calls, nil, { tab in _ = tab.open(.call(id: Call.ID(99_999), highlight: nil)) }),
            ("Message threads", .messages, nil, { _ in }),
            ("Messages filter editor", .messages, nil, { tab in _ = tab.handle(.char("f")) }),
            ("Conversation", .messages, nil, { tab in _ = tab.open(.thread(id: MessageThread.ID(1), highlight: nil, messageId: nil)) }),
            ("Conversation at a hit", .messages, nil, { tab in
                _ = tab.open(.thread(id: MessageThread.ID(1), highlight: "cistern", messageId: Message.ID(1))) }),
            ("Contacts", .contacts, nil, { _ in }),
            ("A contact and their timeline", .contacts, nil, { tab in _ = tab.handle(.enter) }),
            ("A contact's timeline scrolled", .contacts, nil, { tab in _ = tab.handle(.enter); for _ in 0..<30 { _ = tab.handle(.down) } }),
            ("Retention", .retention, nil, { _ in }),
            ("Retention as a viewer", .retention, "viewer@example.test", { _ in }),
            ("Retention, custom days", .retention, nil, { tab in
                _ = tab.handle(.down); for _ in 0..<8 { _ = tab.handle(.right) }; _ = tab.handle(.down); _ = tab.handle(.char("9")) }),
            ("Retention, turning recording off", .retention, nil, { tab in _ = tab.handle(.enter) }),
            ("Retention, confirming a shorter period", .retention, nil, { tab in
                _ = tab.handle(.down); _ = tab.handle(.left); _ = tab.handle(.left); _ = tab.handle(.enter) }),
            ("Auto-Send settings", .autosend, nil, { _ in }),
            ("Auto-Send settings as a viewer", .autosend, "viewer@example.test", { _ in }),
            ("Auto-Send, typing the threshold", .autosend, nil, { tab in for _ in 0..<8 { _ = tab.handle(.down) }; _ = tab.handle(.enter) }),
            ("Auto-Send, the master switch edited", .autosend, nil, { tab in _ = tab.handle(.enter) }),
            ("Auto-Send, the bulk actions", .autosend, nil, { tab in _ = tab.handle(.char("b")) }),
            ("Auto-Send queue", .autosend, nil, { tab in _ = tab.handle(.char("v")) }),
            ("Users", .users, nil, { _ in }),
            ("Users as a viewer, read only", .users, "viewer@example.test", { _ in }),
            ("Users at the last row", .users, nil, { tab in _ = tab.handle(.char("G")) }),
            ("Users, adding: the email prompt", .users, nil, { tab in _ = tab.handle(.char("a")); _ = tab.handle(.char("x")) }),
            ("Users, changing a role", .users, nil, { tab in _ = tab.handle(.char("G")); _ = tab.handle(.char("r")) }),
            ("Audit log", .audit, nil, { _ in }),
            ("Audit log as a viewer", .audit, "viewer@example.test", { _ in }),
            ("Audit log verified", .audit, nil, { tab in _ = tab.handle(.char("v")) }),
            ("Audit log filtered by actor, with chips", .audit, nil, { tab in
                _ = tab.handle(.char("a")); for c in "system" { _ = tab.handle(.char(c)) }; _ = tab.handle(.enter) }),
            ("Audit log filtered to nothing", .audit, nil, { tab in
                _ = tab.handle(.char("d")); for c in "2000-01-01" { _ = tab.handle(.char(c)) }; _ = tab.handle(.enter) }),
            ("Audit, the action filter", .audit, nil, { tab in _ = tab.handle(.char("t")) }),
            ("Audit refused to an agent", .audit, "agent@example.test", { _ in }),
            ("Audit, an event's details", .audit, nil, { tab in _ = tab.handle(.enter) }),
            ("Audit, an event scrolled", .audit, nil, { tab in _ = tab.handle(.enter); _ = tab.handle(.pageDown) }),
            ("Notices", .notices, nil, { _ in }),
            ("Notices as a viewer", .notices, "viewer@example.test", { _ in }),
            ("A notice read", .notices, nil, { tab in _ = tab.handle(.enter) }),
            ("A notice scrolled", .notices, nil, { tab in _ = tab.handle(.enter); _ = tab.handle(.pageDown) }),
            ("A notice's diff", .notices, nil, { tab in _ = tab.handle(.char("d")) }),
            ("Acknowledging", .notices, nil, { tab in _ = tab.handle(.char("a")) }),
            ("Objecting, a reason typed", .notices, nil, { tab in _ = tab.handle(.down); _ = tab.handle(.char("o")); _ = tab.handle(.char("x")) }),
            ("Compliance centre", .compliance, nil, { _ in }),
            ("Compliance, choosing a purpose", .compliance, nil, { tab in _ = tab.handle(.char("b")) }),
            ("Special-category matches", .compliance, nil, { tab in
                for _ in 0..<6 { _ = tab.handle(.down) }; _ = tab.handle(.enter) }),
        ]
        // Every registered screen has at least its first state here.
        for screen in ScreenRegistry.standard.screens where !states.contains(where: { $0.1 == screen.id }) {
            states.append((screen.title, screen.id, nil, { _ in }))
        }
        for (state, id, actor, prepare) in states {
            let (tab, session) = try tab(id, actor: actor, prepare: prepare)
            assertDrawsWithoutReading(tab, session, state)
        }
    }

    /// Two versions of a DPA, a subprocessor change, and a message with a special-category word.
    private func importFixtureNotices() throws {
        let now = ConsoleFixture.now
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        let files = [("1.md", NoticesScreenTests.file(id: "dpa", published: now.addingTimeInterval(-90 * 86_400), effective: now, body: "# One\n\nFirst.")),
                     ("2.md", NoticesScreenTests.file(id: "dpa", version: "2", published: now.addingTimeInterval(-2 * 86_400),
                                                      effective: now.addingTimeInterval(9 * 86_400), body: NoticesScreenTests.agreement)),
                     ("3.md", NoticesScreenTests.file(id: "sub", kind: "subprocessor_change", published: now.addingTimeInterval(-3 * 86_400),
                                                      effective: now.addingTimeInterval(40 * 86_400), ack: false, body: "# Sub\n\nChange."))]
        XCTAssertEqual(try owner.importNotices(files.map { (name: $0.0, data: $0.1) }, now: now).failed.count, 0)
        try fixture.workspace.appendToMessageBody(Message.ID(1), " I am diabetic.")
    }

    /// The whole console, with its overlays, draws without reading too.
    func testTheConsoleAndItsOverlaysDrawWithoutReading() throws {
        let keys: [(String, [Key])] = [
            ("the first tab", []),
            ("help", [.char("?")]),
            ("help scrolled", [.char("?"), .pageDown, .pageDown]),
            ("the palette", [.char(":")]),
            ("search with results", [.char("/")] + "radiator".map(Key.char)),
            ("the calls tab", [.char("2")]),
            ("a call opened from search", [.char("/")] + "boiler".map(Key.char) + [.enter]),
            ("the retention tab", [.char("5")]),
            ("the notices tab", [.char("9")]),
            ("the auto-send tab", [.char("6")]),
            ("the auto-send queue", [.char("6"), .char("v")]),
        ]
        for (state, presses) in keys {
            var driver = makeDriver()
            for key in presses { driver.press(key) }
            driver.settle { grid in !grid.lines.joined().contains("searching…") }
            let session = driver.screen.context.session
            for size in Self.sizes {
                driver.screen.layout(size)
                let before = session.accessCount
                var grid = Grid(size: size)
                driver.screen.render(into: &grid, area: grid.bounds)
                XCTAssertEqual(session.accessCount, before, "\(state) at \(size): drawing read the workspace")
            }
        }
    }

    /// Resizing lays the screen out before it is drawn, and the list reads what fills it.
    func testAResizeIsLaidOutBeforeItIsDrawnAndTheListFillsTheScreen() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.calls)
        func callRows() -> Int { driver.grid.lines.filter { $0.contains("Alice Archer") || $0.contains("Bob Blocked") }.count }
        XCTAssertEqual(callRows(), 24 - 3, "tab bar, status bar and the table's header aside, every row is a call")
        driver.backend.resize(to: Size(width: 200, height: 50))
        driver.press()
        XCTAssertEqual(callRows(), 50 - 4, "the taller screen is full at once (the key footer shows above 24 rows)")
        driver.press("bottom", in: "Calls list")
        driver.backend.resize(to: Size(width: 80, height: 24))
        driver.press()
        driver.backend.resize(to: Size(width: 120, height: 60))
        driver.press()
        XCTAssertEqual(callRows(), 60 - 4, "at the end of the list too, the rows above are read to fill it")
    }
}
