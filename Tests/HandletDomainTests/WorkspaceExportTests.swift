import CSV
import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The end-of-service export's table files: every row in both formats, across the CSV writer's
/// chunks, with text that needs quoting kept exact.
final class WorkspaceExportTests: XCTestCase {
    func testEveryRowReachesBothFilesExactly() throws {
        let fixture = try BrowseFixture()
        let awkward = "Smith, \"Jo\"\nline two, é 🙂"
        try fixture.write { db in
            for index in 0..<9_000 {
                try db.execute(sql: "INSERT INTO contacts(name, phone, created_at) VALUES (?, ?, 0)",
                               arguments: [index == 4_500 ? awkward : "Person \(index)", "+4477009\(String(format: "%05d", index))"])
            }
        }
        let folder = fixture.folder.appendingPathComponent("dump")
        let json = folder.appendingPathComponent("contacts.json"), csv = folder.appendingPathComponent("contacts.csv")
        let count = try fixture.read { db in try WorkspaceExport.dumpTable(db, "contacts", json: json, csv: csv) }
        XCTAssertEqual(count, 9_000)
        let objects = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [[String: Any]])
        XCTAssertEqual(objects.count, 9_000)
        XCTAssertEqual(objects[4_500]["name"] as? String, awkward)
        XCTAssertTrue(objects[0]["email"] is NSNull)
        let reader = try CSVReader(stream: InputStream(url: csv)!, hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        XCTAssertEqual(reader.headerRow?.first, "id")
        XCTAssertEqual(rows.count, 9_000, "every chunk joined by one line break")
        let nameColumn = try XCTUnwrap(reader.headerRow?.firstIndex(of: "name"))
        XCTAssertEqual(rows[4_500][nameColumn], awkward)
        XCTAssertEqual(rows[8_999][nameColumn], "Person 8999")
    }

    func testDerivedAndIndexTablesAreLeftOut() throws {
        let fixture = try BrowseFixture()
        let tables = try fixture.read { db in try WorkspaceExport.exportedTables(db) }
        for kept in ["calls", "messages", "contacts", "recordings", "audit_events", "workspace", "users"] {
            XCTAssertTrue(tables.contains(kept), kept)
        }
        XCTAssertFalse(tables.contains { $0.contains("_fts") || $0.contains("_id_span") || $0 == "record_counts" || $0 == "call_quarter_counts" || $0 == "purge_run" },
                       "\(tables)")
    }
}
