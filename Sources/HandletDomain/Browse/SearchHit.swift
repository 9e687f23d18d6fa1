import Foundation
import GRDB

/// One search result: a call (hit in its summary or transcript) or a message (hit in its body).
public struct SearchHit: Hashable, Sendable, Identifiable {
    public enum Kind: String, Hashable, Sendable, Codable { case call, message }

    /// The call hit, or the message hit and its thread (to open the conversation at it).
    public var target: RecordReference
    public var at: Date
    public var direction: Direction
    /// Contact name, else the other party's number or address.
    public var party: String
    public var outcome: CallOutcome?
    public var channel: Channel?
    /// A few words around the hit, with the hit marked.
    public var snippet: HighlightedText

    public var id: RecordReference { target }
    public var kind: Kind { target.kind }
    public var callID: Call.ID? { target.callID }
    public var messageID: Message.ID? { target.messageID }
    public var threadID: MessageThread.ID? { target.threadID }

    /// Results are newest first by FTS rowid (= call or message id), which is also the cursor.
    public var cursor: Int64 { target.rowID }

    /// Where to open a message hit: its position in the thread.
    public var messageCursor: MessageCursor? {
        kind == .message ? MessageCursor(sentAt: Int64(at.timeIntervalSince1970), id: target.rowID) : nil
    }
}

/// A call, or a message in its thread: what a search hit or a contact's timeline entry opens.
public enum RecordReference: Hashable, Sendable {
    case call(Call.ID)
    case message(Message.ID, thread: MessageThread.ID)

    public var kind: SearchHit.Kind {
        switch self {
        case .call: .call
        case .message: .message
        }
    }

    public var callID: Call.ID? { if case .call(let id) = self { id } else { nil } }
    public var messageID: Message.ID? { if case .message(let id, _) = self { id } else { nil } }
    public var threadID: MessageThread.ID? { if case .message(_, let thread) = self { thread } else { nil } }

    /// The call's or the message's own row id (both tables number independently).
    var rowID: Int64 {
        switch self {
        case .call(let id): id.rawValue
        case .message(let id, _): id.rawValue
        }
    }
}

/// Where in a call the search words occur, so the detail view can scroll to and mark them.
public struct CallHitLocation: Hashable, Sendable {
    /// The summary with hits marked, if it has any.
    public var summary: HighlightedText?
    /// Transcript turns (by index into `CallDetail.transcript`) that contain hits, with hits marked.
    public var turns: [(index: Int, text: HighlightedText)]

    /// The turn to scroll to: the first with a hit (nil when the hit is only in the summary).
    public var firstTurnIndex: Int? { turns.first?.index }
    public var isEmpty: Bool { summary == nil && turns.isEmpty }

    public static func == (lhs: CallHitLocation, rhs: CallHitLocation) -> Bool {
        lhs.summary == rhs.summary && lhs.turns.map(\.index) == rhs.turns.map(\.index)
            && lhs.turns.map(\.text) == rhs.turns.map(\.text)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(summary)
        for turn in turns { hasher.combine(turn.index); hasher.combine(turn.text) }
    }
}
