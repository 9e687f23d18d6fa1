import GRDB
@testable import HandletDomain
import XCTest

final class BrowseSearchTests: XCTestCase {
    private func search(_ text: String, _ fixture: BrowseFixture, filter: BrowseFilter = BrowseFilter(),
                        prefix: Bool = false) throws -> Search.Results {
        try fixture.read { db in
            try Search.run(SearchQuery(text, prefixLastWord: prefix), callFilter: filter.callFilter,
                           messageFilter: filter.messageFilter, clock: fixture.clock, limit: 50, in: db)
        }
    }

    func testHostileInputGivesAResultOrAReasonNeverAnError() throws {
        let fixture = try BrowseFixture()
        try fixture.addCall(at: BrowseFixture.now, summary: "Boiler leaking near the cylinder; NEAR miss with AND gate")
        let thread = try fixture.addThread(contact: nil, channel: .sms)
        try fixture.addMessage(thread: thread, at: BrowseFixture.now, body: "Is the boiler fixed? \"quote\" please")
        let long = String(repeating: "boiler ", count: 1_500)
        let inputs = [
            "\"", "\"\"", "\"boiler", "boiler\"", "\"boiler\" \"", "AND", "OR NOT", "boiler AND", "NEAR(boiler leak)",
            "NEAR(boiler, 2)", "boiler*", "*", "^boiler", "summary:boiler", "{summary transcript}: boiler", "(", ")",
            "-boiler", "+", "boiler OR", "'; DROP TABLE calls; --", "\\", "%", "_", "col:\"x", "the and of", "a an the",
            "\u{0}", "\u{1B}[31mboiler", "\u{202E}boiler", "e\u{301}", "🚿", "👩‍🔧", "boiler\u{0}leak",
            String(repeating: "x", count: 10_000), long + String(repeating: "\"", count: 3), String(repeating: "(", count: 10_000),
            String(repeating: "a ", count: 5_000), String(repeating: "é", count: 10_000),
        ]
        for input in inputs {
            let results = try search(input, fixture)
            if results.problem == nil {
                XCTAssertNotNil(results.query.matchExpression, input.prefix(40).debugDescription)
            } else {
                XCTAssertTrue(results.isEmpty)
            }
            // Paging and counting with the same query must not fail either.
            try fixture.read { db in
                let page = CallSearchPage(query: results.query, clock: fixture.clock)
                _ = try page.last(limit: 5, in: db)
                _ = try page.count(in: db)
                _ = try MessageSearchPage(query: results.query, clock: fixture.clock).count(in: db)
            }
        }
        XCTAssertEqual(try search("\"boiler", fixture).calls.count, 1, "an unclosed quote runs to the end")
        XCTAssertEqual(try search("NEAR(miss)", fixture).calls.count, 1, "operators are searched as words: the phrase \"NEAR miss\"")
        XCTAssertEqual(try search("NEAR(boiler, cylinder)", fixture).calls.count, 0, "not obeyed as NEAR: no phrase \"near boiler\"")
        XCTAssertEqual(try search("boiler AND", fixture).calls.count, 1)
        XCTAssertEqual(try search("summary:boiler", fixture).calls.count, 0, "no column filter: 'summary' is a word")
        XCTAssertEqual(try search("the and of", fixture).problem, .onlyCommonWords)
        XCTAssertEqual(try search("  \"\" ()", fixture).problem, .empty)
        XCTAssertEqual(try search("\"the\"", fixture).calls.count, 1, "a quoted common word is searched")
        let capped = try search(long, fixture)
        XCTAssertTrue(capped.query.truncated)
        XCTAssertEqual(capped.query.terms.count, SearchQuery.maximumTerms)
        XCTAssertEqual(capped.calls.count, 1)
        XCTAssertLessThanOrEqual(SearchQuery(String(repeating: "x", count: 10_000)).terms[0].tokens[0].count, SearchQuery.maximumTokenLength)
    }

    /// Issue 11: the documented limits (20 words, 64 characters a word) hold inside quotes too,
    /// so a 16,000-word quoted phrase is cut while it is parsed, not searched for.
    func testAQuotedPhraseCountsItsWordsTowardTheLimit() {
        let phrase = SearchQuery("\"" + String(repeating: "the ", count: 16_000) + "\"")
        XCTAssertTrue(phrase.truncated)
        XCTAssertEqual(phrase.terms.count, 1)
        XCTAssertEqual(phrase.terms[0].tokens.count, SearchQuery.maximumTerms)
        XCTAssertLessThan(phrase.matchExpression!.count, 200)

        let mixed = SearchQuery("boiler leak \"" + String(repeating: "kitchen ", count: 500))
        XCTAssertTrue(mixed.truncated, "an unclosed quote is cut as well")
        XCTAssertEqual(mixed.terms.map(\.tokens.count), [1, 1, SearchQuery.maximumTerms - 2])

        let long = SearchQuery("\"short " + String(repeating: "x", count: 100_000) + " word\"")
        XCTAssertTrue(long.truncated)
        XCTAssertEqual(long.terms[0].tokens.map(\.count), [5, SearchQuery.maximumTokenLength, 4], "a long word in a phrase is cut")

        let hyphens = SearchQuery(Array(repeating: "a", count: 10_000).joined(separator: "-"))
        XCTAssertEqual(hyphens.terms.flatMap(\.tokens).count, SearchQuery.maximumTerms, "one word of many tokens is cut too")

        let exact = SearchQuery("\"" + (1...20).map { "w\($0)" }.joined(separator: " ") + "\"")
        XCTAssertFalse(exact.truncated, "20 words is within the limit")
        XCTAssertEqual(exact.terms[0].tokens.count, 20)
    }

    func testEachWordIsAQuotedStringInTheExpression() {
        XCTAssertEqual(SearchQuery("boiler leak").matchExpression, "\"boiler\" \"leak\"")
        XCTAssertEqual(SearchQuery("\"boiler leak\" today").matchExpression, "\"boiler leak\" \"today\"")
        XCTAssertEqual(SearchQuery("don't").matchExpression, "\"don t\"")
        XCTAssertEqual(SearchQuery("NEAR(a*b)").matchExpression, "\"NEAR a b\"")
        XCTAssertEqual(SearchQuery("boi", prefixLastWord: true).matchExpression, "\"boi\"*")
        XCTAssertEqual(SearchQuery("boi ", prefixLastWord: true).matchExpression, "\"boi\"")
        for text in ["\"\"\"", "a\"b\"c", "x\" OR \"y"] {
            let expression = SearchQuery(text).matchExpression ?? ""
            XCTAssertTrue(expression.filter { $0 == "\"" }.count.isMultiple(of: 2), text)
        }
    }

    func testNewestHitsFirstAcrossBothKindsWithFiltersCombined() throws {
        let fixture = try BrowseFixture()
        let old = try fixture.addCall(at: BrowseFixture.at(days: -40), outcome: .missed, summary: "Radiator cold upstairs")
        let middle = try fixture.addCall(at: BrowseFixture.at(days: -3), outcome: .bookedJob, summary: "Radiator bleed booked")
        let recent = try fixture.addCall(at: BrowseFixture.at(days: -1), outcome: .missed,
                                         turns: [.init(speaker: .caller, offsetMs: 0, text: "my radiator is cold")])
        try fixture.addCall(at: BrowseFixture.now, summary: "Nothing relevant")
        let sms = try fixture.addThread(contact: nil, channel: .sms)
        let smsHit = try fixture.addMessage(thread: sms, at: BrowseFixture.at(days: -2), body: "radiator valve stuck")
        let email = try fixture.addThread(contact: nil, channel: .email)
        let emailHit = try fixture.addMessage(thread: email, at: BrowseFixture.at(days: -20), body: "new radiator quote",
                                              direction: .outbound)

        let all = try search("radiator", fixture)
        XCTAssertEqual(all.calls.map(\.callID), [recent, middle, old])
        XCTAssertEqual(all.messages.map(\.messageID), [smsHit, emailHit], "newest first by time (issue 25), not by id")
        XCTAssertEqual(all.messages.first?.threadID, sms)
        XCTAssertEqual(try search("radiator", fixture, filter: BrowseFilter(outcomes: [.missed])).calls.map(\.callID), [recent, old])
        XCTAssertEqual(try search("radiator", fixture, filter: BrowseFilter(outcomes: [.missed])).messages, [],
                       "an outcome filter leaves messages out")
        let week = try search("radiator", fixture, filter: BrowseFilter(dateRange: .last7Days))
        XCTAssertEqual(week.calls.map(\.callID), [recent, middle])
        XCTAssertEqual(week.messages.map(\.messageID), [smsHit])
        let outboundEmail = try search("radiator", fixture, filter: BrowseFilter(channel: .email, direction: .outbound))
        XCTAssertEqual(outboundEmail.calls, [])
        XCTAssertEqual(outboundEmail.messages.map(\.messageID), [emailHit])
        XCTAssertTrue(try search("radiator", fixture, filter: BrowseFilter(outcomes: [.spam])).isEmpty)
        XCTAssertEqual(try search("radi", fixture, prefix: true).calls.count, 3)
        XCTAssertEqual(try search("\"radiator cold\"", fixture).calls.map(\.callID), [old], "a phrase needs its words together")
        XCTAssertEqual(try search("radiator cold", fixture).calls.map(\.callID), [recent, old], "words need not be together")
    }

    func testSearchPagesBothWays() throws {
        let fixture = try BrowseFixture()
        var ids: [Call.ID] = []
        for index in 0..<11 {
            ids.append(try fixture.addCall(at: BrowseFixture.at(days: -Double(index)), summary: "Leaking tap number \(index)"))
            try fixture.addCall(at: BrowseFixture.at(days: -Double(index)), summary: "Unrelated")
        }
        let page = CallSearchPage(query: SearchQuery("leaking"), clock: fixture.clock)
        try fixture.read { db in
            var forward: [Call.ID?] = []
            var rows = try page.first(limit: 4, in: db)
            while !rows.isEmpty { forward += rows.map(\.callID); rows = try page.after(rows.last!.cursor, limit: 4, in: db) }
            XCTAssertEqual(forward, ids.sorted(by: >).map(Optional.some))
            var backward: [Call.ID?] = []
            rows = try page.last(limit: 4, in: db)
            while !rows.isEmpty { backward = rows.map(\.callID) + backward; rows = try page.before(rows.first!.cursor, limit: 4, in: db) }
            XCTAssertEqual(backward, forward)
            XCTAssertEqual(try page.count(in: db), 11)
        }
        let (sql, arguments) = page.firstPageSQL(limit: 50)
        let plan = try fixture.queryPlan(sql, arguments)
        XCTAssertTrue(plan.hasPrefix("SCAN call_fts VIRTUAL TABLE"), "the FTS hits are the outer loop:\n\(plan)")
        XCTAssertFalse(plan.contains("TEMP B-TREE"), "newest first comes from the FTS rowid order, not a sort:\n\(plan)")
    }

    func testHighlightOffsetsCountCharactersInMultibyteText() throws {
        let fixture = try BrowseFixture()
        let summary = "👩‍🔧 Frau Müller (日本語) says the boiler in Zürich is kaputt; e\u{301}tage boiler"
        let call = try fixture.addCall(at: BrowseFixture.now, summary: summary, turns: [
            .init(speaker: .caller, offsetMs: 0, text: "Hallo, hier ist Müller"),
            .init(speaker: .aiAgent, offsetMs: 4_200, text: "How can I help?"),
            .init(speaker: .caller, offsetMs: 9_800, text: "Der Boiler in Zürich 🔥 ist kaputt"),
        ])
        let hit = try XCTUnwrap(try search("zurich", fixture).calls.first)
        XCTAssertEqual(hit.target, .call(call))
        XCTAssertTrue(hit.snippet.highlightedParts.allSatisfy { $0 == "Zürich" }, "\(hit.snippet.highlightedParts)")
        for range in hit.snippet.highlights {
            XCTAssertEqual(String(Array(hit.snippet.text)[range]), "Zürich")
        }

        let location = try fixture.read { try Search.locate(SearchQuery("boiler"), inCall: call, in: $0) }
        let marked = try XCTUnwrap(location.summary)
        XCTAssertEqual(marked.text, summary)
        let characters = Array(summary)
        XCTAssertEqual(marked.highlights.count, 2)
        XCTAssertEqual(marked.highlights.first, 29..<35, "the ZWJ sequence and the CJK count as one character each")
        XCTAssertEqual(String(characters[marked.highlights[1]]), "boiler")
        XCTAssertEqual(location.turns.map(\.index), [2])
        XCTAssertEqual(location.firstTurnIndex, 2)
        XCTAssertEqual(location.turns.first?.text.highlightedParts, ["Boiler"])

        let accent = try fixture.read { try Search.locate(SearchQuery("etage"), inCall: call, in: $0) }
        XCTAssertEqual(accent.summary?.highlightedParts, ["e\u{301}tage"], "a combining mark stays inside the highlight")

        let thread = try fixture.addThread(contact: nil, channel: .whatsapp)
        let message = try fixture.addMessage(thread: thread, at: BrowseFixture.now, body: "Привет! Котёл 🔥 сломался, котёл старый")
        let highlighted = try XCTUnwrap(try fixture.read { try Search.highlight(SearchQuery("котёл"), inMessage: message, in: $0) })
        XCTAssertEqual(highlighted.highlightedParts, ["Котёл", "котёл"])
        XCTAssertEqual(highlighted.highlights.first, 8..<13)
        XCTAssertNil(try fixture.read { try Search.highlight(SearchQuery("boiler"), inMessage: message, in: $0) })
    }

    func testMarkedTextParsing() {
        let text = HighlightedText(marked: "a\u{02}bc\u{03}d\u{02}e")
        XCTAssertEqual(text.text, "abcde")
        XCTAssertEqual(text.highlights, [1..<3, 4..<5], "an unclosed marker runs to the end")
        XCTAssertEqual(HighlightedText(marked: "x\u{03}y").highlights, [], "a stray close marker is dropped")
        let lines = HighlightedText(marked: "one \u{02}two\nthree\u{03} four").lines()
        XCTAssertEqual(lines.map(\.text), ["one two", "three four"])
        XCTAssertEqual(lines.map(\.highlights), [[4..<7], [0..<5]])
    }
}
