import Foundation

/// Something a screen asks of the terminal itself, beyond the cells of a frame.
public enum TerminalRequest: Sendable, Equatable {
    /// Put text on the system clipboard with OSC 52, which works in local terminals, over SSH
    /// and inside tmux (with `set-clipboard on`): the terminal, not this process, owns the clipboard.
    case copyToClipboard(String)
    /// Draw with these colours from now on (the palette's `:theme NAME`); the app applies it.
    case setTheme(Theme)

    /// xterm and tmux drop OSC 52 payloads past about 100 KB; a longer text is cut to this.
    public static let clipboardLimitBytes = 74_000

    /// The bytes to write. The payload is base64, so nothing in the text can act on the terminal.
    public var bytes: String {
        switch self {
        case .copyToClipboard(let text):
            return "\u{1B}]52;c;" + Data(Self.clipboardText(text).utf8).base64EncodedString() + "\u{07}"
        case .setTheme: return ""
        }
    }

    /// The text as copied: controls, escapes and bidi overrides dropped (line breaks and tabs
    /// kept), cut to the limit on a character boundary.
    public static func clipboardText(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars where scalar == "\n" || scalar == "\t" || !Sanitizer.isDangerous(scalar) {
            bytes += String(scalar).utf8.count
            if bytes > clipboardLimitBytes { break }
            kept.append(scalar)
        }
        return String(kept)
    }
}
