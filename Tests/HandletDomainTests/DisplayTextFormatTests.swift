import Foundation
@testable import HandletDomain
import XCTest

/// The list columns' and details' times and lengths, padded by hand since `String(format:)` left
/// the key path (issue 26): the same text as before, digit for digit.
final class DisplayTextFormatTests: XCTestCase {
    private let clock = BrowseClock(now: Date(timeIntervalSince1970: 1_796_000_000),  // 30 Nov 2026
                                    timeZone: TimeZone(identifier: "Europe/London")!)

    private func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    func testShortTimesPadTheDayWithASpaceAndTheClockWithZeros() {
        XCTAssertEqual(DisplayText.shortTime(at("2026-03-05T09:05:00Z"), clock: clock), " 5 Mar 09:05")
        XCTAssertEqual(DisplayText.shortTime(at("2026-07-23T23:59:00Z"), clock: clock), "24 Jul 00:59")   // BST
        XCTAssertEqual(DisplayText.shortTime(at("2025-12-01T10:00:00Z"), clock: clock), " 1 Dec 2025")
        XCTAssertEqual(DisplayText.timestamp(at("2026-01-07T00:00:00Z"), clock: clock), "7 Jan 2026 00:00")
        XCTAssertEqual(DisplayText.clockTime(at("2026-01-07T14:03:00Z"), clock: clock), "14:03")
    }

    func testLengthsAndOffsets() {
        XCTAssertEqual(DisplayText.duration(0), "0s")
        XCTAssertEqual(DisplayText.duration(59), "59s")
        XCTAssertEqual(DisplayText.duration(60), "1m 00s")
        XCTAssertEqual(DisplayText.duration(245), "4m 05s")
        XCTAssertEqual(DisplayText.duration(3_720), "1h 02m")
        XCTAssertEqual(DisplayText.duration(36_610), "10h 10m")
        XCTAssertEqual(DisplayText.offset(0), "0:00")
        XCTAssertEqual(DisplayText.offset(42.9), "0:42")
        XCTAssertEqual(DisplayText.offset(605), "10:05")
    }

    /// Sizes: one decimal through C's `%.1f`, the digits `String(format:)` gave, halves included.
    func testSizesHaveTheDigitsStringFormatGave() {
        var sizes: [Int64] = [0, 1, 999, 1_000, 1_049, 1_050, 1_051, 1_250, 1_350, 99_949, 99_950, 99_999, 100_000,
                              352_000_000, 3_014_950_912, 1_000_000_000_000, 999_999_999_999_999]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { sizes.append(Int64.random(in: 0...5_000_000_000_000, using: &generator)) }
        for bytes in sizes {
            let units = ["B", "KB", "MB", "GB", "TB"]
            var value = Double(bytes)
            var unit = 0
            while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
            let expected = unit == 0 ? "\(bytes) B"
                : value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
            XCTAssertEqual(DisplayText.size(bytes), expected, "\(bytes)")
        }
        XCTAssertEqual(DisplayText.size(3_014_950_912), "3.0 GB")
    }

    /// The console runs in the user's locale (`setlocale(LC_ALL, "")`), where C's `%.1f` writes the
    /// locale's decimal mark: sizes keep the point, as the rest of the text is English.
    func testSizesKeepThePointInALocaleWhoseDecimalMarkIsAComma() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-locale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let localedef = Process()
        localedef.executableURL = URL(fileURLWithPath: "/usr/bin/localedef")
        localedef.arguments = ["-i", "de_DE", "-f", "UTF-8", folder.appendingPathComponent("de_DE.UTF-8").path]
        localedef.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/localedef"), (try? localedef.run()) != nil else {
            throw XCTSkip("no localedef to build a German locale")
        }
        localedef.waitUntilExit()
        setenv("LOCPATH", folder.path, 1)
        defer { unsetenv("LOCPATH"); setlocale(LC_NUMERIC, "C") }
        guard setlocale(LC_NUMERIC, "de_DE.UTF-8") != nil else { throw XCTSkip("the German locale did not build") }
        var buffer = [CChar](repeating: 0, count: 16)
        _ = withVaList([1.5]) { vsnprintf(&buffer, buffer.count, "%.1f", $0) }
        XCTAssertEqual(String(cString: buffer), "1,5", "the locale is in force: C writes its comma")
        XCTAssertEqual(DisplayText.size(1_500), "1.5 KB")
        XCTAssertEqual(DisplayText.size(3_014_950_912), "3.0 GB")
        XCTAssertEqual(DisplayText.size(99_949), "99.9 KB")
    }
}
