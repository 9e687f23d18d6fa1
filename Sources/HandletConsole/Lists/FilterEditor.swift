import Foundation
import HandletDomain
import TerminalUI

/// The `f` panel: one choice per filter, plus custom dates. Enter applies, Esc leaves the filter
/// as it was, so trying a filter out is never destructive.
struct FilterEditor {
    enum Kind { case calls, messages }
    enum Outcome: Equatable { case stay, cancel, apply }

    let kind: Kind
    var dateChoice: ChoiceField
    var fromDate = TextInputState("", maxLength: 10)
    var toDate = TextInputState("", maxLength: 10)
    var outcome: ChoiceField
    var channel: ChoiceField
    var direction: ChoiceField
    var hasRecording: ChoiceField
    var handledBy: ChoiceField
    /// Calls from or to a number, in any form (issue 25).
    var number = TextInputState("", maxLength: 24)
    /// Messages: only unread, auto-sent or marketing conversations (issue 25).
    var unread = ChoiceField("Unread", options: ["Any", "Only unread"])
    var autoSent = ChoiceField("Auto-sent", options: ["Any", "Only auto-sent"])
    var marketing = ChoiceField("Marketing", options: ["Any", "Only marketing"])
    var focused = 0
    /// Shown under the fields when the dates cannot be read.
    private(set) var problem: String?
    /// The user's rebindings, so the keys and the hint in the title follow them.
    let keys: KeyBindings

    enum Action: Sendable { case cancel, apply, previousField, nextField, clear, less, more }
    /// The editor's keys. On the From and To date fields, keys other than the first four edit the date.
    static let table = KeyTable<Action>("filter_editor", title: "Filter editor",
                                        scope: "The `f` panel of the Calls and Messages lists", [
        KeyBinding([.escape], .cancel, "Cancel: the filter stays as it was", group: "Filter", name: "cancel"),
        KeyBinding([.enter], .apply, "Apply the filter", group: "Filter", name: "apply"),
        KeyBinding([.up, .backTab], .previousField, "Previous field", group: "Filter", name: "previous_field"),
        KeyBinding([.down, .tab], .nextField, "Next field", group: "Filter", name: "next_field"),
        KeyBinding([.char("x")], .clear, "Clear every field (not on a date being typed)", group: "Filter", name: "clear"),
        KeyBinding([.left, .char("h")], .less, "Previous choice", group: "Filter", name: "previous_choice"),
        KeyBinding([.right, .char("l"), .char(" ")], .more, "Next choice", group: "Filter", name: "next_choice"),
    ])
    /// The actions that work on a date text field too; the rest belong to the choice rows.
    private static let everywhere: Set<Action> = [.cancel, .apply, .previousField, .nextField]

    private enum Field { case date, from, to, outcome, channel, direction, hasRecording, handledBy, number, unread, autoSent, marketing }
    private var fields: [Field] {
        switch kind {
        case .calls: [.date, .from, .to, .outcome, .direction, .hasRecording, .handledBy, .number]
        case .messages: [.date, .from, .to, .channel, .direction, .unread, .autoSent, .marketing]
        }
    }

    static let dateOptions = ["Any time", "Today", "This week", "7 days", "30 days", "Custom"]
    static var customDateIndex: Int { dateOptions.count - 1 }

    init(calls filter: CallFilter, keys: KeyBindings) {
        kind = .calls
        self.keys = keys
        (dateChoice, fromDate, toDate) = Self.dateFields(filter.dateRange)
        let outcomes = CallOutcome.allCases
        let single = filter.outcomes.count == 1 ? filter.outcomes.first : nil
        outcome = ChoiceField("Outcome", options: ["Any"] + outcomes.map(\.label),
                              selectedIndex: single.flatMap { outcomes.firstIndex(of: $0) }.map { $0 + 1 } ?? 0)
        channel = ChoiceField("Channel", options: ["Any"])
        direction = Self.directionField(filter.direction)
        hasRecording = ChoiceField("Recording", options: ["Any", "Has recording", "No recording"],
                                   selectedIndex: filter.hasRecording.map { $0 ? 1 : 2 } ?? 0)
        let handlers = HandledBy.allCases
        handledBy = ChoiceField("Handled by", options: ["Anyone"] + handlers.map(\.label),
                                selectedIndex: filter.handledBy.flatMap { handlers.firstIndex(of: $0) }.map { $0 + 1 } ?? 0)
        number.setText(filter.number ?? "")
    }

    init(messages filter: MessageFilter, keys: KeyBindings) {
        kind = .messages
        self.keys = keys
        (dateChoice, fromDate, toDate) = Self.dateFields(filter.dateRange)
        outcome = ChoiceField("Outcome", options: ["Any"])
        let channels = Channel.allCases
        channel = ChoiceField("Channel", options: ["Any"] + channels.map(\.label),
                              selectedIndex: filter.channel.flatMap { channels.firstIndex(of: $0) }.map { $0 + 1 } ?? 0)
        direction = Self.directionField(filter.direction)
        hasRecording = ChoiceField("Recording", options: ["Any"])
        handledBy = ChoiceField("Handled by", options: ["Anyone"])
        unread.selectedIndex = filter.onlyUnread ? 1 : 0
        autoSent.selectedIndex = filter.onlyAutoSent ? 1 : 0
        marketing.selectedIndex = filter.onlyMarketing ? 1 : 0
    }

    private static func dateFields(_ range: DateRange?) -> (ChoiceField, TextInputState, TextInputState) {
        var from = TextInputState("", maxLength: 10), to = TextInputState("", maxLength: 10)
        let index: Int
        switch range {
        case nil: index = 0
        case .today: index = 1
        case .thisWeek: index = 2
        case .last7Days: index = 3
        case .last30Days: index = 4
        case .custom(let start, let end):
            index = customDateIndex
            from.setText(start?.description ?? "")
            to.setText(end?.description ?? "")
        }
        return (ChoiceField("Date", options: dateOptions, selectedIndex: index), from, to)
    }

    private static func directionField(_ direction: Direction?) -> ChoiceField {
        ChoiceField("Direction", options: ["Both", "Inbound", "Outbound"],
                    selectedIndex: direction.map { $0 == .inbound ? 1 : 2 } ?? 0)
    }

    // MARK: Results

    /// The date range as chosen, or nil with `problem` set when a custom date is not a real date.
    private func dateRange() -> Result<DateRange?, FilterProblem> {
        switch dateChoice.selectedIndex {
        case 1: return .success(.today)
        case 2: return .success(.thisWeek)
        case 3: return .success(.last7Days)
        case 4: return .success(.last30Days)
        case Self.customDateIndex:
            func parse(_ state: TextInputState, _ name: String) -> Result<LocalDate?, FilterProblem> {
                let text = state.text.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { return .success(nil) }
                guard let date = LocalDate(parsing: text) else {
                    return .failure(FilterProblem(message: "\(name) date \"\(text)\" is not a date: write YYYY-MM-DD"))
                }
                return .success(date)
            }
            switch (parse(fromDate, "From"), parse(toDate, "To")) {
            case (.failure(let problem), _), (_, .failure(let problem)): return .failure(problem)
            case (.success(let from), .success(let to)):
                let range = DateRange.custom(from: from, to: to)
                if range.isBackwards { return .failure(FilterProblem(message: "The To date comes before the From date")) }
                return .success(from == nil && to == nil ? nil : range)
            }
        default: return .success(nil)
        }
    }

    var callFilter: Result<CallFilter, FilterProblem> {
        let typed = number.text.trimmingCharacters(in: .whitespaces)
        let e164 = PhoneNumber.e164(typed)
        if !typed.isEmpty, e164 == nil {
            return .failure(FilterProblem(message: "Number \"\(typed)\" is not a phone number (e.g. 020 5346 6403)"))
        }
        return dateRange().map { range in
            CallFilter(dateRange: range,
                       outcomes: outcome.selectedIndex == 0 ? [] : [CallOutcome.allCases[outcome.selectedIndex - 1]],
                       direction: directionValue,
                       hasRecording: hasRecording.selectedIndex == 0 ? nil : hasRecording.selectedIndex == 1,
                       handledBy: handledBy.selectedIndex == 0 ? nil : HandledBy.allCases[handledBy.selectedIndex - 1],
                       number: e164)
        }
    }

    var messageFilter: Result<MessageFilter, FilterProblem> {
        dateRange().map { range in
            MessageFilter(dateRange: range,
                          channel: channel.selectedIndex == 0 ? nil : Channel.allCases[channel.selectedIndex - 1],
                          direction: directionValue, onlyUnread: unread.selectedIndex == 1,
                          onlyAutoSent: autoSent.selectedIndex == 1, onlyMarketing: marketing.selectedIndex == 1)
        }
    }

    private var directionValue: Direction? {
        direction.selectedIndex == 0 ? nil : (direction.selectedIndex == 1 ? .inbound : .outbound)
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> Outcome {
        let field = fields[focused]
        let onText = field == .from || field == .to || field == .number
        var action = Self.table.resolved(keys).action(for: key)
        // A date being typed takes every key but the four that leave it.
        if onText, let found = action, !Self.everywhere.contains(found) { action = nil }
        if onText, key.typesText { action = nil }
        switch action {
        case .cancel?: return .cancel
        case .apply?:
            let check: FilterProblem?
            switch kind {
            case .calls: if case .failure(let p) = callFilter { check = p } else { check = nil }
            case .messages: if case .failure(let p) = messageFilter { check = p } else { check = nil }
            }
            problem = check?.message
            return check == nil ? .apply : .stay
        case .previousField?: focused = (focused + fields.count - 1) % fields.count; return .stay
        case .nextField?: focused = (focused + 1) % fields.count; return .stay
        case .clear?:
            self = kind == .calls ? FilterEditor(calls: CallFilter(), keys: keys) : FilterEditor(messages: MessageFilter(), keys: keys)
            return .stay
        case .less?: change(field, .left)
        case .more?: change(field, .right)
        case nil:
            if field == .from, fromDate.handle(key, keys: keys) { dateChoice.selectedIndex = Self.customDateIndex }
            if field == .to, toDate.handle(key, keys: keys) { dateChoice.selectedIndex = Self.customDateIndex }
            if field == .number { _ = number.handle(key, keys: keys) }
        }
        return .stay
    }

    /// Moves a choice row one option (the field's own ← and → ).
    private mutating func change(_ field: Field, _ key: Key) {
        switch field {
        case .date: _ = dateChoice.handle(key)
        case .outcome: _ = outcome.handle(key)
        case .channel: _ = channel.handle(key)
        case .direction: _ = direction.handle(key)
        case .hasRecording: _ = hasRecording.handle(key)
        case .handledBy: _ = handledBy.handle(key)
        case .unread: _ = unread.handle(key)
        case .autoSent: _ = autoSent.handle(key)
        case .marketing: _ = marketing.handle(key)
        case .from, .to, .number: break
        }
    }

    /// "↑↓ field · ←→ change · x clear · Enter apply · Esc cancel", in the keys as bound.
    private var hint: String {
        let map = Self.table.resolved(keys)
        func key(_ name: String) -> String { map.bindings.first { $0.name == name }?.keys.first?.label ?? "" }
        return "\(key("previous_field"))\(key("next_field")) field · \(key("previous_choice"))\(key("next_choice")) change · "
            + "\(key("clear")) clear · \(key("apply")) apply · \(key("cancel")) cancel"
    }

    func render(into grid: inout Grid, area: Rect) {
        let height = fields.count + 6
        let box = area.centered(width: min(area.width, 60), height: min(area.height, height))
        guard box.width > 20, box.height > 4 else { return }
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: "Filter — " + hint)
        let inner = box.inset(horizontal: 2, vertical: 1)
        for (row, field) in fields.enumerated() where inner.y + row < inner.maxY {
            let line = Rect(x: inner.x, y: inner.y + row, width: inner.width, height: 1)
            let isFocused = row == focused
            var from = fromDate, to = toDate, typedNumber = number
            switch field {
            case .date: dateChoice.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .from: TextInputField("  From", placeholder: "YYYY-MM-DD").render(into: &grid, area: line, labelWidth: 11, state: &from, focused: isFocused)
            case .to: TextInputField("  To", placeholder: "YYYY-MM-DD").render(into: &grid, area: line, labelWidth: 11, state: &to, focused: isFocused)
            case .outcome: outcome.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .channel: channel.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .direction: direction.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .hasRecording: hasRecording.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .handledBy: handledBy.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .number:
                TextInputField("Number", placeholder: "from or to, any form").render(into: &grid, area: line, labelWidth: 11,
                                                                                 state: &typedNumber, focused: isFocused)
            case .unread: unread.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .autoSent: autoSent.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            case .marketing: marketing.render(into: &grid, area: line, labelWidth: 11, focused: isFocused)
            }
        }
        if let problem, inner.y + fields.count + 1 < inner.maxY {
            grid.put(problem, x: inner.x, y: inner.y + fields.count + 1, style: .error, maxWidth: inner.width)
        }
    }
}

struct FilterProblem: Error, Equatable {
    var message: String
}

/// Active filters as chips on one line ("[7 days] [Missed]"), so a filtered list never looks complete.
struct ChipLine: Component {
    var chips: [String]
    var trailing: String

    func render(into grid: inout Grid, area: Rect) {
        var x = area.x
        for chip in chips where x < area.maxX {
            x += grid.put(" \(chip) ", x: x, y: area.y, style: .chip, maxWidth: area.maxX - x)
            x += 1
        }
        if !trailing.isEmpty && x < area.maxX {
            grid.put(trailing, x: x, y: area.y, style: .dim, maxWidth: area.maxX - x)
        }
    }
}
