/* The floor for the console's figures (scripts/bench-floor.sh): the least a terminal list can do.
 * A plain C ncursesw program over 1,000,000 virtual rows (each made on demand by snprintf, no
 * storage), a title line, a highlighted selection moved by j/k and PgDn/PgUp, and a status line
 * with the row number: what handlet's list does for a keystroke, minus everything else.
 * Built by the script: cc -O2 list.c -lncursesw. Quits on q. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <stdio.h>

#define ROWS 1000000L

static void row_text(long index, char *out, size_t size, int width) {
    /* A row shaped like a call: date, direction, party, outcome, duration. */
    long day = index / 1400, minute = (index * 7) % 1440;
    int n = snprintf(out, size, " %04ld-%02ld-%02ld %02ld:%02ld  %-8s  %-28s  +44 7700 %06ld  %-18s  %2ld:%02ld",
                     2025 - day / 365, 1 + (day / 30) % 12, 1 + day % 28, minute / 60, minute % 60,
                     index % 3 ? "inbound" : "outbound", "Contact name of the call", index % 1000000,
                     index % 5 ? "answered" : "missed", (index % 13), (index * 11) % 60);
    while (n < width && n < (int)size - 1) out[n++] = ' ';
    out[n < width ? n : width] = '\0';
}

int main(void) {
    setlocale(LC_ALL, "");
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    idlok(stdscr, TRUE);
    curs_set(0);
    if (has_colors()) {
        start_color();
        init_pair(1, COLOR_BLACK, COLOR_CYAN);
        init_pair(2, COLOR_WHITE, COLOR_BLUE);
    }
    long top = 0, selected = 0;
    char line[1024];
    for (;;) {
        int height = LINES - 2, width = COLS < 1000 ? COLS : 1000;
        if (selected < top) top = selected;
        if (selected >= top + height) top = selected - height + 1;
        attrset(COLOR_PAIR(2) | A_BOLD);
        mvprintw(0, 0, "%-*s", width, " Overview  Calls  Messages  Contacts");
        for (int y = 0; y < height; y++) {
            long index = top + y;
            row_text(index, line, sizeof line, width);
            attrset(index == selected ? (COLOR_PAIR(1) | A_BOLD) : A_NORMAL);
            mvaddnstr(1 + y, 0, line, width);
        }
        attrset(COLOR_PAIR(2));
        snprintf(line, sizeof line, " row %ld/%ld", selected + 1, ROWS);
        mvprintw(LINES - 1, 0, "%-*s", width, line);
        refresh();
        int key = getch();
        if (key == 'q' || key == ERR) break;
        if (key == 'j' || key == KEY_DOWN) selected++;
        else if (key == 'k' || key == KEY_UP) selected--;
        else if (key == KEY_NPAGE) selected += height;
        else if (key == KEY_PPAGE) selected -= height;
        else if (key == 'G') selected = ROWS - 1;
        else if (key == 'g') selected = 0;
        if (selected < 0) selected = 0;
        if (selected >= ROWS) selected = ROWS - 1;
    }
    endwin();
    return 0;
}
