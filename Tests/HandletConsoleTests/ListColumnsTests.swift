import Foundation
import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Every console list draws the domain's declaration: the same headers, widths, alignment and cells
/// the CLI's plain-text tables print (EndToEndTests.BrowseCLITests checks the CLI's side).
final class ListColumnsTests: ConsoleScreenTestCase {
    private func assertDrawn<Row>(_ console: [TableColumn], _ declared: ListColumns<Row>, file: StaticString = #filePath, line: UInt = #line) {
        let columns = declared.columns(for: .interactive)
        XCTAssertEqual(console.map(\.title), declared.headers(for: .interactive), file: file, line: line)
        XCTAssertEqual(console.map(\.alignRight), columns.map { $0.alignment == .trailing }, file: file, line: line)
        XCTAssertEqual(console.map(\.width), columns.map {
            switch $0.width {
            case .fixed(let n): TableColumn.Width.fixed(n)
            case .flexible(let minimum, let weight): .flexible(minimum: minimum, weight: weight)
            }
        }, file: file, line: line)
        XCTAssertEqual(declared.headers(for: .plainText).filter { !declared.headers(for: .interactive).contains($0) },
                       declared.all.filter(\.identifiesRow).map(\.header), "the CLI adds only the id column", file: file, line: line)
    }

    func testConsoleColumnsAreTheDomainsDeclaration() {
        assertDrawn(CallsTab.columns, CallRow.columns)
        assertDrawn(MessagesTab.columns, ThreadRow.columns)
        assertDrawn(ContactsTab.columns, ContactRow.columns)
        assertDrawn(ContactsTab.timelineColumns, TimelineEntry.columns)
        assertDrawn(LegalHold.Held.columns.tableColumns, LegalHold.Held.columns)
    }

    func testConsoleRowsAreTheDomainsCells() throws {
        let clock = BrowseClock(now: ConsoleFixture.now, timeZone: TimeZone(identifier: "Europe/London")!)
        let session = fixture.workspace.session(as: try fixture.workspace.localOwner())
        let bob = try XCTUnwrap(try session.pager(ContactPage()).first(limit: 10).first { $0.name == "Bob Blocked" })
        XCTAssertEqual(ContactsTab.tableRow(bob, clock: clock).cells, ["Bob Blocked", "+447700900002", "", "opted out"])
        XCTAssertEqual(ContactRow.columns.cells(bob, clock: clock, for: .plainText), [bob.id.description, "Bob Blocked", "+447700900002", "", "opted out"])
        XCTAssertEqual(ContactsTab.tableRow(bob, clock: clock).style, .dim)
        let call = try XCTUnwrap(try session.pager(CallPage(clock: clock)).first(limit: 1).first)
        XCTAssertEqual(CallsTab.tableRow(call, clock: clock).cells, CallRow.columns.cells(call, clock: clock, for: .interactive))
        XCTAssertEqual(CallsTab.tableRow(call, clock: clock).cells.first, "23 Nov 11:00")
    }
}
