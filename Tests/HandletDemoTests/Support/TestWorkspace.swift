import Foundation
import GRDB
import HandletDemo
@testable import HandletDomain

/// A small generated demo workspace in its own temporary folder, removed when released.
///
/// The anchor is fixed (Monday 23 November 2026, 12:00 London), so every row is the same on
/// every run and tests may assert exact figures. Keep a reference for as long as you use it.
final class TestWorkspace {
    static let anchor = Date(timeIntervalSince1970: 1_795_435_200)

    let folder: URL
    let workspace: Workspace
    let options: DemoOptions

    var databaseURL: URL { workspace.databaseURL }
    var audioFolder: URL { workspace.audioDirectory }

    private init(folder: URL, workspace: Workspace, options: DemoOptions) {
        self.folder = folder
        self.workspace = workspace
        self.options = options
    }

    static func make(calls: Int = 200, messages: Int = 600, seed: UInt64 = 7, anchor: Date = TestWorkspace.anchor,
                     recordingEnabled: Bool = true, retentionDays: Int = 30) throws -> TestWorkspace {
        let folder = try temporaryFolder()
        let options = DemoOptions(calls: calls, messages: messages, seed: seed, anchor: anchor,
                                  recordingEnabled: recordingEnabled, retentionDays: retentionDays)
        do {
            let workspace = try DemoWorkspace.create(at: folder.appendingPathComponent("workspace.sqlite"), options: options)
            return TestWorkspace(folder: folder, workspace: workspace, options: options)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// An empty folder of its own under the system's temporary directory.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    deinit {
        try? workspace.dbPool.close()
        try? FileManager.default.removeItem(at: folder)
    }

    func read<T>(_ work: (Database) throws -> T) throws -> T { try workspace.dbPool.read(work) }
    func write<T>(_ work: (Database) throws -> T) throws -> T { try workspace.dbPool.write(work) }
}
