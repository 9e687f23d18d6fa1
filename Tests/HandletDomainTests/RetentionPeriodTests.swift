@testable import HandletDomain
import XCTest

final class RetentionPeriodTests: XCTestCase {
    func testRefusedInputsNameTheValidRangeAndChangeNothing() throws {
        let fixture = try RetentionFixture()
        for text in ["0", "731", "30.5", "thirty", "-1", "", " ", "+7", "1e2", "99999999999999999999999"] {
            XCTAssertThrowsError(try RetentionPeriod(parsing: text), "\"\(text)\" must be refused") { error in
                let message = String(describing: error)
                XCTAssertTrue(message.contains("from 1 to 730"), message)
                XCTAssertTrue(message.contains("7, 14, 30, 60, 90, 180, 365"), message)
            }
        }
        XCTAssertThrowsError(try RetentionPeriod(days: 0))
        XCTAssertThrowsError(try RetentionPeriod(days: 731))
        XCTAssertThrowsError(try RetentionPeriod(days: -1))
        XCTAssertEqual(try fixture.retentionDays(), 30, "refusals leave the stored period alone")
        XCTAssertTrue(try fixture.auditEvents(AuditAction.retentionPeriodChanged.rawValue).isEmpty)
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
