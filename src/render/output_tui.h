/* output_tui.h - top's live screen: a struct report_live drawn with
 * ncurses (output_tui.c), and the keys read from the same terminal.  The
 * screen formats and places what the report computed; it computes nothing. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_OUTPUT_TUI_H
#define SOCKMEM_OUTPUT_TUI_H

#include <stdbool.h>

#include "report_live.h"

/* What the screen says besides the report: the help, a message for the
 * status line, the byte format. */
struct tui_view {
	bool help;
	const char *message;		/* NULL: none */
	bool exact_bytes;		/* --bytes */
	const char *table_absent;	/* no per-socket view: why (NULL: there is one) */
};

/* Keys that are not characters. */
enum { TUI_KEY_NONE = -1, TUI_KEY_RESIZE = 0x10000 };

/* Takes the terminal (the alternate screen, no echo, no cursor), loading
 * ncurses the first time.  Returns 0, -ENOTTY when the terminal cannot be
 * set up, or -ELIBACC when ncurses cannot be loaded (output_tui_why()). */
int output_tui_open(bool color);
/* Why ncurses could not be loaded; NULL when it could (or was not tried). */
const char *output_tui_why(void);
/* Gives the terminal back as it was; does nothing when not open, so every
 * exit path may call it (atexit too). */
void output_tui_close(void);
/* Table rows the screen holds now under nproto protocol headers. */
int output_tui_table_rows(int nproto);
void output_tui_draw(const struct report_live *lv, const struct tui_view *v);
/* The next key within timeout_ms (negative: wait), TUI_KEY_RESIZE after a
 * resize, or TUI_KEY_NONE. */
int output_tui_key(int timeout_ms);

#endif
