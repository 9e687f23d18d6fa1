import Foundation
import GRDB
import HandletDomain
import XCTest

/// Runs the built `handlet` binary against a small workspace and checks what a script sees.
final class BrowseCLITests: XCTestCase {
    /// Not a test: `HANDLET_CREATE_EMPTY_WORKSPACE=PATH` makes an empty workspace there through the
    /// real migrations, for scripts/bench-browse.sh to bulk-fill. Skipped otherwise.
    func testCreateEmptyWorkspaceForTheBenchmark() throws {
        guard let path = ProcessInfo.processInfo.environment["HANDLET_CREATE_EMPTY_WORKSPACE"] else {
            throw XCTSkip("set HANDLET_CREATE_EMPTY_WORKSPACE=PATH to create a benchmark workspace")
        }
        let now = Date()
        _ = try Workspace.create(at: URL(fileURLWithPath: path),
                                 workspace: WorkspaceRecord(name: "Browsing benchmark", businessName: "Bench Plumbing Ltd", createdAt: now),
                                 users: [User(name: "Bench Owner", email: "owner@bench.test", role: .owner, createdAt: now)])
    }
}
