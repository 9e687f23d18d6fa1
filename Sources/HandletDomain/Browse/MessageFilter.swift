/// What the messages list (threads) and message search show.
public struct MessageFilter: Hashable, Sendable {
    public var dateRange: DateRange?
    public var channel: Channel?
    public var direction: Direction?
    /// Only threads with messages nobody has opened yet (issue 25).
    public var onlyUnread: Bool
    /// Only threads (or messages) that Auto-Send sent.
    public var onlyAutoSent: Bool
    /// Only threads (or messages) with marketing.
    public var onlyMarketing: Bool

    public init(dateRange: DateRange? = nil, channel: Channel? = nil, direction: Direction? = nil,
                onlyUnread: Bool = false, onlyAutoSent: Bool = false, onlyMarketing: Bool = false) {
        self.dateRange = dateRange; self.channel = channel; self.direction = direction
        self.onlyUnread = onlyUnread; self.onlyAutoSent = onlyAutoSent; self.onlyMarketing = onlyMarketing
    }

    public var isEmpty: Bool { chips.isEmpty }

    public var chips: [FilterChip] {
        var chips: [FilterChip] = []
        if let dateRange { chips.append(FilterChip(field: .dateRange, label: dateRange.label)) }
        if let channel { chips.append(FilterChip(field: .channel, label: channel.label)) }
        if let direction { chips.append(FilterChip(field: .direction, label: direction.label)) }
        if onlyUnread { chips.append(FilterChip(field: .unread, label: "Unread")) }
        if onlyAutoSent { chips.append(FilterChip(field: .autoSent, label: "Auto-sent")) }
        if onlyMarketing { chips.append(FilterChip(field: .marketing, label: "Marketing")) }
        return chips
    }

    public func removing(_ field: FilterChip.Field) -> MessageFilter {
        var copy = self
        switch field {
        case .dateRange: copy.dateRange = nil
        case .channel: copy.channel = nil
        case .direction: copy.direction = nil
        case .unread: copy.onlyUnread = false
        case .autoSent: copy.onlyAutoSent = false
        case .marketing: copy.onlyMarketing = false
        case .outcome, .hasRecording, .handledBy, .number: break
        }
        return copy
    }

    /// Conditions on the `threads` table: the date range applies to the last activity, and a
    /// direction keeps threads holding at least one message in that direction.
    func threadConditions(_ clock: BrowseClock) -> SQLConditions {
        var conditions = SQLConditions()
        if let dateRange {
            let bounds = dateRange.bounds(clock)
            if let from = bounds.from { conditions.add("threads.last_activity_at >= ?", [from]) }
            if let until = bounds.until { conditions.add("threads.last_activity_at < ?", [until]) }
        }
        if let channel { conditions.add("threads.channel = ?", [channel.rawValue]) }
        if let direction {
            conditions.add("EXISTS (SELECT 1 FROM messages WHERE messages.thread_id = threads.id AND messages.direction = ?)",
                           [direction.rawValue])
        }
        if onlyUnread { conditions.add("threads.unread_count > 0") }
        if onlyAutoSent {
            conditions.add("EXISTS (SELECT 1 FROM messages WHERE messages.thread_id = threads.id AND messages.auto_sent = 1)")
        }
        if onlyMarketing {
            conditions.add("EXISTS (SELECT 1 FROM messages WHERE messages.thread_id = threads.id AND messages.is_marketing = 1)")
        }
        return conditions
    }

    /// Conditions on the `messages` table, for search.
    func messageConditions(_ clock: BrowseClock) -> SQLConditions {
        var conditions = SQLConditions()
        if let dateRange {
            let bounds = dateRange.bounds(clock)
            if let from = bounds.from { conditions.add("messages.sent_at >= ?", [from]) }
            if let until = bounds.until { conditions.add("messages.sent_at < ?", [until]) }
        }
        if let channel { conditions.add("messages.channel = ?", [channel.rawValue]) }
        if let direction { conditions.add("messages.direction = ?", [direction.rawValue]) }
        if onlyUnread { conditions.add("messages.thread_id IN (SELECT id FROM threads WHERE unread_count > 0)") }
        if onlyAutoSent { conditions.add("messages.auto_sent = 1") }
        if onlyMarketing { conditions.add("messages.is_marketing = 1") }
        return conditions
    }
}
