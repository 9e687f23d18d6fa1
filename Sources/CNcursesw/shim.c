#define _GNU_SOURCE
#include <poll.h>
#include <unistd.h>
#include "CNcursesw.h"
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdatomic.h>
#ifdef __APPLE__
#include <xlocale.h>
#endif
#include <unistd.h>

static struct termios saved_termios;
static int saved_termios_valid = 0;
static volatile sig_atomic_t started = 0;
static SCREEN *screen = NULL;
static int mouse_enabled = 0;
// Key codes ncurses reports for the bracketed-paste markers ESC[200~ and ESC[201~ (0: none).
static int paste_start_code = 0;
static int paste_end_code = 0;

// Bracketed paste makes the terminal wrap a paste in ESC[200~ … ESC[201~, so a paste arrives as
// one event instead of thousands of keystrokes, and pasted text can never be mistaken for keys.
// The mode belongs to the terminal, not to ncurses: whatever turns it on must turn it off on
// every way out, or the shell afterwards sees the markers around everything pasted into it.
static const char paste_on[] = "\033[?2004h";
static const char paste_off[] = "\033[?2004l";

// write(2) rather than stdio: it is async-signal-safe, and the restore paths run in handlers.
static void write_all(const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t n = write(STDOUT_FILENO, bytes, count);
        if (n <= 0) return;
        bytes += n;
        count -= (size_t)n;
    }
}

int hl_check_terminal(char *reason, int reason_len) {
    const char *term = getenv("TERM");
    if (term == NULL || term[0] == '\0') {
        snprintf(reason, reason_len, "TERM is not set; run from a terminal (e.g. TERM=xterm-256color)");
        return 1;
    }
    if (strcmp(term, "dumb") == 0) {
        snprintf(reason, reason_len, "TERM=dumb cannot position the cursor; use a full terminal (e.g. xterm-256color)");
        return 1;
    }
    int err = 0;
    // At most 80 bytes of TERM: an error never echoes more of its input than that (issue 11).
    if (setupterm((char *)term, 1, &err) != OK) {
        if (err == 0) {
            snprintf(reason, reason_len, "terminal type '%.80s' is unknown to terminfo; set TERM to one it knows (e.g. xterm-256color)", term);
        } else {
            snprintf(reason, reason_len, "cannot read the terminfo database for '%.80s'", term);
        }
        return 1;
    }
    int can_address = tigetstr("cup") != NULL && tigetstr("cup") != (char *)-1;
    int is_hardcopy = tigetflag("hc") > 0 || tigetflag("gn") > 0;
    del_curterm(cur_term);
    if (!can_address || is_hardcopy) {
        snprintf(reason, reason_len, "terminal type '%.80s' cannot position the cursor; use a full terminal", term);
        return 1;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(reason, reason_len, "standard input and output must be a terminal");
        return 1;
    }
    return 0;
}

static void restore_terminal(void) {
    if (!started) return;
    started = 0;
    if (mouse_enabled) mousemask(0, NULL);
    endwin();
    write_all(paste_off, sizeof paste_off - 1);
    // endwin alone leaves echo off if ncurses never saved the mode (it happens on a crash
    // mid-initialisation); the termios taken before we started is the ground truth.
    if (saved_termios_valid) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
}

// The handler restores first and then dies by the same signal with the default action,
// so the parent shell still sees "killed by SIGTERM" (or a crash) and not a clean exit.
static void on_fatal_signal(int sig) {
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int graceful_stop = 0;
static int suspend_allowed = 1;
static volatile sig_atomic_t pending_signal = 0;
static volatile sig_atomic_t suspend_refused = 0;

void hl_set_graceful_stop(int enabled) { graceful_stop = enabled; }
void hl_set_suspend_allowed(int allowed) { suspend_allowed = allowed; }
int hl_pending_signal(void) { return pending_signal; }

// Only records the signal: the read loop sees it within one poll interval and the program ends
// between changes, never in the middle of one.
static void on_stop_signal(int sig) {
    if (pending_signal == 0) pending_signal = sig;
}

static void on_refused_suspend(int sig) {
    (void)sig;
    suspend_refused = 1;
}

static int is_graceful(int sig) { return sig == SIGHUP || sig == SIGTERM || sig == SIGINT; }

static void install_handlers(void) {
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (graceful_stop && is_graceful(signals[i])) {
            action.sa_handler = on_stop_signal;
            action.sa_flags = 0;
        } else {
            action.sa_handler = on_fatal_signal;
            action.sa_flags = SA_RESETHAND;
        }
        sigaction(signals[i], &action, NULL);
    }
}

// Installed before newterm: ncurses only takes SIGTSTP over when it is still SIG_DFL, so with
// this in place Ctrl-Z never stops a process that nobody could resume.
static void install_suspend_refusal(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_refused_suspend;
    action.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &action, NULL);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
}

static void at_exit_restore(void) { restore_terminal(); }

// ncurses' own SIGTSTP handler (endwin, stop, repaint on resume), wrapped so that bracketed paste
// is off while the shell has the terminal and back on when we resume: a shell's line editor
// switches it off again before `fg` runs us.
static struct sigaction ncurses_tstp;
static void on_suspend(int sig) {
    write_all(paste_off, sizeof paste_off - 1);
    if (ncurses_tstp.sa_handler != SIG_DFL && ncurses_tstp.sa_handler != SIG_IGN) ncurses_tstp.sa_handler(sig);
    if (started) write_all(paste_on, sizeof paste_on - 1);
}

static void wrap_suspend_handler(void) {
    struct sigaction current;
    if (sigaction(SIGTSTP, NULL, &current) != 0) return;
    // Only when ncurses installed one (it leaves SIGTSTP alone if the caller ignores it, or when
    // suspending is refused and our own handler is there): a refused Ctrl-Z leaves paste mode on.
    if (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN || current.sa_handler == on_suspend
        || current.sa_handler == on_refused_suspend) return;
    ncurses_tstp = current;
    struct sigaction wrapper = current;
    wrapper.sa_handler = on_suspend;
    sigaction(SIGTSTP, &wrapper, NULL);
}

// A key code no terminfo key uses yet, for define_key.
static int unused_key_code(void) {
    for (int code = KEY_MAX + 1; code < KEY_MAX + 1024; code++) {
        char *bound = keybound(code, 0);
        if (bound == NULL) return code;
        free(bound);
    }
    return 0;
}

static void define_paste_keys(void) {
    paste_start_code = unused_key_code();
    if (paste_start_code != 0 && define_key("\033[200~", paste_start_code) != OK) paste_start_code = 0;
    paste_end_code = unused_key_code();
    if (paste_end_code != 0 && define_key("\033[201~", paste_end_code) != OK) paste_end_code = 0;
}

int hl_start(int escdelay_ms, char *reason, int reason_len) {
    if (started) return 0;
    if (hl_check_terminal(reason, reason_len) != 0) return 1;
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) saved_termios_valid = 1;
    if (!suspend_allowed) install_suspend_refusal();
    screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) {
        snprintf(reason, reason_len, "ncurses could not start on this terminal");
        return 1;
    }
    set_term(screen);
    started = 1;
    static int registered = 0;
    if (!registered) { atexit(at_exit_restore); registered = 1; }
    install_handlers();
    // cbreak (not raw) keeps ISIG: Ctrl-C still interrupts and Ctrl-Z still suspends,
    // and ncurses' own SIGTSTP handler repaints on resume.
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    set_escdelay(escdelay_ms);
    curs_set(0);
    leaveok(stdscr, TRUE);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    wrap_suspend_handler();
    define_paste_keys();
    if (paste_start_code != 0 && paste_end_code != 0) {
        fflush(stdout);
        write_all(paste_on, sizeof paste_on - 1);
    }
    return 0;
}

void hl_stop(void) { restore_terminal(); }
int hl_is_started(void) { return started; }

void hl_screen_size(int *rows, int *cols) {
    int r, c;
    getmaxyx(stdscr, r, c);
    *rows = r;
    *cols = c;
}

int hl_color_count(void) { return has_colors() ? COLORS : 0; }
int hl_has_colors(void) { return has_colors() ? 1 : 0; }
int hl_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg) == OK ? 0 : 1; }

int hl_put_cell(int y, int x, const wchar_t *chars, int count, int attrs, int pair) {
    wchar_t text[CCHARW_MAX + 1];
    if (count > CCHARW_MAX) count = CCHARW_MAX;
    for (int i = 0; i < count; i++) text[i] = chars[i];
    text[count] = L'\0';
    attr_t a = A_NORMAL;
    if (attrs & HL_ATTR_BOLD) a |= A_BOLD;
    if (attrs & HL_ATTR_UNDERLINE) a |= A_UNDERLINE;
    if (attrs & HL_ATTR_REVERSE) a |= A_REVERSE;
    if (attrs & HL_ATTR_DIM) a |= A_DIM;
    cchar_t cell;
    int pair_arg = pair;
    if (setcchar(&cell, text, a, (short)(pair < 32767 ? pair : 0), &pair_arg) != OK) return 1;
    // mvwadd_wch fails on the bottom-right cell (it would scroll); the cell is still stored.
    mvwadd_wch(stdscr, y, x, &cell);
    return 0;
}

void hl_flush(void) {
    wnoutrefresh(stdscr);
    doupdate();
}

void hl_invalidate(void) { clearok(curscr, TRUE); }

void hl_resize(int rows, int cols) { resize_term(rows, cols); }

static int map_key(int code) {
    switch (code) {
    case KEY_UP: return HL_K_UP;
    case KEY_DOWN: return HL_K_DOWN;
    case KEY_LEFT: return HL_K_LEFT;
    case KEY_RIGHT: return HL_K_RIGHT;
    case KEY_HOME: return HL_K_HOME;
    case KEY_END: return HL_K_END;
    case KEY_PPAGE: return HL_K_PAGE_UP;
    case KEY_NPAGE: return HL_K_PAGE_DOWN;
    case KEY_IC: return HL_K_INSERT;
    case KEY_DC: return HL_K_DELETE;
    case KEY_BACKSPACE: return HL_K_BACKSPACE;
    case KEY_ENTER: return HL_K_ENTER;
    case KEY_BTAB: return HL_K_BACK_TAB;
    case KEY_SLEFT: return HL_K_SHIFT_LEFT;
    case KEY_SRIGHT: return HL_K_SHIFT_RIGHT;
    case KEY_SR: return HL_K_SHIFT_UP;
    case KEY_SF: return HL_K_SHIFT_DOWN;
    case KEY_RESIZE: return HL_K_RESIZE;
    case KEY_A1: return HL_K_HOME;
    case KEY_C1: return HL_K_END;
    case KEY_A3: return HL_K_PAGE_UP;
    case KEY_C3: return HL_K_PAGE_DOWN;
    default: return HL_K_UNKNOWN;
    }
}

// Sorts an ncurses key code into the HL_READ_* kinds.
static int classify_key(int code, uint32_t *value) {
    if (code == paste_start_code && code != 0) {
        *value = HL_K_PASTE_START;
        return HL_READ_KEY;
    }
    if (code == paste_end_code && code != 0) {
        *value = HL_K_PASTE_END;
        return HL_READ_KEY;
    }
    if (code >= KEY_F0 && code <= KEY_F(63)) {
        *value = (uint32_t)(code - KEY_F0);
        return HL_READ_FUNCTION;
    }
    if (code == KEY_MOUSE) {
        MEVENT event;
        *value = HL_K_MOUSE_OTHER;
        if (getmouse(&event) == OK) {
            if (event.bstate & BUTTON4_PRESSED) *value = HL_K_WHEEL_UP;
            else if (event.bstate & BUTTON5_PRESSED) *value = HL_K_WHEEL_DOWN;
        }
        return HL_READ_KEY;
    }
    *value = (uint32_t)map_key(code);
    return HL_READ_KEY;
}

int hl_read_raw(int timeout_ms, uint32_t *value) {
    if (pending_signal != 0) return HL_READ_HANGUP;
    if (suspend_refused) {
        suspend_refused = 0;
        return HL_READ_SUSPEND_REFUSED;
    }
    wtimeout(stdscr, timeout_ms);
    wint_t ch = 0;
    int status = wget_wch(stdscr, &ch);
    if (status == ERR) {
        if (pending_signal != 0) return HL_READ_HANGUP;
        // A timeout and a vanished terminal both read as ERR; only the second leaves the
        // descriptor hung up or unreadable. Without this check a dropped SSH session whose
        // SIGHUP went elsewhere would spin here at full CPU for ever.
        struct pollfd input = { .fd = STDIN_FILENO, .events = POLLIN };
        if (poll(&input, 1, 0) > 0 && (input.revents & (POLLHUP | POLLERR | POLLNVAL))) return HL_READ_HANGUP;
        if (!isatty(STDIN_FILENO)) return HL_READ_HANGUP;
        return HL_READ_NONE;
    }
    if (status == OK) {
        *value = (uint32_t)ch;
        return HL_READ_CHAR;
    }
    return classify_key((int)ch, value);
}

void hl_set_mouse(int enabled) {
    mouse_enabled = enabled;
    mousemask(enabled ? (BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    mouseinterval(0);
}

void hl_set_line_scrolling(int enabled) { idlok(stdscr, enabled ? TRUE : FALSE); }

int hl_ncurses_code_for_function(int n) { return KEY_F(n); }

int hl_read_paste_bytes(uint8_t *buffer, int capacity, int timeout_ms) {
    struct pollfd input = { .fd = STDIN_FILENO, .events = POLLIN };
    int ready = poll(&input, 1, timeout_ms);
    if (ready <= 0) return 0;
    if (!(input.revents & POLLIN)) return -1;
    ssize_t n = read(STDIN_FILENO, buffer, (size_t)capacity);
    if (n < 0) return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
    return n == 0 ? -1 : (int)n;
}

int hl_decode_bytes(const uint8_t *bytes, int count, int *consumed, uint32_t *value) {
    *consumed = 0;
    if (count <= 0) return HL_READ_NONE;
    if (bytes[0] == 0x1B && started) {
        // key_defined answers for a string that merely starts with a known sequence too, so the
        // shortest string it names a key for holds the sequence; keybound then says exactly
        // which of that key's sequences it is.
        char sequence[32];
        for (int length = 2; length <= count && length < (int)sizeof sequence; length++) {
            memcpy(sequence, bytes, (size_t)length);
            sequence[length] = '\0';
            int code = key_defined(sequence);
            if (code <= 0) continue;
            int matched = 0;
            for (int index = 0; index < 64; index++) {
                char *bound = keybound(code, index);
                if (bound == NULL) break;
                int bound_length = (int)strlen(bound);
                if (bound_length <= count && bound_length > matched && memcmp(bound, bytes, (size_t)bound_length) == 0) matched = bound_length;
                free(bound);
            }
            if (matched == 0) break;
            *consumed = matched;
            return classify_key(code, value);
        }
    }
    uint8_t lead = bytes[0];
    int length = lead < 0x80 ? 1 : lead >= 0xF0 && lead < 0xF8 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    uint32_t scalar = lead < 0x80 ? lead : lead >= 0xF0 ? (lead & 0x07u) : lead >= 0xE0 ? (lead & 0x0Fu) : (lead & 0x1Fu);
    int valid = length > 0 && length <= count;
    for (int i = 1; valid && i < length; i++) {
        if ((bytes[i] & 0xC0) != 0x80) valid = 0;
        else scalar = (scalar << 6) | (bytes[i] & 0x3Fu);
    }
    if (!valid || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF)) {
        *consumed = 1;
        *value = 0xFFFD;
    } else {
        *consumed = length;
        *value = scalar;
    }
    return HL_READ_CHAR;
}

static locale_t utf8_ctype = (locale_t)0;
static int utf8_ctype_missing = 0;
static pthread_once_t utf8_ctype_once = PTHREAD_ONCE_INIT;

static void open_utf8_ctype(void) {
    // glibc's widths are the same in every UTF-8 locale; C.UTF-8 is the one every glibc has.
    const char *names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0] && utf8_ctype == (locale_t)0; i++) {
        utf8_ctype = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
    }
    utf8_ctype_missing = utf8_ctype == (locale_t)0;
}

/* Each scalar's width plus 2 (1 to 4), 0 until measured: zeroed memory costs nothing until used. */
static _Atomic int8_t libc_width_cache[0x110000];

int hl_libc_width(uint32_t scalar) {
    if (scalar >= 0x110000) return -1;
    int8_t known = atomic_load_explicit(&libc_width_cache[scalar], memory_order_relaxed);
    if (known != 0) return known - 2;
    pthread_once(&utf8_ctype_once, open_utf8_ctype);
    if (utf8_ctype_missing) return -2;
    int width;
    if (scalar >= 0xD800 && scalar <= 0xDFFF) {
        width = -1;
    } else {
        locale_t previous = uselocale(utf8_ctype);
        width = wcwidth((wchar_t)scalar);
        uselocale(previous);
        if (width < -1 || width > 2) width = -1;
    }
    atomic_store_explicit(&libc_width_cache[scalar], (int8_t)(width + 2), memory_order_relaxed);
    return width;
}

int hl_ncurses_cell_width(const wchar_t *chars, int count) {
    static SCREEN *probe = NULL;
    static WINDOW *pad = NULL;
    if (started) return -2;
    // ncurses decides at newterm whether the locale is UTF-8, and measures with wcwidth in the
    // process locale, so both must be UTF-8 here; the caller's locale is put back afterwards.
    char *saved = setlocale(LC_CTYPE, NULL);
    char previous[64] = "C";
    if (saved != NULL) snprintf(previous, sizeof previous, "%s", saved);
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) return -2;
    int result = -2;
    if (probe == NULL) {
        FILE *out = fopen("/dev/null", "w");
        FILE *in = fopen("/dev/null", "r");
        if (out != NULL && in != NULL) probe = newterm("xterm-256color", out, in);
        if (probe != NULL) pad = newpad(1, 16);
    } else {
        set_term(probe);
    }
    if (probe != NULL && pad != NULL) {
        wchar_t text[CCHARW_MAX + 1];
        if (count > CCHARW_MAX) count = CCHARW_MAX;
        for (int i = 0; i < count; i++) text[i] = chars[i];
        text[count] = L'\0';
        cchar_t cell;
        werase(pad);
        result = -1;
        if (setcchar(&cell, text, A_NORMAL, 0, NULL) == OK && mvwadd_wch(pad, 0, 0, &cell) == OK) result = getcurx(pad);
    }
    setlocale(LC_CTYPE, previous);
    return result;
}
