import Foundation
import HandletDomain
import TerminalUI

/// A keyset list whose filter the `f` editor changes (calls, message threads).
protocol FilterableList: KeysetList {
    associatedtype Filter: Equatable
    var filter: Filter { get }
    /// What the list's `/` filter line typed (`ListFilterLine`); empty narrows nothing.
    var search: String { get }
    /// The same list with another filter, its clock at `clock`.
    func with(filter: Filter, clock: BrowseClock) -> Self
    /// The same list narrowed by other typed words.
    func with(search: String) -> Self
    static var noFilter: Filter { get }
    static func chips(of filter: Filter) -> [String]
    static func editor(for filter: Filter, keys: KeyBindings) -> FilterEditor
    static func filter(from editor: FilterEditor) -> Filter?
    /// What `f` filters by, for the help overlay.
    static var filterDescription: String { get }
    /// What `/` narrows by, for the help overlay.
    static var narrowDescription: String { get }
    /// "No calls match these filters…".
    static var emptyMessage: (unfiltered: String, filtered: String) { get }
    /// "No call matches "Quinn".": nothing matches the typed words.
    static func noneMatch(_ typed: String) -> String
}

extension CallPage: FilterableList {
    func with(filter: CallFilter, clock: BrowseClock) -> CallPage { CallPage(filter: filter, clock: clock, sort: sort, search: search) }
    func with(search: String) -> CallPage { CallPage(filter: filter, clock: clock, sort: sort, search: search) }
    static var noFilter: CallFilter { CallFilter() }
    static func chips(of filter: CallFilter) -> [String] { filter.chips.map(\.label) }
    static func editor(for filter: CallFilter, keys: KeyBindings) -> FilterEditor { FilterEditor(calls: filter, keys: keys) }
    static func filter(from editor: FilterEditor) -> CallFilter? { try? editor.callFilter.get() }
    static var filterDescription: String { "Filter: date, outcome, direction, recording, handled by" }
    static var narrowDescription: String { "Narrow as you type: a name, an email, a number or a call id" }
    static var emptyMessage: (unfiltered: String, filtered: String) {
        ("No calls yet.", "No calls match these filters.")
    }
    static func noneMatch(_ typed: String) -> String { "No call matches \"\(typed)\" (a name, an email, a number or a call id)." }
}

extension ThreadPage: FilterableList {
    func with(filter: MessageFilter, clock: BrowseClock) -> ThreadPage { ThreadPage(filter: filter, clock: clock, search: search) }
    func with(search: String) -> ThreadPage { ThreadPage(filter: filter, clock: clock, search: search) }
    static var noFilter: MessageFilter { MessageFilter() }
    static func chips(of filter: MessageFilter) -> [String] { filter.chips.map(\.label) }
    static func editor(for filter: MessageFilter, keys: KeyBindings) -> FilterEditor { FilterEditor(messages: filter, keys: keys) }
    static func filter(from editor: FilterEditor) -> MessageFilter? { try? editor.messageFilter.get() }
    static var filterDescription: String { "Filter: date, channel, direction" }
    static var narrowDescription: String { "Narrow as you type: a name, an email or a number" }
    static var emptyMessage: (unfiltered: String, filtered: String) {
        ("No messages yet.", "No threads match these filters.")
    }
    static func noneMatch(_ typed: String) -> String { "No conversation matches \"\(typed)\" (a name, an email or a number)." }
}

/// `/`, `f` and `x` of a filtered list: one table for the Calls and Messages lists.
enum FilterKeys {
    enum Action: Sendable, Equatable { case narrow, filter, clear }
    static let table = KeyTable<Action>("filters", title: "Filtered lists", scope: "The Calls and Messages lists", [
        // As on Contacts, `/` on a list narrows that list; summaries, transcripts and messages are
        // searched with the console's other search key (or the palette).
        KeyBinding([.char("/")], .narrow, "Narrow the list as you type (a name, an email or a number)", group: "Filters",
                   name: "narrow", shadowsOuter: true),
        KeyBinding([.char("f")], .filter, "Filter the list (date, outcome or channel, direction…)", group: "Filters", name: "filter"),
        KeyBinding([.char("x")], .clear, "Clear every filter and the typed words", group: "Filters", name: "clear"),
    ])
}

/// The list half of the Calls and Messages tabs: chips, the `f` editor, `x`, movement, and the
/// table; the tabs add what opening a row shows, and dispatch the keys from their own table.
struct FilteredList<List: FilterableList> where List.Row: Equatable {
    private(set) var pane: KeysetListPane<List>
    private(set) var editor: FilterEditor?
    /// The `/` line narrowing the list as the user types.
    private(set) var filterLine: ListFilterLine
    var problem: String?
    private var clock: BrowseClock
    /// For the editor's keys.
    private let keys: KeyBindings
    /// The list's size from the last layout (the filter line opening takes a row from the table).
    private var size: Size?

    /// The filter keys, the `f` row saying what this list filters by.
    static func keys(_ keys: KeyBindings) -> KeyMap<FilterKeys.Action> {
        var map = FilterKeys.table.resolved(keys)
        if let index = map.bindings.firstIndex(where: { $0.action == .filter }) { map.bindings[index].description = List.filterDescription }
        if let index = map.bindings.firstIndex(where: { $0.action == .narrow }) { map.bindings[index].description = List.narrowDescription }
        return map
    }

    init(name: String, list: List, clock: BrowseClock, columns: [TableColumn], narrowing: ListNarrowing, context: ConsoleContext) {
        pane = KeysetListPane(name: name, list: list, session: context.session, columns: columns)
        filterLine = ListFilterLine(narrowing)
        self.clock = clock
        keys = context.keys
    }

    var list: List { pane.list }
    var filter: List.Filter { pane.list.filter }
    /// The editor or the filter line takes the keys.
    var isEditing: Bool { editor != nil || filterLine.isEditing }
    /// Keys typing into the filter line: its own keys are the ones worth showing.
    var isTypingFilter: Bool { filterLine.isEditing }
    var selectedRow: List.Row? { pane.selectedRow }
    var positionText: String { pane.positionText }
    var loaded: Bool { pane.loaded }

    private mutating func current(_ filter: List.Filter, _ context: ConsoleContext) -> List {
        clock.now = context.now()
        return pane.list.with(filter: filter, clock: clock)
    }

    mutating func refresh(_ context: ConsoleContext) {
        let list = current(filter, context)
        pane.refresh(list, context: context)
    }

    mutating func reload(filter: List.Filter, _ context: ConsoleContext) {
        let list = current(filter, context)
        pane.reload(list, context: context)
    }

    /// The same filter in another order (a sorted column): read again from the top.
    mutating func reload(_ change: (List) -> List, _ context: ConsoleContext) {
        let list = change(current(filter, context))
        pane.reorder(list, context: context)
    }

    /// The table's columns, its ▲/▼ and its focused column (a list whose columns change with the width or the user).
    mutating func setColumns(_ columns: [TableColumn], sort: (column: Int, ascending: Bool)?, focused: Int?) {
        pane.columns = columns
        pane.sortMarker = sort
        pane.focusedColumn = focused
    }

    /// Moves the selection by one row and says whether it moved (next/previous call from a detail).
    mutating func step(_ action: NavigationAction) -> Bool {
        let before = pane.selectedRow.map { pane.list.cursor(of: $0) }
        pane.move(action)
        return before != pane.selectedRow.map { pane.list.cursor(of: $0) }
    }

    mutating func openEditor() { editor = List.editor(for: filter, keys: keys) }

    /// Every key while the editor or the filter line is open goes to it; false when both are closed.
    /// Each key that changes the typed words reads the list's first page again; the count of what
    /// matches waits until the keys settle (`idle`), so a key never waits on a count.
    mutating func handleEditor(_ key: Key, _ context: ConsoleContext) -> Bool {
        if filterLine.isEditing {
            let wasShown = filterLine.isShown
            if filterLine.handle(key, keys: keys) == .changed {
                pane.reload(current(filter, context).with(search: filterLine.text), context: context, countWhenSettled: true)
            }
            if wasShown != filterLine.isShown, let size { layout(size) }
            return true
        }
        guard var open = editor else { return false }
        switch open.handle(key) {
        case .stay: editor = open
        case .cancel: editor = nil
        case .apply:
            editor = nil
            if let chosen = List.filter(from: open), chosen != filter { reload(filter: chosen, context) }
        }
        return true
    }

    mutating func move(_ action: NavigationAction) { pane.move(action) }

    /// The keys have settled: the count the typed words left for now starts (nothing to draw
    /// until it arrives).
    mutating func idle(_ context: ConsoleContext) { pane.countIfDue(context) }

    mutating func perform(_ action: FilterKeys.Action, _ context: ConsoleContext) {
        switch action {
        case .narrow:
            filterLine.begin()
            if let size { layout(size) }
        case .filter: openEditor()
        case .clear:
            let typed = !filterLine.text.isEmpty
            if typed { filterLine.set("") }
            if filter != List.noFilter || typed {
                pane.reload(current(List.noFilter, context).with(search: ""), context: context)
                if typed, let size { layout(size) }
            }
        }
    }

    /// The table's part of the list's area: below the chips and the problem, when there are any.
    private func tableArea(in area: Rect) -> Rect {
        var body = area
        if filterLine.isShown { body = body.splitTop(1).1 }
        if !List.chips(of: filter).isEmpty { body = body.splitTop(1).1 }
        if problem != nil { body = body.splitTop(1).1 }
        return body
    }

    /// The list's size on screen: the table reads what fills what is left under chips and problem.
    mutating func layout(_ size: Size) {
        self.size = size
        pane.layout(height: tableArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height)).height)
    }

    /// `context`: what `row` reads besides the record (see `KeysetListPane.render`).
    func render(into grid: inout Grid, area: Rect, context: AnyHashable, row: (List.Row) -> TableRow) {
        var rest = area
        if filterLine.isShown {
            filterLine.render(into: &grid, area: rest.splitTop(1).0, count: pane.total)
            rest = rest.splitTop(1).1
        }
        let chips = List.chips(of: filter)
        if !chips.isEmpty {
            let map = Self.keys(keys)
            let trailing = [map.keyLabel(.filter).map { "\($0) change" }, map.keyLabel(.clear).map { "\($0) clear" }].compactMap { $0 }
            ChipLine(chips: chips, trailing: trailing.joined(separator: " · ")).render(into: &grid, area: rest.splitTop(1).0)
        }
        let body = tableArea(in: area)
        if let problem { grid.put(problem, x: body.x + 1, y: body.y - 1, style: .error, maxWidth: body.width - 2) }
        let empty: String
        if !filterLine.text.isEmpty {
            empty = List.noneMatch(filterLine.text)
        } else {
            empty = filter == List.noFilter ? List.emptyMessage.unfiltered : List.emptyMessage.filtered + Self.clearOrChangeHint(Self.keys(keys))
        }
        pane.render(into: &grid, area: body, emptyMessage: empty, context: context, row: row)
    }

    /// " Press x to clear them or f to change them.", in the keys as bound.
    static func clearOrChangeHint(_ map: KeyMap<FilterKeys.Action>) -> String {
        let ways = [map.keyLabel(.clear).map { "\($0) to clear them" }, map.keyLabel(.filter).map { "\($0) to change them" }].compactMap { $0 }
        return ways.isEmpty ? "" : " Press " + ways.joined(separator: " or ") + "."
    }

    func renderEditor(into grid: inout Grid, area: Rect) { editor?.render(into: &grid, area: area) }

    mutating func receive(_ message: any Sendable) -> Bool { pane.receive(message) }
}

/// Arrows and vim keys, pages, top and bottom: one table for every list and scrolling view.
enum NavigationKeys {
    static let table = KeyTable<NavigationAction>("navigation", title: "Moving",
                                                  scope: "Every list, detail view and the help; a screen's own keys come first",
                                                  KeyMap.standardNavigation.bindings)
}
