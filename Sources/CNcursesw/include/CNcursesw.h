#ifndef CNCURSESW_H
#define CNCURSESW_H
// A thin shim: Swift cannot import curses macros (COLOR_PAIR, getmaxyx, KEY_*, A_*...),
// and curses.h drags in names that clash with Swift, so the header exposes only plain
// functions and our own constants. Everything interesting (diffing, decoding, themes)
// lives in Swift where it can be tested without a terminal.
#include <stdint.h>
#include <wchar.h>

/// Attribute bits understood by hl_put_cell; mapped to A_* inside shim.c.
enum {
    HL_ATTR_BOLD = 1,
    HL_ATTR_UNDERLINE = 2,
    HL_ATTR_REVERSE = 4,
    HL_ATTR_DIM = 8,
};

/// What hl_read_raw returned: ncurses' get_wch status, flattened.
enum {
    HL_READ_NONE = 0,    ///< timeout, nothing read
    HL_READ_CHAR = 1,    ///< value is a Unicode scalar (including control codes)
    HL_READ_KEY = 2,     ///< value is one of HL_K_* below
    HL_READ_FUNCTION = 3, ///< value is the function key number (F1 = 1)
    HL_READ_HANGUP = 4,   ///< the terminal is gone (SSH dropped, pty closed) or a graceful stop signal came: stop reading
    HL_READ_SUSPEND_REFUSED = 5 ///< Ctrl-Z (SIGTSTP) arrived while suspending is off
};

/// Named special keys, independent of ncurses' numbering.
enum {
    HL_K_UNKNOWN = 0,
    HL_K_UP, HL_K_DOWN, HL_K_LEFT, HL_K_RIGHT,
    HL_K_HOME, HL_K_END, HL_K_PAGE_UP, HL_K_PAGE_DOWN,
    HL_K_INSERT, HL_K_DELETE, HL_K_BACKSPACE, HL_K_ENTER, HL_K_BACK_TAB,
    HL_K_SHIFT_LEFT, HL_K_SHIFT_RIGHT, HL_K_SHIFT_UP, HL_K_SHIFT_DOWN,
    HL_K_RESIZE, HL_K_WHEEL_UP, HL_K_WHEEL_DOWN, HL_K_MOUSE_OTHER,
    /// ESC[200~: a bracketed paste starts; read its bytes with hl_read_paste_bytes.
    HL_K_PASTE_START,
    /// ESC[201~ read by ncurses, outside a paste (a paste's reader matches it in the raw bytes).
    HL_K_PASTE_END,
};

/// Checks TERM against terminfo without touching the screen.
/// Returns 0 when usable, otherwise writes a one-line reason into `reason`.
int hl_check_terminal(char *reason, int reason_len);

/// Takes over the terminal (alternate screen, no echo, cbreak, keypad, ESCDELAY),
/// installs restore-on-signal/crash handlers. Returns 0 on success.
int hl_start(int escdelay_ms, char *reason, int reason_len);
/// Before hl_start: 1 makes SIGHUP, SIGTERM and SIGINT end the read loop (hl_read_raw returns
/// HL_READ_HANGUP) so the program can finish its work and record how it ended, instead of dying
/// at once; the program then re-raises the signal itself. 0 (the default) restores and dies.
void hl_set_graceful_stop(int enabled);
/// Before hl_start: 0 when there is no job-control shell to return to (a forced SSH command):
/// SIGTSTP is then caught and reported as HL_READ_SUSPEND_REFUSED rather than stopping the process.
void hl_set_suspend_allowed(int allowed);
/// The graceful stop signal that ended the loop, or 0 (the terminal went away, or none came).
int hl_pending_signal(void);
/// Gives the terminal back exactly as it was found. Idempotent and safe to call twice.
void hl_stop(void);
int hl_is_started(void);

void hl_screen_size(int *rows, int *cols);
int hl_color_count(void);
/// 0 when the terminal cannot show colour at all.
int hl_has_colors(void);
int hl_init_pair(int pair, int fg, int bg);

/// Writes one grapheme cluster (1..5 wide chars) at (y, x) into stdscr; not shown until hl_flush.
int hl_put_cell(int y, int x, const wchar_t *chars, int count, int attrs, int pair);
/// wnoutrefresh + doupdate: ncurses emits only what differs from what the terminal shows.
void hl_flush(void);
/// Forces the next flush to repaint everything (Ctrl-L, after suspend, after resize).
void hl_invalidate(void);
/// Reallocates ncurses' screens after a size change seen by the caller.
void hl_resize(int rows, int cols);

/// Reads one input event, waiting up to timeout_ms (-1 forever, 0 poll).
int hl_read_raw(int timeout_ms, uint32_t *value);

/// Reads a paste's bytes straight from the terminal, bypassing ncurses (which reads input one
/// byte per read(2), with a poll before each: 100 KB took 300 ms). Safe right after the start
/// marker: ncurses matches a key sequence byte by byte, so it holds nothing read beyond it.
/// Returns the bytes read (up to capacity), 0 when none came within timeout_ms, -1 when the
/// terminal is gone.
int hl_read_paste_bytes(uint8_t *buffer, int capacity, int timeout_ms);
/// Decodes the first key in bytes read past a paste's end marker (keys typed right behind it):
/// an escape sequence ncurses knows (longest match, as ncurses matches), else one UTF-8
/// scalar (U+FFFD for a malformed byte). Sets *consumed; returns an HL_READ_* status.
/// (ncurses' ungetch cannot take them back: it never matches pushed-back bytes as sequences.)
int hl_decode_bytes(const uint8_t *bytes, int count, int *consumed, uint32_t *value);

/// Mouse reporting captures clicks and stops people selecting text, so it is opt-in.
void hl_set_mouse(int enabled);
/// Lets terminal scroll regions move unchanged lines (a one-row scroll costs one row, not a screen).
void hl_set_line_scrolling(int enabled);

/// libc's width of one scalar in a UTF-8 locale (-1: libc has none, a control or a character newer
/// than its tables), or -2 when no UTF-8 locale exists. Measured on first use and remembered: the
/// whole table made at start cost 39M instructions, a fifth of the console's first frame.
int hl_libc_width(uint32_t scalar);

/// For tests, never while the terminal is started: the columns ncurses itself advances when it
/// adds `chars` as one cell (UTF-8 locale, a private screen on /dev/null); -1 when ncurses
/// refuses the cell, -2 when no probe screen can be made.
int hl_ncurses_cell_width(const wchar_t *chars, int count);

/// For tests: the ncurses key code of a named key, to check the mapping both ways.
int hl_ncurses_code_for_function(int n);

#endif
