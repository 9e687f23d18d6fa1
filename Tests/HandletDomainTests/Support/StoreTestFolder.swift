import Foundation

/// A temporary folder and a fixed clock for the store tests that build their own workspace
/// (the ones that start from a generated demo workspace live in HandletDemoTests).
enum StoreTestFolder {
    /// Monday 23 November 2026, 12:00 London: the same anchor as the demo fixture's.
    static let anchor = Date(timeIntervalSince1970: 1_795_435_200)

    /// An empty folder of its own under the system's temporary directory.
    static func make() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
