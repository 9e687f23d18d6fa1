import HandletDomain
import TerminalUI
public enum HandletConsoleModule {}
