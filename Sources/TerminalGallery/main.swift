// handlet-gallery: every TerminalUI widget on one tabbed screen. Used to preview themes
// (`--theme NAME|PATH`) and as the real binary the engine's end-to-end tests drive.
import Foundation
import TerminalUI

/// A synthetic list of a million calls: proves the table only asks for what is on screen.
struct SyntheticCalls: TableDataSource {
    let count: Int
    var rowCount: RowCount { .exact(count) }
    static let names = ["Olivia Hughes", "Jack Patel", "Amelia O'Brien", "李小龍", "Zoë Ó Súilleabháin", "Mohammed Khan",
                        "Ava Thompson 👩‍🔧", "Harry Evans", "Sofia Nowak", "Noah Williams"]
    static let outcomes = ["Booked job", "Quote requested", "Message taken", "Callback requested", "Missed", "Spam"]
    func rows(in window: Range<Int>) -> [TableRow] {
        window.clamped(to: 0..<count).map { index in
            let name = Self.names[index % Self.names.count]
            let outcome = Self.outcomes[(index / 3) % Self.outcomes.count]
            let minutes = index * 7 % 60
            return TableRow([String(index + 1), "2026-11-\(String(format: "%02d", 23 - index % 20)) 09:\(String(format: "%02d", minutes))",
                             name, "+44 7700 9\(String(format: "%05d", index % 100_000))", outcome, "\(index % 17 + 1)m \(index % 60)s"],
                            style: outcome == "Missed" ? .warning : nil)
        }
    }
}

enum GalleryAction: Sendable { case quit, help, nextTab, previousTab, openDialog, redraw, scrollViewDown, scrollViewUp }

struct Gallery: Screen {
    static let tabs = ["Table", "Text", "Markdown", "Form", "Charts", "Dialog"]
    var tab = 0
    var table = TableState()
    let source = SyntheticCalls(count: 1_000_000)
    var textScroll = ScrollState()
    var markdownScroll = ScrollState()
    var helpScroll = ScrollState()
    var showingHelp = false
    var dialog: ConfirmDialog?
    var lastAnswer = "none yet"
    var focusedField = 0
    var recording = ToggleField("Recording", isOn: true)
    var retention = ChoiceField("Retention", options: ["7 days", "14 days", "30 days", "60 days", "90 days"], selectedIndex: 2)
    var days = TextInputState("30")
    var note = TextInputState("Hello, 世界 👋")
    var themeName: String
    var ticks = 0
    /// From the last layout: the scroll states are fitted to it after every event.
    var size = Size(width: 80, height: 24)
    /// The last key as decoded, shown in the status bar so end-to-end tests can check the C shim.
    var lastKey = "none"

    let keys = KeyMap<GalleryAction>([
        KeyBinding([.char("q"), .escape], .quit, "Quit (or close the overlay)", group: "General"),
        KeyBinding([.char("?"), .function(1)], .help, "Show this help", group: "General"),
        KeyBinding([.tab], .nextTab, "Next tab", group: "General"),
        KeyBinding([.backTab], .previousTab, "Previous tab", group: "General"),
        KeyBinding([.char("c")], .openDialog, "Open the confirm dialog (Dialog tab)", group: "General"),
        KeyBinding([.ctrl("l")], .redraw, "Redraw the screen", group: "General"),
        KeyBinding([.ctrl("e")], .scrollViewDown, "Scroll the table view down a row (selection stays)", group: "General"),
        KeyBinding([.ctrl("y")], .scrollViewUp, "Scroll the table view up a row (selection stays)", group: "General"),
    ])

    var minimumSize: Size { Size(width: 80, height: 24) }
    var quitKeys: [Key] { keys.bindings.first { $0.action == .quit }?.keys ?? [] }

    static func split(_ area: Rect) -> (tabBar: Rect, body: Rect, status: Rect) {
        let (tabArea, rest) = area.splitTop(1)
        let (body, statusArea) = rest.splitBottom(1)
        return (tabArea, body, statusArea)
    }

    var helpOverlay: HelpOverlay { HelpOverlay(title: "Gallery keys", entries: keys.helpEntries + KeyMap.standardNavigation.helpEntries,
                                            closeHint: "Esc to close") }

    /// Fits every scroll state to the screen, so keys page by what is visible (render changes nothing).
    mutating func layout(_ size: Size) {
        self.size = size
        let body = Self.split(Rect(x: 0, y: 0, width: size.width, height: size.height)).body
        table.fit(height: body.height - 1, rowCount: source.rowCount)
        let text = body.inset(horizontal: 1, vertical: 0)
        textScroll.fit(contentHeight: TextView(Self.untrustedText).lines(width: text.width).count, pageHeight: text.height)
        markdownScroll.fit(contentHeight: MarkdownView(Self.markdown).lines(width: text.width).count, pageHeight: text.height)
        helpOverlay.fit(&helpScroll, in: size)
    }

    func render(into grid: inout Grid, area: Rect) {
        let (tabArea, body, statusArea) = Self.split(area)
        TabBar(Self.tabs, selected: tab).render(into: &grid, area: tabArea)
        switch tab {
        case 0: renderTable(into: &grid, area: body)
        case 1:
            TextView(Self.untrustedText).render(into: &grid, area: body.inset(horizontal: 1, vertical: 0), state: textScroll)
        case 2:
            MarkdownView(Self.markdown).render(into: &grid, area: body.inset(horizontal: 1, vertical: 0), state: markdownScroll)
        case 3: renderForm(into: &grid, area: body.inset(by: 1))
        case 4: renderCharts(into: &grid, area: body.inset(by: 1))
        default:
            grid.put("Press c to open a confirm dialog. Last answer: \(lastAnswer)", x: 2, y: body.y + 1, maxWidth: body.width - 4)
            if let dialog { dialog.render(into: &grid, area: body) }
        }
        let position = tab == 0 ? "row \(table.selected + 1)/\(source.count)" : "theme \(themeName)"
        StatusBar(left: "handlet-gallery · \(Self.tabs[tab]) · \(position) · key \(lastKey)", right: "Tab next · ? help · q quit")
            .render(into: &grid, area: statusArea)
        if showingHelp { helpOverlay.render(into: &grid, area: area, state: helpScroll) }
    }

    func renderTable(into grid: inout Grid, area: Rect) {
        let columns = [
            TableColumn("#", width: .fixed(8), alignRight: true),
            TableColumn("Started", width: .fixed(16)),
            TableColumn("Caller", width: .flexible(minimum: 12, weight: 2)),
            TableColumn("Number", width: .fixed(16)),
            TableColumn("Outcome", width: .flexible(minimum: 10, weight: 1)),
            TableColumn("Length", width: .fixed(7), alignRight: true),
        ]
        Table(columns: columns, sort: (1, false)).render(into: &grid, area: area, state: table, source: source)
    }

    func renderForm(into grid: inout Grid, area: Rect) {
        let rows = area.rows([1, 1, 1, 1, 1, 1])
        recording.render(into: &grid, area: rows[0], labelWidth: 12, focused: focusedField == 0)
        retention.render(into: &grid, area: rows[1], labelWidth: 12, focused: focusedField == 1)
        // The fields' own render fits a copy of their state (its horizontal scroll) for this frame.
        var days = days, note = note
        NumberField("Custom", range: 1...730, unit: "days").render(into: &grid, area: rows[2], labelWidth: 12, state: &days, focused: focusedField == 2)
        TextInputField("Note", placeholder: "type here").render(into: &grid, area: rows[3], labelWidth: 12, state: &note, focused: focusedField == 3)
        grid.put("↑/↓ move between fields · Space toggles · ←/→ change choice", x: area.x, y: rows[5].y, style: .dim, maxWidth: area.width)
    }

    func renderCharts(into grid: inout Grid, area: Rect) {
        let rows = area.rows([1, 1, 1, 1, 6, 1, 1])
        grid.put("Calls per day (sparkline)", x: area.x, y: rows[0].y, style: .header, maxWidth: area.width)
        let values: [Double] = (0..<90).map { (day: Int) -> Double in
            let base = day * 37 % 23
            return Double(day % 7 == 0 ? base : base + 10)
        }
        Sparkline(values).render(into: &grid, area: rows[1])
        grid.put("Outcomes (bar chart)", x: area.x, y: rows[3].y, style: .header, maxWidth: area.width)
        BarChart([("Booked job", 42), ("Quote requested", 31), ("Message taken", 18), ("Missed", 7), ("Spam", 2)]).render(into: &grid, area: rows[4])
        grid.put("Purge progress", x: area.x, y: rows[5].y, style: .header, maxWidth: area.width)
        ProgressBar(fraction: Double(ticks % 101) / 100, label: "recordings").render(into: &grid, area: rows[6])
    }

    mutating func handle(_ event: AppEvent) -> EventOutcome {
        switch event {
        case .tick: ticks += 1; return .handled
        case .message: return .ignored
        case .key(let key):
            lastKey = key.label
            let outcome = handleKey(key)
            layout(size)
            return outcome
        }
    }

    mutating func handleKey(_ key: Key) -> EventOutcome {
        if showingHelp {
            if let move = KeyMap.standardNavigation.action(for: key) { helpScroll.apply(move); return .handled }
            if key == .escape || key == .char("q") || key == .char("?") { showingHelp = false }
            return .handled
        }
        if dialog != nil {
            if let answer = dialog?.handle(key) {
                lastAnswer = answer == .confirmed ? "confirmed" : "cancelled"
                dialog = nil
            }
            return .handled
        }
        if tab == 3, handleFormKey(key) { return .handled }
        if let move = KeyMap.standardNavigation.action(for: key) {
            switch tab {
            case 0: table.apply(move, rowCount: source.rowCount)
            case 1: textScroll.apply(move)
            case 2: markdownScroll.apply(move)
            default: break
            }
            return .handled
        }
        if let index = TabBar(Self.tabs, selected: tab).tab(after: key) { tab = index; return .handled }
        switch keys.action(for: key) {
        case .quit: return .quit
        case .help: showingHelp = true; helpScroll = ScrollState()
        case .openDialog:
            if tab == 5 {
                dialog = ConfirmDialog(title: "Delete recordings?",
                                       message: "Delete 1,204 recordings (3.1 GB) older than 30 days now? This cannot be undone.",
                                       confirmLabel: "Delete", isDestructive: true)
            }
        case .scrollViewDown where tab == 0:
            // Kept only while the selection stays on screen (the table clamps it at render).
            if table.selected > table.offset { table.offset += 1 }
        case .scrollViewUp where tab == 0:
            if table.selected < table.offset + table.pageHeight - 1 { table.offset = max(0, table.offset - 1) }
        case .nextTab, .previousTab, .redraw, .scrollViewDown, .scrollViewUp, nil: return .ignored
        }
        return .handled
    }

    mutating func handleFormKey(_ key: Key) -> Bool {
        switch key {
        case .up: focusedField = max(0, focusedField - 1); return true
        case .down: focusedField = min(3, focusedField + 1); return true
        default: break
        }
        switch focusedField {
        case 0: return recording.handle(key)
        case 1: return retention.handle(key)
        case 2: return NumberField("Custom", range: 1...730).handle(key, state: &days)
        default:
            if key == .escape || key == .tab || key == .backTab { return false }
            return note.handle(key)
        }
    }

    static let untrustedText = """
    Transcript (untrusted text, shown safely):
    Caller: Hi, it's about the boiler — the pressure keeps dropping.\u{1B}[31m this should not be red\u{1B}[0m
    Agent: I can book an engineer for Thursday morning.
    Bidi trick: invoice\u{202E}fdp.exe is not a PDF. Bell:\u{07} DEL:\u{7F} C1:\u{9B}2J
    Wide text: 東京の配管工事 — 한국어 — emoji 👍🏽 👨‍👩‍👧 🇬🇧 — combining: e\u{301} n\u{303} — zero\u{200B}width
    \(String(repeating: "A long line that wraps at word boundaries to fit the width of the view. ", count: 6))
    """

    static let markdown = """
    # Data Processing Agreement — summary

    Handlet processes call and message data **on your behalf**; you remain the *controller*.

    ## What you must do
    - Tell callers that calls are recorded and that an AI assistant answers.
    - Keep recordings no longer than you need (default `30 days`).
    1. Review subprocessor changes within the objection window.
    2. Answer data-subject requests within one month.

    ## Retention table
    | Data | Kept for | Notes |
    |---|---|---|
    | Call recordings | 30 days (configurable 1–730) | Legal hold exempts a recording |
    | Transcripts and summaries | Until you delete them | Separate optional setting |
    | Audit log | Six years | Identifiers only, never personal content |
    """
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("handlet-gallery: \(message)\n".utf8))
    exit(2)
}

/// `--bench`: times drawing a full screen of table rows into the grid, headless.
/// The bytes a scroll writes to a real terminal are measured by scripts/bench-engine.sh.
func runBenchmark(width: Int, height: Int, frames: Int) {
    var gallery = Gallery(themeName: "dark")
    let size = Size(width: width, height: height)
    func timeIt(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    var drawTimes: [Double] = [], diffTimes: [Double] = []
    var previous: Grid?
    var changedCells = 0
    for frame in 0..<frames {
        // Each frame scrolls one row further, so every frame fetches and lays out new rows.
        gallery.table.selected = height + frame
        var grid = Grid(size: size)
        drawTimes.append(timeIt { gallery.render(into: &grid, area: grid.bounds) })
        if let previous {
            diffTimes.append(timeIt { changedCells = grid.changes(since: previous).count })
        }
        previous = grid
    }
    let rowText = previous?.line(height / 2) ?? ""
    print("terminal engine benchmark: \(size) table screen, \(frames) frames")
    print(String(format: "draw full screen into grid: median %.3f ms, min %.3f ms", median(drawTimes), drawTimes.min() ?? 0))
    print(String(format: "diff against previous frame: median %.3f ms (%d cells changed by a one-row scroll)", median(diffTimes), changedCells))
    print("one table row as text: \(rowText.utf8.count) bytes")
}

var themeArgument = "dark"
var mouse = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--theme":
        guard let value = arguments.popFirst() else { fail("--theme needs a NAME or PATH") }
        themeArgument = value
    case "--mouse": mouse = true
    case "--bench":
        runBenchmark(width: 200, height: 60, frames: 500)
        exit(0)
    case "--help", "-h":
        print("usage: handlet-gallery [--theme NAME|PATH] [--mouse] [--bench]\nthemes: \(Theme.builtinNames.joined(separator: ", "))")
        exit(0)
    default: fail("unknown option '\(argument)' (try --help)")
    }
}

let theme: Theme
do { theme = try Theme.load(themeArgument) } catch { fail("\(error)") }
var options = NcursesBackend.Options()
options.mouseWheel = mouse
let backend: NcursesBackend
do { backend = try NcursesBackend(options: options) } catch { fail("\(error)") }
let app = TerminalApp(backend: backend, theme: theme)
app.tickInterval = .milliseconds(200)
var gallery = Gallery(themeName: theme.name)
app.run(&gallery)
