import Foundation
import GRDB

/// One search result: a call (hit in its summary or transcript) or a message (hit in its body).
public struct SearchHit: Hashable, Sendable, Identifiable {
    public enum Kind: String, Hashable, Sendable, Codable { case call, message }

    public var kind: Kind
    /// The call's id, or the message's id.
    public var id: Int64
    /// For a message: its thread, to open the conversation at this message.
    public var threadId: Int64?
    public var at: Date
    public var direction: Direction
    /// Contact name, else the other party's number or address.
    public var party: String
    public var outcome: CallOutcome?
    public var channel: Channel?
    /// A few words around the hit, with the hit marked.
    public var snippet: HighlightedText

    /// Results are newest first by FTS rowid (= call or message id), which is also the cursor.
    public var cursor: Int64 { id }

    /// Where to open a message hit: its position in the thread.
    public var messageCursor: MessageCursor? {
        kind == .message ? MessageCursor(sentAt: Int64(at.timeIntervalSince1970), id: id) : nil
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
