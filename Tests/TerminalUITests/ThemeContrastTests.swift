import XCTest
@testable import TerminalUI

/// Issue 16: text in every shipped theme is legible: a WCAG 2 contrast of at least 4.5:1 between
/// each role's text colour and every background it is drawn on.
final class ThemeContrastTests: XCTestCase {
    /// What a theme that leaves the background to the terminal assumes it is: the dark and
    /// high-contrast themes are for dark terminals. The light theme must not assume: it sets its own.
    static let assumedTerminal: [String: (foreground: Int, background: Int)] = [
        "dark": (252, 0), "high-contrast": (15, 0),
    ]
    /// Not text: borders need the 3:1 of a user-interface component (WCAG 1.4.11).
    static let nonText: Set<Role> = [.border, .gauge, .chart]
    /// Backgrounds that text of a role without its own background is drawn on.
    static let surfaces: [Role] = [.normal, .overlay]

    static func luminance(_ index: Int) -> Double {
        let (r, g, b) = ThemeColor.rgb(of: index)
        func channel(_ value: Int) -> Double {
            let c = Double(value) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    static func contrast(_ a: Int, _ b: Int) -> Double {
        let (l1, l2) = (luminance(a), luminance(b))
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
    }

    func testTheContrastFormulaMatchesKnownValues() {
        XCTAssertEqual(Self.contrast(16, 231), 21, accuracy: 0.01, "black on white")
        XCTAssertEqual(Self.contrast(231, 231), 1, accuracy: 0.001)
        XCTAssertEqual(Self.contrast(244, 16), 5.32, accuracy: 0.05, "#808080 on black")
    }

    /// The colour a role's text and background end up as in 256 colours, after inheriting from `normal`.
    static func colours(of role: Role, over surface: Role?, in theme: Theme) -> (Int, Int)? {
        let resolved = theme.resolve(Style(role), mode: .colors256)
        var foreground = resolved.foreground, background = resolved.background
        if background < 0, let surface { background = theme.resolve(Style(surface), mode: .colors256).background }
        let assumed = assumedTerminal[theme.name]
        if foreground < 0 { foreground = assumed?.foreground ?? -1 }
        if background < 0 { background = assumed?.background ?? -1 }
        if resolved.modifiers.contains(.reverse) { swap(&foreground, &background) }
        guard foreground >= 0, background >= 0 else { return nil }
        return (foreground, background)
    }

    func testEveryRoleOfEveryColourThemeIsLegible() throws {
        for name in Theme.builtinNames where name != "monochrome" {
            let theme = try XCTUnwrap(Theme.builtin(name))
            for role in Role.allCases {
                let ownBackground = theme.appearance(of: role).background != .terminalDefault
                for surface in ownBackground ? [nil] : Self.surfaces.map(Optional.some) {
                    guard let (foreground, background) = Self.colours(of: role, over: surface, in: theme) else {
                        XCTFail("\(name): \(role) over \(surface.map { "\($0)" } ?? "its own background") leaves a colour to the terminal")
                        continue
                    }
                    let ratio = Self.contrast(foreground, background)
                    let needed = Self.nonText.contains(role) ? 3.0 : 4.5
                    XCTAssertGreaterThanOrEqual(ratio, needed,
                        "\(name): \(role) (\(foreground) on \(background)\(surface.map { ", over \($0)" } ?? "")) has contrast \(String(format: "%.2f", ratio))")
                }
            }
        }
    }

    func testTheLightThemeSetsItsOwnBackground() throws {
        let light = try XCTUnwrap(Theme.builtin("light"))
        XCTAssertGreaterThanOrEqual(light.resolve(.normal, mode: .colors256).background, 0)
        XCTAssertEqual(light.resolve(.dim, mode: .colors256).background, light.resolve(.normal, mode: .colors256).background,
                       "a role without a background of its own is drawn on the theme's, not the terminal's")
        XCTAssertEqual(light.resolve(.normal, mode: .colors16).background, ThemeColor.indexed(255).number(in: .colors16))
    }
}
