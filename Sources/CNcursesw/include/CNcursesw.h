#ifndef CNCURSESW_H
#define CNCURSESW_H
// A thin shim: Swift cannot import curses macros (COLOR_PAIR, getmaxyx, LINES...),
// so each one we need is wrapped in a plain function here. Nothing else lives here.
#include <wchar.h>

/// Size of the standard screen; valid after initscr.
int hl_screen_rows(void);
int hl_screen_cols(void);

#endif
