/// What the messages list (threads) and message search show.
public struct MessageFilter: Hashable, Sendable {
    public var dateRange: DateRange?
    public var channel: Channel?
    public var direction: Direction?

    public init(dateRange: DateRange? = nil, channel: Channel? = nil, direction: Direction? = nil) {
        self.dateRange = dateRange; self.channel = channel; self.direction = direction
    }

    public var isEmpty: Bool { chips.isEmpty }

    public var chips: [FilterChip] {
        var chips: [FilterChip] = []
        if let dateRange { chips.append(FilterChip(field: .dateRange, label: dateRange.label)) }
        if let channel { chips.append(FilterChip(field: .channel, label: channel.label)) }
        if let direction { chips.append(FilterChip(field: .direction, label: direction.label)) }
        return chips
    }

    public func removing(_ field: FilterChip.Field) -> MessageFilter {
        var copy = self
        switch field {
        case .dateRange: copy.dateRange = nil
        case .channel: copy.channel = nil
        case .direction: copy.direction = nil
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
        return conditions
    }
}
