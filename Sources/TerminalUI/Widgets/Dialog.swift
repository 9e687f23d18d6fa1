/// A modal yes/no question. Destructive confirmations default to "Cancel" so a stray Enter
/// never deletes anything.
public struct ConfirmDialog: Sendable {
    public enum Answer: Sendable, Equatable { case confirmed, cancelled }

    public var title: String
    public var message: String
    public var confirmLabel: String
    public var cancelLabel: String
    public var isDestructive: Bool
    /// true when the confirm button has focus.
    public var confirmFocused: Bool

    public init(title: String, message: String, confirmLabel: String = "Confirm", cancelLabel: String = "Cancel", isDestructive: Bool = false) {
        self.title = title
        self.message = message
        self.confirmLabel = confirmLabel
        self.cancelLabel = cancelLabel
        self.isDestructive = isDestructive
        confirmFocused = !isDestructive
    }

    public enum Command: Sendable, Equatable { case switchButton, answer, confirm, cancel }

    /// The dialog's keys, in the order they are tried and listed.
    public static let keys = KeyMap<Command>([
        KeyBinding([.left, .right, .tab, .backTab, .char("h"), .char("l")], .switchButton, "Move between the buttons",
                   group: "Confirm", name: "switch_button"),
        KeyBinding([.enter], .answer, "Press the focused button", group: "Confirm", name: "answer"),
        KeyBinding([.char("y"), .char("Y")], .confirm, "Confirm", group: "Confirm", name: "confirm"),
        KeyBinding([.char("n"), .char("N"), .escape, .char("q")], .cancel, "Cancel", group: "Confirm", name: "cancel"),
    ])

    /// Returns an answer once the user decides; nil while the dialog stays open.
    /// Every other key is swallowed: a modal must not leak keys to the screen beneath.
    public mutating func handle(_ key: Key, keys: KeyMap<Command> = ConfirmDialog.keys) -> Answer? {
        switch keys.action(for: key) {
        case .switchButton?: confirmFocused.toggle()
        case .answer?: return confirmFocused ? .confirmed : .cancelled
        case .confirm?: return .confirmed
        case .cancel?: return .cancelled
        case nil: break
        }
        return nil
    }

    public func render(into grid: inout Grid, area: Rect) {
        let width = min(area.width, max(40, min(64, TextWidth.width(of: message) + 4)))
        let body = TextWrap.wrapText(message, width: max(1, width - 4))
        let box = area.centered(width: width, height: body.count + 6)
        grid.fill(box, style: Style(.overlay))
        grid.box(box, style: isDestructive ? .warning : .border, title: title)
        for (index, line) in body.enumerated() where 2 + index < box.height - 3 {
            grid.put(line.map { Span($0.text, $0.style.role == .control ? $0.style : Style(.overlay)) },
                     x: box.x + 2, y: box.y + 2 + index, maxWidth: box.width - 4)
        }
        let cancel = "[ \(cancelLabel) ]", confirm = "[ \(confirmLabel) ]"
        let buttonsWidth = TextWidth.width(of: cancel) + 2 + TextWidth.width(of: confirm)
        let y = box.maxY - 2
        var x = box.x + max(2, (box.width - buttonsWidth) / 2)
        x += grid.put(cancel, x: x, y: y, style: confirmFocused ? Style(.overlay) : .selection, maxWidth: box.maxX - 1 - x) + 2
        let confirmStyle: Style = confirmFocused ? (isDestructive ? Style(.error, .reverse) : .selection) : Style(.overlay)
        grid.put(confirm, x: x, y: y, style: confirmStyle, maxWidth: max(0, box.maxX - 1 - x))
    }
}
