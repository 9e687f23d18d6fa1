import Foundation
import HandletDomain
import TerminalUI

/// A keyset list whose filter the `f` editor changes (calls, message threads).
protocol FilterableList: KeysetList {
    associatedtype Filter: Equatable
    var filter: Filter { get }
    /// The same list with another filter, its clock at `clock`.
    func with(filter: Filter, clock: BrowseClock) -> Self
    static var noFilter: Filter { get }
    static func chips(of filter: Filter) -> [String]
    static func editor(for filter: Filter) -> FilterEditor
    static func filter(from editor: FilterEditor) -> Filter?
    /// What `f` filters by, for the help overlay.
    static var filterDescription: String { get }
    /// "No calls match these filters…".
    static var emptyMessage: (unfiltered: String, filtered: String) { get }
}

extension CallPage: FilterableList {
    func with(filter: CallFilter, clock: BrowseClock) -> CallPage { CallPage(filter: filter, clock: clock) }
    static var noFilter: CallFilter { CallFilter() }
    static func chips(of filter: CallFilter) -> [String] { filter.chips.map(\.label) }
    static func editor(for filter: CallFilter) -> FilterEditor { FilterEditor(calls: filter) }
    static func filter(from editor: FilterEditor) -> CallFilter? { try? editor.callFilter.get() }
    static var filterDescription: String { "Filter: date, outcome, direction, recording, handled by" }
    static var emptyMessage: (unfiltered: String, filtered: String) {
        ("No calls yet.", "No calls match these filters. Press x to clear them or f to change them.")
    }
}

extension ThreadPage: FilterableList {
    func with(filter: MessageFilter, clock: BrowseClock) -> ThreadPage { ThreadPage(filter: filter, clock: clock) }
    static var noFilter: MessageFilter { MessageFilter() }
    static func chips(of filter: MessageFilter) -> [String] { filter.chips.map(\.label) }
    static func editor(for filter: MessageFilter) -> FilterEditor { FilterEditor(messages: filter) }
    static func filter(from editor: FilterEditor) -> MessageFilter? { try? editor.messageFilter.get() }
    static var filterDescription: String { "Filter: date, channel, direction" }
    static var emptyMessage: (unfiltered: String, filtered: String) {
        ("No messages yet.", "No threads match these filters. Press x to clear them or f to change them.")
    }
}

/// The list half of the Calls and Messages tabs: chips, the `f` editor, `x`, movement, and the
/// table; the tabs add what opening a row shows.
struct FilteredList<List: FilterableList> {
    private(set) var pane: KeysetListPane<List>
    private(set) var editor: FilterEditor?
    var problem: String?
    private var clock: BrowseClock

    enum Keys: Sendable, Equatable { case filter, clear }
    static var keys: KeyMap<Keys> {
        KeyMap([KeyBinding([.char("f")], .filter, List.filterDescription, group: "Filters"),
                KeyBinding([.char("x")], .clear, "Clear every filter", group: "Filters")])
    }

    init(name: String, list: List, clock: BrowseClock, columns: [TableColumn]) {
        pane = KeysetListPane(name: name, list: list, columns: columns)
        self.clock = clock
    }

    var list: List { pane.list }
    var filter: List.Filter { pane.list.filter }
    var isEditing: Bool { editor != nil }
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

    mutating func openEditor() { editor = List.editor(for: filter) }

    /// Movement, `f` and `x`, and every key while the editor is open; false for anything else.
    mutating func handle(_ key: Key, _ context: ConsoleContext) -> Bool {
        if var open = editor {
            switch open.handle(key) {
            case .stay: editor = open
            case .cancel: editor = nil
            case .apply:
                editor = nil
                if let chosen = List.filter(from: open), chosen != filter { reload(filter: chosen, context) }
            }
            return true
        }
        if let move = KeyMap.standardNavigation.action(for: key) {
            pane.move(move, context: context)
            return true
        }
        switch Self.keys.action(for: key) {
        case .filter: openEditor()
        case .clear: if filter != List.noFilter { reload(filter: List.noFilter, context) }
        case nil: return false
        }
        return true
    }

    mutating func render(into grid: inout Grid, area: Rect, context: ConsoleContext, row: (List.Row) -> TableRow) {
        var body = area
        let chips = List.chips(of: filter)
        if !chips.isEmpty {
            let (chipArea, rest) = area.splitTop(1)
            ChipLine(chips: chips, trailing: "f change · x clear").render(into: &grid, area: chipArea)
            body = rest
        }
        if let problem {
            grid.put(problem, x: body.x + 1, y: body.y, style: .error, maxWidth: body.width - 2)
            body = body.splitTop(1).1
        }
        let empty = filter == List.noFilter ? List.emptyMessage.unfiltered : List.emptyMessage.filtered
        pane.render(into: &grid, area: body, context: context, emptyMessage: empty, row: row)
    }

    func renderEditor(into grid: inout Grid, area: Rect) { editor?.render(into: &grid, area: area) }

    mutating func receive(_ message: any Sendable) -> Bool { pane.receive(message) }
}
