import Foundation
import GRDB

extension WorkspaceCommand where Result == Int {
    /// Opening a conversation reads it (issue 25): its unread count goes to 0 for everyone, in the
    /// list and in `messages list --json`. Any role that may browse, as reading a notice is.
    /// Audited as `thread.read` only when there was something unread, with how many: it changes
    /// what every other user sees (the thread no longer asks for attention), so who cleared it is
    /// on the record; opening a read thread changes nothing and writes nothing. The result is the
    /// count cleared.
    public static func markThreadRead(_ id: MessageThread.ID) -> Self {
        WorkspaceCommand(.browse, audit: .threadRead) { db, _ in
            guard let unread = try Int.fetchOne(db, sql: "SELECT unread_count FROM threads WHERE id = ?", arguments: [id]) else {
                return .unchanged(0)
            }
            guard unread > 0 else { return .unchanged(0) }
            try db.execute(sql: "UPDATE threads SET unread_count = 0 WHERE id = ?", arguments: [id])
            return .changed(unread, target: "thread:\(id)", details: ["unread": .int(Int64(unread))])
        }
    }
}
