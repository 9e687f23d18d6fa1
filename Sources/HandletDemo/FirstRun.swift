import Foundation
import HandletDomain

/// `handlet` with no arguments: open the workspace at the default location, or, when there is
/// none yet, create the demo workspace there first (DESIGN §2).
public enum FirstRun {
    public struct Outcome {
        public let workspace: Workspace
        /// True when this call created the demo workspace.
        public let created: Bool
    }

    /// Creates the folder when missing (the default location usually is, on a new machine).
    public static func ensureWorkspace(at url: URL = Workspace.defaultDatabaseURL(),
                                       options: DemoOptions = .firstRun(),
                                       progress: (DemoProgress) throws -> Void = { _ in }) throws -> Outcome {
        // Anything there, a link to a missing drive included, is opened (and refused if it is not a
        // workspace): never replaced by a new demo (issue 28).
        if WorkspacePath.inspect(url.path) != .missing {
            return Outcome(workspace: try Workspace.open(at: url), created: false)
        }
        try WorkspacePath.check(url)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            return Outcome(workspace: try DemoWorkspace.create(at: url, options: options, progress: progress), created: true)
        } catch WorkspaceError.alreadyExists {
            // Another handlet started at the same moment and won the race: use its workspace.
            return Outcome(workspace: try Workspace.open(at: url), created: false)
        }
    }
}
