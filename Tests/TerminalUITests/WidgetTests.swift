import XCTest
@testable import TerminalUI

/// Counts the windows requested, to prove the table reads only what is on screen.
final class CountingSource: TableDataSource {
    var windows: [Range<Int>] = []
    let total: Int
    init(total: Int) { self.total = total }
    var rowCount: RowCount { .exact(total) }
    func rows(in window: Range<Int>) -> [TableRow] {
        windows.append(window)
        return window.clamped(to: 0..<total).map { TableRow(["\($0)", "name \($0)"], style: $0 == 3 ? .warning : nil) }
    }
}

final class TableTests: XCTestCase {
    let columns = [TableColumn("Id", width: .fixed(4), alignRight: true), TableColumn("Name", width: .flexible(minimum: 4, weight: 1))]

    func testHeaderSortMarkerRowsAndSelection() {
        var grid = Grid(width: 16, height: 4)
        let state = TableState(selected: 1)
        let source = CountingSource(total: 1_000_000)
        Table(columns: columns, sort: (1, true)).render(into: &grid, area: grid.bounds, state: state, source: source)
        XCTAssertEqual(grid.lines, ["  Id Name ▲     ", "   0 name 0     ", "   1 name 1     ", "   2 name 2     "])
        XCTAssertEqual(grid[0, 0].style, .header)
        XCTAssertEqual(grid[3, 2].style, .selection, "selected row styled across its width")
        XCTAssertEqual(grid[15, 2].style, .selection)
        XCTAssertEqual(grid[3, 1].style, .normal)
        XCTAssertEqual(source.windows, [0..<3], "asks only for the visible window of a million rows")
    }

    /// Rows drawn once by `cells(of:width:)` and copied in (a list's rows kept between frames,
    /// issue 26) give the very cells that drawing them in place gives: selected or not, in their
    /// own styles, with control stand-ins, wide characters cut at a column's edge and text cut with
    /// "…", in an area that does not start at the grid's left edge, over a wide character left there.
    func testRowsDrawnOnceAndCopiedMatchRowsDrawnInPlace() {
        let rows = [TableRow(["12", "Plain name"]), TableRow(["3", "Bold \u{1B}[31m 日本語の名前 and more"], style: Style(.normal, .bold)),
                    TableRow(["456789", "Missed call from a caller with a very long name indeed"], style: .warning),
                    TableRow(["7", "👍🏽 emoji ✓ · line\nbreak"]), TableRow([])]
        for width in [9, 16, 37] {
            let table = Table(columns: columns, sort: (0, false))
            let area = Rect(x: 3, y: 1, width: width, height: rows.count + 1)
            for selected in 0..<rows.count {
                var inPlace = Grid(width: width + 5, height: rows.count + 3)
                inPlace.put("日本日本日本日本日本日本日本日本日本日本日本", x: 0, y: 2)
                var copied = inPlace
                table.render(into: &inPlace, area: area, state: TableState(selected: selected), source: ArrayTableSource(rows))
                table.render(into: &copied, area: area, state: TableState(selected: selected), drawnRows: rows.map { table.cells(of: $0, width: width) })
                XCTAssertEqual(copied, inPlace, "width \(width), row \(selected) selected:\n\(copied.lines.joined(separator: "\n"))\n\(inPlace.lines.joined(separator: "\n"))")
            }
        }
    }

    /// A sorted column too narrow for its title and " ▼" keeps the whole marker; the focused
    /// column's title is underlined (what a sort key acts on).
    func testMarkerFitsANarrowColumnAndTheFocusedTitleIsUnderlined() {
        var grid = Grid(width: 20, height: 2)
        var table = Table(columns: [TableColumn("Length", width: .fixed(7), alignRight: true), TableColumn("Outcome", width: .fixed(12))],
                          sort: (0, false))
        table.focusedColumn = 1
        table.render(into: &grid, area: grid.bounds, state: TableState(), source: ArrayTableSource([TableRow(["1m 00s", "Missed"])]))
        XCTAssertTrue(grid.lines[0].hasPrefix("Length▼ Outcome"), grid.lines[0])
        XCTAssertEqual(grid[8, 0].style, Style.header.adding([.underline, .bold]))
        XCTAssertEqual(grid[0, 0].style, .header)
        var narrower = Grid(width: 20, height: 2)
        table.columns[0].width = .fixed(4)
        table.render(into: &narrower, area: narrower.bounds, state: TableState(), source: ArrayTableSource([]))
        XCTAssertTrue(narrower.lines[0].hasPrefix("Len▼"), narrower.lines[0])
    }

    /// The screen fits the state when it lays out and after each move; drawing changes nothing.
    func testScrollingKeepsSelectionVisibleAndMovesByOneRow() {
        var grid = Grid(width: 16, height: 4)
        var state = TableState()
        let source = CountingSource(total: 100)
        let table = Table(columns: columns)
        state.fit(height: 3, rowCount: source.rowCount)
        table.render(into: &grid, area: grid.bounds, state: state, source: source)
        for _ in 0..<3 { state.apply(.down, rowCount: source.rowCount) }
        state.fit(height: 3, rowCount: source.rowCount)
        let fitted = state
        table.render(into: &grid, area: grid.bounds, state: state, source: source)
        XCTAssertEqual(state, fitted, "drawing leaves the state as it was")
        XCTAssertEqual(state.offset, 1)
        XCTAssertEqual(grid.line(3), "   3 name 3     ")
        XCTAssertEqual(grid[0, 3].style, .selection)
        XCTAssertEqual(grid[0, 2].style, .normal)
        state.apply(.bottom, rowCount: source.rowCount)
        state.fit(height: 3, rowCount: source.rowCount)
        table.render(into: &grid, area: grid.bounds, state: state, source: source)
        XCTAssertEqual(state.offset, 97)
        XCTAssertEqual(grid.line(3), "  99 name 99    ")
        state.apply(.pageUp, rowCount: source.rowCount)
        XCTAssertEqual(state.selected, 97)
    }

    func testRowStyleFromSourceAndFlexibleWidths() {
        var grid = Grid(width: 16, height: 5)
        Table(columns: columns).render(into: &grid, area: grid.bounds, state: TableState(selected: 0), source: CountingSource(total: 10))
        XCTAssertEqual(grid[5, 4].style, .warning)
        XCTAssertEqual(Table(columns: columns).columnWidths(total: 30), [4, 25])
    }
}

final class TextViewTests: XCTestCase {
    func testWrapsAtWordsAndScrolls() {
        var grid = Grid(width: 10, height: 2)
        var scroll = ScrollState()
        let view = TextView("one two three four five")
        scroll.fit(contentHeight: view.lines(width: 10).count, pageHeight: 2)
        view.render(into: &grid, area: grid.bounds, state: scroll)
        XCTAssertEqual(grid.lines, ["one two   ", "three four"])
        scroll.apply(.down)
        grid = Grid(width: 10, height: 2)
        view.render(into: &grid, area: grid.bounds, state: scroll)
        XCTAssertEqual(grid.lines, ["three four", "five      "])
        scroll.apply(.down)
        XCTAssertEqual(scroll.offset, 1, "never scrolls past the end")
    }

    func testWideTextWrapsWithoutSplittingAndControlsAreStyled() {
        var grid = Grid(width: 5, height: 3)
        TextView("東京大阪\u{1B}x").render(into: &grid, area: grid.bounds, state: ScrollState())
        XCTAssertEqual(grid.lines, ["東京 ", "大阪␛", "x    "])
        XCTAssertEqual(grid[4, 1].style, .control)
        XCTAssertEqual(grid[0, 1].style, .normal)
    }
}

final class MarkdownTests: XCTestCase {
    func testHeadingsListsAndEmphasis() {
        let lines = MarkdownView("# Title\n\nSome **bold** and *soft* `code`.\n- item one\n2. second").lines(width: 30)
        let text = lines.map { $0.map(\.text).joined() }
        XCTAssertEqual(text, ["Title", "", "Some bold and soft code.", "• item one", "2. second"])
        XCTAssertEqual(lines[0].first?.style.role, .title)
        XCTAssertTrue(lines[2].contains(Span("bold", Style(.strong))))
        XCTAssertTrue(lines[2].contains(Span("soft", Style(.emphasis))))
        XCTAssertTrue(lines[2].contains(Span("code", Style(.code))))
        XCTAssertEqual(lines[3].first, Span("• ", .accent))
    }

    func testListItemsHangIndent() {
        let text = MarkdownView("- alpha beta gamma").lines(width: 12).map { $0.map(\.text).joined() }
        XCTAssertEqual(text, ["• alpha beta", "  gamma"])
    }

    func testTablesFitTheWidth() {
        let source = "| Data | Kept for |\n|---|---|\n| Call recordings | 30 days by default |"
        var grid = Grid(width: 24, height: 4)
        MarkdownView(source).render(into: &grid, area: grid.bounds, state: ScrollState())
        for line in grid.lines { XCTAssertEqual(TextWidth.width(of: line), 24) }
        XCTAssertTrue(grid.line(0).hasPrefix("Data"))
        XCTAssertTrue(grid.line(1).contains("┼"))
        XCTAssertFalse(grid.line(2).contains("…"), "cells wrap instead of losing their text: \(grid.line(2))")
        XCTAssertEqual(grid[0, 0].style, .header)
        XCTAssertEqual(grid[0, 1].style, .border)
        let wide = MarkdownView(source).lines(width: 80).map { $0.map(\.text).joined() }
        XCTAssertEqual(wide[2], "Call recordings │ 30 days by default")
    }

    /// Issue 13: a table wider than the screen wraps its cells inside their columns, rows as tall
    /// as their tallest cell, and no line passes the width, wide characters included.
    func testATableWiderThanTheScreenWrapsItsCells() {
        let source = """
            | Service | What it does | Where |
            |---|---|---|
            | Speech recognition | Turns call audio into transcripts for every answered call | EU |
            | 日本語の翻訳サービス | Translates 🇬🇧 messages | UK |
            """
        let lines = MarkdownView(source).lines(width: 40)
        let text = lines.map { $0.map(\.text).joined() }
        XCTAssertEqual(text[0], "Service         │ What it does   │ Where")
        XCTAssertEqual(text[1], "────────────────┼────────────────┼──────")
        XCTAssertEqual(text[2], "Speech          │ Turns call     │ EU")
        XCTAssertEqual(text[3], "recognition     │ audio into     │")
        XCTAssertTrue(text.contains { $0.hasPrefix("日本語の翻訳サービ") || $0.hasPrefix("日本語の翻訳") }, "\(text)")
        for line in lines { XCTAssertLessThanOrEqual(MarkdownView.width(of: line), 40, "\(line)") }
        XCTAssertFalse(text.joined().contains("…"))
        // Every word of every cell is still there.
        for word in ["transcripts", "answered", "call", "Translates", "messages"] {
            XCTAssertTrue(text.joined(separator: " ").contains(word), word)
        }
        var grid = Grid(width: 40, height: 12)
        MarkdownView(source).render(into: &grid, area: grid.bounds, state: ScrollState())
        XCTAssertTrue(grid.lines.allSatisfy { TextWidth.width(of: $0) == 40 })
    }

    func testNestedListsIndentByLevelAndContinue() {
        let source = """
            - Subprocessors
              - announced 30 days ahead
                - objections in writing
              - a list kept current
            1. First
            2. Second that wraps onto
               another line
            """
        let text = MarkdownView(source).lines(width: 30).map { $0.map(\.text).joined() }
        XCTAssertEqual(text, ["• Subprocessors", "  ◦ announced 30 days ahead", "    ▪ objections in writing",
                              "  ◦ a list kept current", "1. First", "2. Second that wraps onto", "   another line"])
    }

    func testLinksShowTheirAddressAndQuotesAndRules() {
        let lines = MarkdownView("See [the ICO](https://ico.org.uk) now.\n\n> Quoted words\n\n---").lines(width: 50)
        let text = lines.map { $0.map(\.text).joined() }
        XCTAssertEqual(text[0], "See the ICO <https://ico.org.uk> now.")
        XCTAssertTrue(lines[0].contains(Span("the ICO", Style(.link, [.underline]))))
        XCTAssertEqual(text[2], "│ Quoted words")
        XCTAssertEqual(text[4], String(repeating: "─", count: 50))
    }

    /// Escape sequences, C1 controls and bidi overrides in a notice never reach the grid raw.
    func testHostileTextIsShownAsStandIns() {
        let hostile = "# Title \u{1B}]0;owned\u{07}\n\nBody \u{1B}[2J\u{9B}31m **bold \u{202E}x** [a\u{1B}b](http://x\u{1B}y)\n| \u{1B}[5m | b |\n|---|---|"
        var grid = Grid(width: 60, height: 8)
        MarkdownView(hostile).render(into: &grid, area: grid.bounds, state: ScrollState())
        let shown = grid.lines.joined(separator: "\n")
        for raw in ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"] { XCTAssertFalse(shown.contains(raw), "raw \(raw.debugDescription)") }
        XCTAssertTrue(shown.contains("␛"), shown)
        XCTAssertTrue(shown.contains("<RLO>"), shown)
        // The laid-out lines themselves hold only stand-ins, so widths are measured on what is shown
        // (the grid's own sanitising is the last line of defence, not the only one).
        let laidOut = MarkdownView(hostile).lines(width: 60).flatMap { $0 }.map(\.text).joined()
        for raw in ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"] { XCTAssertFalse(laidOut.contains(raw), "raw \(raw.debugDescription) in a span") }
    }

    func testScrollingShowsLaterLines() {
        let source = (1...30).map { "Paragraph \($0)." }.joined(separator: "\n\n")
        var state = ScrollState()
        let view = MarkdownView(source)
        state.fit(contentHeight: view.lines(width: 20).count, pageHeight: 5)
        state.apply(.pageDown)
        var grid = Grid(width: 20, height: 5)
        view.render(into: &grid, area: grid.bounds, state: state)
        XCTAssertEqual(grid.line(0).trimmingCharacters(in: .whitespaces), "Paragraph 3.")
        XCTAssertEqual(grid.line(1).trimmingCharacters(in: .whitespaces), "")
        state.apply(.bottom)
        grid = Grid(width: 20, height: 5)
        view.render(into: &grid, area: grid.bounds, state: state)
        XCTAssertEqual(grid.line(4).trimmingCharacters(in: .whitespaces), "Paragraph 30.")
    }
}

final class FormFieldTests: XCTestCase {
    func testToggleRendersAndFlips() {
        var toggle = ToggleField("Recording", isOn: false)
        XCTAssertTrue(toggle.handle(.char(" ")))
        var grid = Grid(width: 24, height: 1)
        toggle.render(into: &grid, area: grid.bounds, labelWidth: 10, focused: true)
        XCTAssertEqual(grid.line(0), "Recording  [x] on       ")
        XCTAssertEqual(grid[11, 0].style, Style(.inputFocused))
        XCTAssertEqual(grid[0, 0].style, Style(.accent, .bold))
        var locked = ToggleField("Quotes", isOn: false, isEnabled: false, disabledReason: "needs 30 drafts")
        XCTAssertFalse(locked.handle(.char(" ")))
        grid = Grid(width: 40, height: 1)
        locked.render(into: &grid, area: grid.bounds, labelWidth: 6, focused: false)
        XCTAssertEqual(grid.line(0).trimmingCharacters(in: .whitespaces), "Quotes [ ] off needs 30 drafts")
        XCTAssertEqual(grid[7, 0].style, .dim)
    }

    func testChoiceMovesWithinOptions() {
        var choice = ChoiceField("Keep", options: ["7", "30"], selectedIndex: 0)
        XCTAssertTrue(choice.handle(.char("l")))
        XCTAssertTrue(choice.handle(.right))
        XCTAssertEqual(choice.selected, "30")
        var grid = Grid(width: 14, height: 1)
        choice.render(into: &grid, area: grid.bounds, labelWidth: 4, focused: false)
        XCTAssertEqual(grid.line(0), "Keep ‹ 30     ")
        XCTAssertEqual(grid[5, 0].style, Style(.input))
    }

    func testTextInputEditsByClusterAndDrawsCursor() {
        var state = TextInputState("ab👍🏽")
        _ = state.handle(.backspace)
        XCTAssertEqual(state.text, "ab", "backspace removes the whole emoji with its skin tone")
        _ = state.handle(.home)
        _ = state.handle(.char("x"))
        XCTAssertEqual(state.text, "xab")
        XCTAssertEqual(state.cursor, 1)
        _ = state.handle(.ctrl("k"))
        XCTAssertEqual(state.text, "x")
        state.setText("one two")
        _ = state.handle(.ctrl("w"))
        XCTAssertEqual(state.text, "one ")
        var grid = Grid(width: 12, height: 1)
        TextInputField("T").render(into: &grid, area: grid.bounds, labelWidth: 1, state: &state, focused: true)
        XCTAssertEqual(grid.line(0), "T one       ")
        XCTAssertEqual(grid[6, 0].style, Style(.inputFocused, .reverse), "cursor cell after the text")
        XCTAssertEqual(grid[2, 0].style, Style(.inputFocused))
    }

    func testTextInputScrollsToKeepCursorVisible() {
        var state = TextInputState("abcdefghij")
        var grid = Grid(width: 6, height: 1)
        TextInputField("").render(into: &grid, area: grid.bounds, labelWidth: 0, state: &state, focused: true)
        XCTAssertEqual(grid.line(0), " ghij ")
    }

    func testNumberFieldValidatesRange() {
        let field = NumberField("Days", range: 1...730, unit: "days")
        var state = TextInputState("")
        XCTAssertTrue(field.handle(.char("x"), state: &state))
        XCTAssertEqual(state.text, "", "letters are refused")
        for digit in "999" { _ = field.handle(.char(digit), state: &state) }
        XCTAssertEqual(field.validate(state), .failure(NumberFieldError(message: "Enter a whole number from 1 to 730 days")))
        var grid = Grid(width: 60, height: 1)
        field.render(into: &grid, area: grid.bounds, labelWidth: 4, state: &state, focused: false)
        XCTAssertTrue(grid.line(0).contains("Enter a whole number from 1 to 730"))
        let errorColumn = grid.column(of: "Enter", row: 0)!
        XCTAssertEqual(grid[errorColumn, 0].style, .error)
        _ = field.handle(.backspace, state: &state)
        XCTAssertEqual(field.validate(state), .success(99))
    }
}

final class DialogAndBarTests: XCTestCase {
    func testDestructiveDialogDefaultsToCancel() {
        var dialog = ConfirmDialog(title: "Delete?", message: "Delete 3 recordings now?", confirmLabel: "Delete", isDestructive: true)
        var grid = Grid(width: 50, height: 12)
        dialog.render(into: &grid, area: grid.bounds)
        let buttonRow = grid.lines.firstIndex { $0.contains("[ Cancel ]") }!
        let cancelColumn = grid.column(of: "[ Cancel ]", row: buttonRow)!
        let deleteColumn = grid.column(of: "[ Delete ]", row: buttonRow)!
        XCTAssertEqual(grid[cancelColumn, buttonRow].style, .selection)
        XCTAssertEqual(grid[deleteColumn, buttonRow].style, Style(.overlay))
        XCTAssertTrue(grid.lines.contains { $0.contains("Delete 3 recordings now?") })
        XCTAssertTrue(grid.lines.contains { $0.contains("┌ Delete? ") })
        XCTAssertNil(dialog.handle(.char("j")), "other keys are swallowed")
        XCTAssertEqual(dialog.handle(.enter), .cancelled)
        _ = dialog.handle(.right)
        XCTAssertEqual(dialog.handle(.enter), .confirmed)
        XCTAssertEqual(dialog.handle(.escape), .cancelled)
        grid = Grid(width: 50, height: 12)
        dialog.render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid[deleteColumn, buttonRow].style, Style(.error, .reverse))
    }

    func testTabBarHighlightsActiveTabAndSwitches() {
        var grid = Grid(width: 30, height: 1)
        let bar = TabBar(["Calls", "Messages"], selected: 1)
        bar.render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid.line(0), " 1 Calls  2 Messages          ")
        XCTAssertEqual(grid[1, 0].style, .tabInactive)
        XCTAssertEqual(grid[10, 0].style, .tabActive)
        XCTAssertEqual(bar.tab(after: .tab), 0)
        XCTAssertEqual(bar.tab(after: .char("1")), 0)
        XCTAssertNil(bar.tab(after: .char("9")))
    }

    func testStatusBarPutsHintsRightAndDropsThemWhenNarrow() {
        var grid = Grid(width: 30, height: 1)
        StatusBar(left: "Calls", right: "? help").render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid.line(0), " Calls                 ? help ")
        XCTAssertEqual(grid[1, 0].style, .statusBar)
        XCTAssertEqual(grid[23, 0].style, Style(.statusBar, .dim))
        grid = Grid(width: 12, height: 1)
        StatusBar(left: "A long status", right: "? help").render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid.line(0), " A long st… ")
    }

    func testHelpOverlayIsGeneratedFromTheKeyMap() {
        enum Action: Sendable { case open, quit }
        let keys = KeyMap<Action>([KeyBinding([.enter], .open, "Open the call", group: "Actions"),
                                   KeyBinding([.char("q"), .escape], .quit, "Back", group: "Actions")])
        var grid = Grid(width: 60, height: 10)
        HelpOverlay(title: "Calls", entries: keys.helpEntries, closeHint: "Esc to close").render(into: &grid, area: grid.bounds, state: ScrollState())
        let text = grid.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Calls — Esc to close"))
        let row = grid.lines.firstIndex { $0.contains("Open the call") }!
        XCTAssertTrue(grid.line(row).contains("Enter"))
        XCTAssertTrue(grid.lines.contains { $0.contains("q Esc") && $0.contains("Back") })
        XCTAssertEqual(grid[grid.column(of: "Enter", row: row)!, row].style, .accent)
        XCTAssertEqual(grid[grid.column(of: "Actions", row: row - 1)!, row - 1].style, .header)
    }

    func testSparklineBarChartAndProgressBar() {
        XCTAssertEqual(Sparkline([0, 1, 4, 8]).symbols(width: 3), "▁▄█", "keeps the newest values; half the maximum is half height")
        var grid = Grid(width: 10, height: 1)
        Sparkline([1, 8]).render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid[1, 0].symbol, "█")
        XCTAssertEqual(grid[1, 0].style, Style(.chart))

        grid = Grid(width: 14, height: 2)
        BarChart([("A", 10), ("B", 5)]).render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid.line(0), "A █████████ 10")
        XCTAssertEqual(grid.line(1), "B ████▌ 5     ", "half of nine columns is four and a half")
        XCTAssertEqual(grid[2, 0].style, Style(.chart))
        XCTAssertEqual(grid[13, 0].style, .dim)

        grid = Grid(width: 14, height: 1)
        ProgressBar(fraction: 0.5).render(into: &grid, area: grid.bounds)
        XCTAssertEqual(grid.line(0), "█████      50%")
        XCTAssertEqual(grid[7, 0].style, Style(.gauge), "the empty track is drawn too")
        XCTAssertEqual(grid[11, 0].style, .normal)
    }
}
