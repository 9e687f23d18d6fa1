/// Every filter a person can set at once (the CLI's flags, a search across calls and messages),
/// split into what applies to calls and what applies to messages.
///
/// Calls have no channel and messages have no outcome, recording or handler: a filter on a field
/// one kind does not have leaves that kind out entirely, rather than ignoring the filter.
public struct BrowseFilter: Hashable, Sendable {
    public var dateRange: DateRange?
    public var outcomes: Set<CallOutcome>
    public var channel: Channel?
    public var direction: Direction?
    public var hasRecording: Bool?
    public var handledBy: HandledBy?

    public init(dateRange: DateRange? = nil, outcomes: Set<CallOutcome> = [], channel: Channel? = nil,
                direction: Direction? = nil, hasRecording: Bool? = nil, handledBy: HandledBy? = nil) {
        self.dateRange = dateRange; self.outcomes = outcomes; self.channel = channel
        self.direction = direction; self.hasRecording = hasRecording; self.handledBy = handledBy
    }

    /// The calls part, or nil when a message-only field (channel) is set.
    public var callFilter: CallFilter? {
        guard channel == nil else { return nil }
        return CallFilter(dateRange: dateRange, outcomes: outcomes, direction: direction,
                          hasRecording: hasRecording, handledBy: handledBy)
    }

    /// The messages part, or nil when a call-only field (outcome, recording, handled by) is set.
    public var messageFilter: MessageFilter? {
        guard outcomes.isEmpty, hasRecording == nil, handledBy == nil else { return nil }
        return MessageFilter(dateRange: dateRange, channel: channel, direction: direction)
    }

    /// True when the fields exclude each other (a channel and a call-only field): nothing can match.
    public var matchesNothing: Bool { callFilter == nil && messageFilter == nil }

    public var chips: [FilterChip] {
        var chips = callFilter?.chips ?? CallFilter(dateRange: dateRange, outcomes: outcomes, direction: direction,
                                                     hasRecording: hasRecording, handledBy: handledBy).chips
        if let channel {
            let index = chips.firstIndex { $0.field != .dateRange } ?? chips.endIndex
            chips.insert(FilterChip(field: .channel, label: channel.label), at: index)
        }
        return chips
    }
}
