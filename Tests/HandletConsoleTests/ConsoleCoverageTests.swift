import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Behaviours nothing else tested: `]`/`[` between tabs, Tab widening a search, the Messages
/// filters, and hostile stored text in a call's detail, its transcript and search snippets.
final class ConsoleCoverageTests: ConsoleScreenTestCase {
    /// The dangerous code points, listed independently of the sanitiser (as in SanitizerTests).
    static func dangerous(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    func testBracketsMoveBetweenTabsAndWrap() {
        var driver = makeDriver()
        XCTAssertEqual(driver.screen.currentTab.title, "Overview")
        driver.press(.char("]"))
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        driver.press(.char("]"), .char("]"))
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts")
        driver.press(.char("["))
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        driver.press(.char("["), .char("["))
        XCTAssertEqual(driver.screen.currentTab.title, "Overview")
        let titles = driver.screen.screens.tabIndices.map { driver.screen.tabs[$0].title }
        driver.press(.char("["))
        XCTAssertEqual(driver.screen.currentTab.title, titles.last, "[ from the first tab wraps to the last")
        driver.press(.char("]"))
        XCTAssertEqual(driver.screen.currentTab.title, "Overview", "] from the last wraps to the first")
    }

    /// From the Messages tab a search covers only messages; Tab widens it to everything (the
    /// call that says "boiler" appears) and Tab again narrows it back.
    func testTabWidensASearchToEverythingAndBack() {
        var driver = makeDriver()
        driver.goTo(.messages)
        driver.press("search", in: "Message threads")
        driver.type("boiler")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("Tab: search everything"), driver.text)
        XCTAssertFalse(driver.text.contains("1 result"), "only messages, and none says boiler: \(driver.grid.lines.last!)")
        driver.press("widen", in: "Search")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("1 result"), driver.text)
        XCTAssertTrue(driver.text.contains("Tab: only this tab"), driver.text)
        XCTAssertTrue(driver.grid.lines.contains { $0.contains("call") && $0.contains("Bob Blocked") }, driver.text)
        driver.press("widen", in: "Search")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertFalse(driver.text.contains("1 result"), driver.text)
        XCTAssertTrue(driver.text.contains("Tab: search everything"))
    }

    func testMessagesFilterByChannelThenClear() {
        var driver = makeDriver()
        driver.goTo(.messages)
        XCTAssertTrue(driver.grid.lines[2].contains("SMS") && driver.grid.lines[2].contains("Alice Archer"), driver.grid.lines[2])
        // Date, From, To, Channel: move to Channel and choose Email (the fixture has only SMS).
        driver.press("filter", in: "Message threads")
        driver.press("next_field", in: "Filter editor")
        driver.press("next_field", in: "Filter editor")
        driver.press("next_field", in: "Filter editor")
        for _ in 0...Channel.allCases.firstIndex(of: .email)! { driver.press("next_choice", in: "Filter editor") }
        driver.press("apply", in: "Filter editor")
        XCTAssertTrue(driver.grid.lines[1].contains("Email"), "the chip: \(driver.grid.lines[1])")
        XCTAssertTrue(driver.text.contains("No threads match these filters"), driver.text)
        XCTAssertFalse(driver.text.contains("Alice Archer"))

        driver.press("clear", in: "Message threads")
        XCTAssertTrue(driver.text.contains("Alice Archer"), "x clears: \(driver.text)")
        // Channel SMS and the last message outbound: the thread is still there.
        driver.press("filter", in: "Message threads")
        driver.press("next_field", in: "Filter editor")
        driver.press("next_field", in: "Filter editor")
        driver.press("next_field", in: "Filter editor")
        for _ in 0...Channel.allCases.firstIndex(of: .sms)! { driver.press("next_choice", in: "Filter editor") }
        driver.press("apply", in: "Filter editor")
        XCTAssertTrue(driver.grid.lines[1].contains("SMS"), driver.grid.lines[1])
        XCTAssertTrue(driver.text.contains("Alice Archer"), driver.text)
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
    }

    /// A hostile summary, transcript turn and message body reach the call's detail, its
    /// transcript and the search snippets only as visible stand-ins, never raw.
    func testHostileTextIsNeutralisedInDetailTranscriptAndSnippets() throws {
        let hostile = "boiler \u{1B}]0;pwned\u{07} \u{202E}gnp.exe \u{9B}31m\u{200F}end"
        try fixture.workspace.overwriteCall(externalId: "CALL-0", summary: hostile, transcriptText: "Hello, Fixture Plumbing.\n" + hostile)
        try fixture.workspace.overwriteMessageBodies(startingWith: "Can someone", with: hostile)
        func assertNoRawControls(_ driver: ScreenDriver<ConsoleScreen>, _ state: String, file: StaticString = #filePath, line: UInt = #line) {
            for y in 0..<driver.grid.height {
                for x in 0..<driver.grid.width {
                    let raw = driver.grid[x, y].symbol.unicodeScalars.filter(Self.dangerous)
                    XCTAssertTrue(raw.isEmpty, "\(state): U+\(raw.map { String($0.value, radix: 16) }) at \(x),\(y)", file: file, line: line)
                }
            }
        }
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        XCTAssertTrue(driver.text.contains("Transcript"), driver.text)
        assertNoRawControls(driver, "call detail")
        XCTAssertTrue(driver.text.contains("␛]0;pwned␇"), "the summary shows what was there: \(driver.text)")
        XCTAssertTrue(driver.text.contains("<RLO>gnp.exe"), driver.text)
        XCTAssertTrue(driver.text.contains("␛[31m<RLM>end"), "C1 CSI and RLM: \(driver.text)")

        driver.press("back", in: "Call detail")
        driver.press("search", in: "Calls list")
        driver.type("pwned")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("1 result"), driver.text)
        assertNoRawControls(driver, "search snippets, calls")
        driver.press("widen", in: "Search")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("2 results"), "the call and the message: \(driver.text)")
        assertNoRawControls(driver, "search snippets")
        XCTAssertTrue(driver.text.contains("␛]0;"), driver.text)

        driver.press("close", in: "Search")
        driver.goTo(.messages)
        driver.press("open", in: "Message threads")
        assertNoRawControls(driver, "conversation")
        XCTAssertTrue(driver.text.contains("<RLO>gnp.exe"), driver.text)
    }
}
