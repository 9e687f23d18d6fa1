/// What the calls list shows. An empty filter shows every call, newest first.
public struct CallFilter: Hashable, Sendable {
    public var dateRange: DateRange?
    /// Empty means any outcome.
    public var outcomes: Set<CallOutcome>
    public var direction: Direction?
    /// true: audio is held now; false: no audio (never recorded, disabled or purged).
    public var hasRecording: Bool?
    public var handledBy: HandledBy?
    /// Only calls from or to this number (E.164), whether or not a contact has it (issue 25).
    public var number: String?

    public init(dateRange: DateRange? = nil, outcomes: Set<CallOutcome> = [], direction: Direction? = nil,
                hasRecording: Bool? = nil, handledBy: HandledBy? = nil, number: String? = nil) {
        self.dateRange = dateRange; self.outcomes = outcomes; self.direction = direction
        self.hasRecording = hasRecording; self.handledBy = handledBy; self.number = number
    }

    public var isEmpty: Bool { chips.isEmpty }

    /// Short labels for the active filters, in a fixed order.
    public var chips: [FilterChip] {
        var chips: [FilterChip] = []
        if let dateRange { chips.append(FilterChip(field: .dateRange, label: dateRange.label)) }
        if !outcomes.isEmpty {
            // In the enum's order, so the chip does not change as the set is rebuilt.
            let labels = CallOutcome.allCases.filter(outcomes.contains).map(\.label)
            chips.append(FilterChip(field: .outcome, label: labels.joined(separator: ", ")))
        }
        if let direction { chips.append(FilterChip(field: .direction, label: direction.label)) }
        if let hasRecording {
            chips.append(FilterChip(field: .hasRecording, label: hasRecording ? "Has recording" : "No recording"))
        }
        if let handledBy { chips.append(FilterChip(field: .handledBy, label: "By \(handledBy.label)")) }
        if let number { chips.append(FilterChip(field: .number, label: number)) }
        return chips
    }

    /// The same filter without one field, for a screen's "remove this chip".
    public func removing(_ field: FilterChip.Field) -> CallFilter {
        var copy = self
        switch field {
        case .dateRange: copy.dateRange = nil
        case .outcome: copy.outcomes = []
        case .direction: copy.direction = nil
        case .hasRecording: copy.hasRecording = nil
        case .handledBy: copy.handledBy = nil
        case .number: copy.number = nil
        case .channel, .unread, .autoSent, .marketing: break
        }
        return copy
    }

    /// Conditions on the `calls` table (aliased `calls`).
    ///
    /// A single outcome is an equality so the planner can walk `calls_by_outcome` in time order.
    /// Several outcomes are written `+outcome IN (...)`: the unary plus keeps the planner on a
    /// time-ordered index (a sort of every matching row would cost far more than skipping rows).
    func conditions(_ clock: BrowseClock) -> SQLConditions {
        var conditions = SQLConditions()
        if let dateRange {
            let bounds = dateRange.bounds(clock)
            if let from = bounds.from { conditions.add("calls.started_at >= ?", [from]) }
            if let until = bounds.until { conditions.add("calls.started_at < ?", [until]) }
        }
        let sortedOutcomes = CallOutcome.allCases.filter(outcomes.contains)
        if sortedOutcomes.count == 1 {
            conditions.add("calls.outcome = ?", [sortedOutcomes[0].rawValue])
        } else if sortedOutcomes.count > 1 && sortedOutcomes.count < CallOutcome.allCases.count {
            let marks = Array(repeating: "?", count: sortedOutcomes.count).joined(separator: ", ")
            conditions.add("+calls.outcome IN (\(marks))", sortedOutcomes.map(\.rawValue))
        }
        if let direction { conditions.add("calls.direction = ?", [direction.rawValue]) }
        if let hasRecording {
            conditions.add(hasRecording ? "calls.recording_state = 'recorded'" : "+calls.recording_state <> 'recorded'")
        }
        if let handledBy { conditions.add("calls.handled_by = ?", [handledBy.rawValue]) }
        // Read through `calls_by_from_number` and `calls_by_to_number` (an OR of two index ranges);
        // `CallPage` then sorts these few calls rather than walk every call in time order.
        if let number { conditions.add("calls.from_number = ? OR calls.to_number = ?", [number, number]) }
        return conditions
    }
}

extension Direction {
    public var label: String { self == .inbound ? "Inbound" : "Outbound" }
}
