import Foundation
@testable import HandletDomain
import XCTest

/// The purge's background unlinker: the journal mark only advances past batches whose files are
/// all gone, and the first failure stops everything after it.
final class RetentionFileDeleterTests: XCTestCase {
    func testTheMarkAdvancesOnlyPastDeletedBatchesAndAFailureStopsTheRest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-deleter-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("blocked.wav/inside"), withIntermediateDirectories: true)
        for name in ["a.wav", "b.wav", "c.wav"] { try Data(name.utf8).write(to: folder.appendingPathComponent(name)) }
        let deleter = PurgeFileDeleter(folder: try OpenAudioFolder(folder), deletedThrough: 10)

        try deleter.delete(["a.wav", "gone-already.wav"], journalThrough: 12)
        XCTAssertEqual(try deleter.finish(), 12)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.wav").path))

        try deleter.delete(["b.wav", "blocked.wav"], journalThrough: 14)
        try? deleter.delete(["c.wav"], journalThrough: 15)
        XCTAssertThrowsError(try deleter.finish()) { error in
            guard case .cannotDelete(let path, _)? = error as? PurgeError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "blocked.wav")
        }
        XCTAssertEqual(deleter.deletedThrough, 12, "a batch with a file left is never marked done")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("c.wav").path),
                      "nothing after a failure is unlinked: its journal rows stay, so the next run retries them")
        XCTAssertThrowsError(try deleter.delete(["c.wav"], journalThrough: 16), "the run stops committing")
    }
}
