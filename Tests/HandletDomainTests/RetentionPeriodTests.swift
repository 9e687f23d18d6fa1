@testable import HandletDomain
import XCTest
import HandletTestSupport

final class RetentionPeriodTests: XCTestCase {
    /// Every way a period reaches the setter (typed text, a number, JSON) goes through the
    /// real `setRetentionPeriod` as the owner, confirmed: each bad value is refused with the range
    /// and the stored period, the recordings' expiries and the audit log stay as they were.
    func testRefusedInputsNameTheValidRangeAndChangeNothing() throws {
        let fixture = try RetentionFixture()
        let stored = try fixture.addCall(recordedAt: RetentionFixture.at(days: 1))
        let expiry = try fixture.recording(stored.recording?.id).expiresAt
        let session = fixture.workspace.session(as: fixture.owner)
        func set(_ period: () throws -> RetentionPeriod) throws {
            try session.perform(.setRetentionPeriod(try period(), shorteningConfirmed: true), at: RetentionFixture.at(days: 2))
        }
        var refused: [String] = []
        for text in ["0", "731", "30.5", "thirty", "-1", "", " ", "+7", "1e2", "99999999999999999999999"] {
            XCTAssertThrowsError(try set { try RetentionPeriod(parsing: text) }, "\"\(text)\" must be refused") { error in
                let message = String(describing: error)
                XCTAssertTrue(message.contains("from 1 to 730"), message)
                XCTAssertTrue(message.contains("7, 14, 30, 60, 90, 180, 365"), message)
                refused.append(text)
            }
        }
        for days in [0, 731, -1, Int.max, Int.min] {
            XCTAssertThrowsError(try set { try RetentionPeriod(days: days) }, "\(days) must be refused") { refused.append("\($0)") }
            XCTAssertThrowsError(try set { try JSONDecoder().decode(RetentionPeriod.self, from: Data("\(days)".utf8)) }, "JSON \(days)")
        }
        XCTAssertEqual(refused.count, 15)
        XCTAssertEqual(try fixture.retentionDays(), 30, "refusals leave the stored period alone")
        XCTAssertEqual(try fixture.recording(stored.recording?.id).expiresAt, expiry, "and every recording's expiry")
        XCTAssertTrue(try fixture.auditEvents(AuditAction.retentionPeriodChanged.rawValue).isEmpty)
        // The same setter with a good value does change all three: the checks above can fail.
        try set { try RetentionPeriod(parsing: "7") }
        XCTAssertEqual(try fixture.retentionDays(), 7)
        XCTAssertNotEqual(try fixture.recording(stored.recording?.id).expiresAt, expiry)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.retentionPeriodChanged.rawValue).count, 1)
    }

    func testBoundsAndPresetsAreAccepted() throws {
        XCTAssertEqual(try RetentionPeriod(parsing: "1").days, 1)
        XCTAssertEqual(try RetentionPeriod(parsing: "730").days, 730)
        XCTAssertEqual(try RetentionPeriod(parsing: " 45 ").days, 45)
        XCTAssertEqual(RetentionPeriod.presets.map(\.days), [7, 14, 30, 60, 90, 180, 365])
        XCTAssertEqual(RetentionPeriod.standard.days, 30, "the processor agreement's default")
        XCTAssertTrue(try RetentionPeriod(days: 90).isPreset)
        XCTAssertFalse(try RetentionPeriod(days: 45).isPreset)
        XCTAssertEqual(try RetentionPeriod(days: 1).description, "1 day")
    }

    func testBoundsCanBeStored() throws {
        let fixture = try RetentionFixture()
        try fixture.workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 730), shorteningConfirmed: false))
        XCTAssertEqual(try fixture.retentionDays(), 730)
        try fixture.workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 1), shorteningConfirmed: true))
        XCTAssertEqual(try fixture.retentionDays(), 1)
    }

    func testDecodingValidatesLikeParsing() throws {
        XCTAssertEqual(try JSONDecoder().decode(RetentionPeriod.self, from: Data("60".utf8)).days, 60)
        XCTAssertThrowsError(try JSONDecoder().decode(RetentionPeriod.self, from: Data("731".utf8)))
    }
}
