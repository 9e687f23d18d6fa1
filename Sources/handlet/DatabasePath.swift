import Foundation
import HandletDomain
import TerminalUI

/// What `--db` can be wrong about before anything is opened, as one readable line with a
/// sysexits status (issue 11), instead of whatever Foundation or SQLite would say.
extension WorkspaceOptions {
    /// - Parameter creating: the command makes the file (`demo`), so a folder is "cannot create" (73);
    ///   otherwise it is "no input" (66). An empty or over-long path is a usage error (64).
    func checkPath(creating: Bool = false) throws {
        guard let db else { return }
        guard !db.isEmpty else {
            throw CommandFailure("--db is empty; name a workspace file, e.g. --db ~/handlet/workspace.sqlite.", .usage)
        }
        let path = databaseURL.path
        let bytes = path.utf8.count
        if bytes >= Int(PATH_MAX) {
            throw CommandFailure("--db \(Sanitizer.echo(db)) is \(bytes) bytes long; paths here are at most \(Int(PATH_MAX) - 1).", .usage)
        }
        if let name = path.split(separator: "/").first(where: { $0.utf8.count > Int(NAME_MAX) }) {
            throw CommandFailure("--db \(Sanitizer.echo(db)) has a name of \(name.utf8.count) bytes; a file or folder name is at most \(NAME_MAX).", .usage)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandFailure("--db \(Sanitizer.echo(db)) is a folder, not a workspace file; name the .sqlite file, e.g. "
                                 + "--db \(Sanitizer.echo((db as NSString).appendingPathComponent("workspace.sqlite"))).",
                                 creating ? .cannotCreate : .noInput)
        }
    }
}
