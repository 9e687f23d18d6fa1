import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 21: the Auto-Send duty is computed from the settings and the checks `handlet autosend
/// check` runs, never a constant: off is not in use (met), on and passing is met, on with a check
/// failing is failing, naming the check.
final class ComplianceAutoSendTests: XCTestCase {
    func testTheAutoSendDutyFollowsTheSettingsAndTheirChecks() throws {
        let fixture = try BrowseFixture()
        let owner = try fixture.workspace.session(actingAs: "owner@example.test", otherwise: .refuse)
        let now = BrowseFixture.now
        func line() throws -> ComplianceReport.Line { try XCTUnwrap(owner.read(.compliance(now: now)).line(.autoSend)) }

        XCTAssertEqual(try line().status, .notInUse)
        XCTAssertFalse(try line().status.isFailing, "off is met")
        XCTAssertEqual(try line().detail, "Auto-Send is off: nothing is sent without a person")

        try owner.perform(.acknowledgeAutoSend(.transparency), at: now)
        var on = AutoSendChange()
        on.master = true
        _ = try owner.perform(.changeAutoSend(on), at: now)
        XCTAssertEqual(try owner.read(.autoSendOverview).problems, [])
        XCTAssertEqual(try line().status, .ok)
        XCTAssertEqual(try line().detail, "Auto-Send is on and passes every check")

        // The business loses its name: the texts no longer name it, as `autosend check` says.
        try fixture.write { try $0.execute(sql: "UPDATE workspace SET business_name = ''") }
        let problems = try owner.read(.autoSendOverview).problems
        XCTAssertFalse(problems.isEmpty)
        XCTAssertEqual(try line().status, .failing)
        XCTAssertEqual(try line().count, problems.count)
        let detail = try line().detail
        XCTAssertTrue(detail.contains(problems[0].message), detail)
        XCTAssertTrue(try owner.read(.compliance(now: now)).anyFailing)
    }

    /// The domain describes duties in its own words with the command that fixes them; where the
    /// console fixes one is declared by the screen that does.
    func testNoDutyNamesAPlaceInTheConsole() {
        for duty in ComplianceReport.Duty.allCases {
            for word in ["tab", "console", "screen", "press"] {
                XCTAssertNil(duty.fix.range(of: "\\b\(word)\\b", options: [.regularExpression, .caseInsensitive]),
                             "\(duty): \(duty.fix)")
                XCTAssertNil(duty.title.range(of: "\\b\(word)\\b", options: [.regularExpression, .caseInsensitive]),
                             "\(duty): \(duty.title)")
            }
        }
    }
}
