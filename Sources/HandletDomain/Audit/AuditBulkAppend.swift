import Foundation
import GRDB
import GRDBSQLite

extension AuditLog {
    /// One synthetic event for `appendBulk`.
    struct BulkEvent {
        var at: Int64
        var actor: String
        var action: String
        var target: String
        var details: String

        init(at: Int64, actor: String, action: String, target: String, details: String) {
            self.at = at; self.actor = actor; self.action = action; self.target = target; self.details = details
        }
    }

    /// Appends `count` events with a correct chain onto the current head, bound through the SQLite
    /// C API (benchmarks and large fixtures, through `@testable`: a million events in seconds). Call inside one
    /// write transaction. Everyday changes append through `WorkspaceSession.perform`.
    static func appendBulk(_ db: Database, count: Int, event: (Int) -> BulkEvent) throws {
        let head = try AuditChain.head(db)
        var seq = head?.seq ?? 0
        var previous = head?.hash ?? genesisHash
        let statement = try db.makeStatement(sql: """
            INSERT INTO audit_events(seq, at, actor, action, target, details, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let handle = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func bind(_ index: Int32, _ text: String) {
            var text = text
            text.withUTF8 { bytes in
                _ = bytes.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient)
                }
            }
        }
        var message = ChainMessage()
        for index in 0..<count {
            let next = event(index)
            seq += 1
            message.build(seq: seq, at: next.at) { message in
                message.appendField(nil, next.actor)
                for field in [next.action, next.target, next.details, previous] { message.appendField(0x1F, field) }
            }
            let hash = message.hexDigest
            sqlite3_bind_int64(handle, 1, seq)
            sqlite3_bind_int64(handle, 2, next.at)
            bind(3, next.actor)
            bind(4, next.action)
            bind(5, next.target)
            bind(6, next.details)
            bind(7, previous)
            bind(8, hash)
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            previous = hash
        }
    }
}
