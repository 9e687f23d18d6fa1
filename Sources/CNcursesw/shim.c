#include "CNcursesw.h"
#include <ncursesw/curses.h>

int hl_screen_rows(void) { return LINES; }
int hl_screen_cols(void) { return COLS; }
