/* output_tui.c - top's live screen, drawn with ncurses: a title, a header
 * per protocol (state, usage, a bar with marks at min, pressure and max and
 * the per-CPU band on it, growth and the next threshold, pressure episodes
 * and memory drops in the window), the holders table with each row's change
 * since the last refresh, a status line and the keys.  Every figure comes
 * from struct report_live (report_live.c); here they are only formatted and
 * placed, clipped to the screen (nothing wraps).
 *
 * ncurses is loaded with dlopen() when the view starts, never at start: no
 * other command, nor top off a terminal, maps it (some 260 KiB of RSS). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "dynlib.h"
#include "output.h"
#include "output_tui.h"
#include "procscan.h"

#if NCURSES_REENTRANT
#error "a reentrant ncurses (stdscr, LINES, COLS as functions): build --without-ncurses"
#endif

/* What the view calls of ncurses (the functions its macros expand to),
 * typed from <curses.h>, and the three variables it reads. */
#define TUI_NC_FUNCS(X) \
	X(newterm) X(set_term) X(delscreen) X(endwin) X(cbreak) X(noecho) X(nonl) X(keypad) \
	X(intrflush) X(curs_set) X(set_escdelay) X(has_colors) X(start_color) \
	X(use_default_colors) X(init_pair) X(wtimeout) X(wgetch) X(werase) X(wrefresh) X(wmove) \
	X(waddnstr) X(waddch) X(wattr_on) X(wattr_off)
#define TUI_NC_VARS(X) X(stdscr) X(COLS) X(LINES)

static struct {
#define TUI_NC_FIELD(f) __typeof__(f) *p_##f;
	TUI_NC_FUNCS(TUI_NC_FIELD)
	TUI_NC_VARS(TUI_NC_FIELD)
#undef TUI_NC_FIELD
} tui_nc;
static int tui_nc_rc = 1;	/* 1: not tried yet */
static char tui_nc_why[300];

/* Loads ncurses once.  Returns 0 or -ELIBACC (tui_nc_why says why). */
static int tui_nc_load(void)
{
	static const struct dynlib_sym syms[] = {
#define TUI_NC_SYM(f) { #f, DYNLIB_SLOT(&tui_nc.p_##f) },
		TUI_NC_FUNCS(TUI_NC_SYM)
		TUI_NC_VARS(TUI_NC_SYM)
#undef TUI_NC_SYM
	};
	const char *miss;
	char dlerr[200];
	int rc;

	if (tui_nc_rc <= 0)
		return tui_nc_rc;
	rc = dynlib_open(SM_NCURSES_SONAME, syms, sizeof(syms) / sizeof(syms[0]), &miss,
			 dlerr, sizeof(dlerr));
	if (rc == -ENOENT)
		snprintf(tui_nc_why, sizeof(tui_nc_why), "the live view needs %s, which could not "
			 "be loaded (%s)", SM_NCURSES_SONAME, dlerr);
	else if (rc)
		snprintf(tui_nc_why, sizeof(tui_nc_why), "the live view needs %s with %s, which the "
			 "one loaded lacks", SM_NCURSES_SONAME, miss);
	return tui_nc_rc = rc ? -ELIBACC : 0;
}

const char *output_tui_why(void)
{
	return tui_nc_rc < 0 ? tui_nc_why : NULL;
}

/* From here on every name of ncurses is the loaded library's. */
#define newterm (*tui_nc.p_newterm)
#define set_term (*tui_nc.p_set_term)
#define delscreen (*tui_nc.p_delscreen)
#define endwin (*tui_nc.p_endwin)
#define cbreak (*tui_nc.p_cbreak)
#define noecho (*tui_nc.p_noecho)
#define nonl (*tui_nc.p_nonl)
#define keypad (*tui_nc.p_keypad)
#define intrflush (*tui_nc.p_intrflush)
#define curs_set (*tui_nc.p_curs_set)
#define set_escdelay (*tui_nc.p_set_escdelay)
#define has_colors (*tui_nc.p_has_colors)
#define start_color (*tui_nc.p_start_color)
#define use_default_colors (*tui_nc.p_use_default_colors)
#define init_pair (*tui_nc.p_init_pair)
#define wtimeout (*tui_nc.p_wtimeout)
#define wgetch (*tui_nc.p_wgetch)
#define werase (*tui_nc.p_werase)
#define wrefresh (*tui_nc.p_wrefresh)
#define wmove (*tui_nc.p_wmove)
#define waddnstr (*tui_nc.p_waddnstr)
#define waddch (*tui_nc.p_waddch)
#define wattr_on (*tui_nc.p_wattr_on)
#define wattr_off (*tui_nc.p_wattr_off)
#define stdscr (*tui_nc.p_stdscr)
#define COLS (*tui_nc.p_COLS)
#define LINES (*tui_nc.p_LINES)

#define TUI_PROTO_LINES 3	/* lines of one protocol header */
#define TUI_FIXED_LINES 5	/* title, blank, table header, status, keys */
#define TUI_BAR_MIN 10

enum tui_pair { PAIR_GREEN = 1, PAIR_YELLOW, PAIR_RED, PAIR_CYAN };

static SCREEN *tui_screen;
static bool tui_color;

int output_tui_open(bool color)
{
	if (tui_screen)
		return 0;
	if (tui_nc_load())
		return -ELIBACC;
	tui_screen = newterm(NULL, stdout, stdin);
	if (!tui_screen)
		return -ENOTTY;
	set_term(tui_screen);
	cbreak();		/* keys one by one; Ctrl-C stays a signal */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	curs_set(0);
	set_escdelay(25);
	tui_color = color && has_colors();
	if (tui_color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_GREEN, COLOR_GREEN, -1);
		init_pair(PAIR_YELLOW, COLOR_YELLOW, -1);
		init_pair(PAIR_RED, COLOR_RED, -1);
		init_pair(PAIR_CYAN, COLOR_CYAN, -1);
	}
	return 0;
}

void output_tui_close(void)
{
	if (!tui_screen)
		return;
	endwin();		/* the main screen, the cursor, the modes as they were */
	delscreen(tui_screen);
	tui_screen = NULL;
}

int output_tui_key(int timeout_ms)
{
	int c;

	if (!tui_screen)
		return TUI_KEY_NONE;
	timeout(timeout_ms);
	c = getch();
	if (c == ERR)
		return TUI_KEY_NONE;
	if (c == KEY_RESIZE)
		return TUI_KEY_RESIZE;
	return c;
}

int output_tui_table_rows(int nproto)
{
	int n;

	if (!tui_screen)
		return 0;
	n = LINES - TUI_FIXED_LINES - TUI_PROTO_LINES * nproto;
	return n > 0 ? n : 0;
}

static attr_t tui_pair_attr(enum tui_pair p)
{
	return tui_color ? COLOR_PAIR(p) : A_NORMAL;
}

/* Text at (y, x), cut at the right edge. */
static int tui_put(int y, int x, attr_t a, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int tui_put(int y, int x, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	if (y < 0 || y >= LINES || x >= COLS)
		return x;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = (int)strlen(buf);
	if (n > COLS - x)
		n = COLS - x;
	attron(a);
	mvaddnstr(y, x, buf, n);
	attroff(a);
	return x + n;
}

static attr_t tui_state_attr(enum model_state s)
{
	switch (s) {
	case MS_NORMAL: return tui_pair_attr(PAIR_GREEN);
	case MS_ELEVATED:
	case MS_LIMITED: return tui_pair_attr(PAIR_YELLOW) | A_BOLD;
	case MS_PRESSURE:
	case MS_OVER_LIMIT: return tui_pair_attr(PAIR_RED) | A_BOLD;
	default: return A_NORMAL;
	}
}

static void tui_bytes(char *dst, size_t n, uint64_t b, const struct tui_view *v)
{
	output_text_column_bytes(dst, n, b, v->exact_bytes);
}

static void tui_signed_bytes(char *dst, size_t n, int64_t b, const struct tui_view *v)
{
	output_text_change_bytes(dst, n, b, v->exact_bytes);
}

#define tui_duration output_text_duration

/* The title: what moves first, then where the figures come from. */
static void tui_title(const struct report_live *lv)
{
	const struct host *h = lv->r->h;
	int x;

	x = tui_put(0, 0, A_BOLD, "sockmem top");
	if (lv->static_input)
		x = tui_put(0, x, A_NORMAL, "  static: one frame");
	else
		x = tui_put(0, x, A_NORMAL, "  every %g s  refresh %llu", lv->interval_s,
			    (unsigned long long)lv->frame);
	if (lv->time_local[0])
		x = tui_put(0, x, A_NORMAL, "  %s", lv->time_local);
	if (h->root[0]) {
		char safe[256];

		util_safe_token(safe, sizeof(safe), h->root, strlen(h->root));
		x = tui_put(0, x, A_NORMAL, "  snapshot %s%s%s%s", safe,
			    h->have_meta && h->meta.time[0] ? " (taken " : "",
			    h->have_meta ? h->meta.time : "", h->have_meta && h->meta.time[0] ? ")" : "");
	} else {
		x = tui_put(0, x, A_NORMAL, "  live");
	}
	x = tui_put(0, x, A_NORMAL, "  Linux %s", h->kver.ok ? h->kver.release : "?");
	if (COLS - 8 > x)
		tui_put(0, COLS - 8, A_NORMAL, "? help");
}

static void tui_bar(int y, int x, int width, const struct report_live_proto *lp)
{
	unsigned char cells[512];
	attr_t used = lp->p ? tui_state_attr(lp->p->m.state) : A_NORMAL;
	int i;

	if (width > (int)sizeof(cells))
		width = (int)sizeof(cells);
	report_live_bar(lp, width, cells);
	tui_put(y, x, A_NORMAL, "[");
	for (i = 0; i < width; i++) {
		unsigned char c = cells[i];
		int ch = (c & LIVE_CELL_KIND) == LIVE_CELL_USED ? '#'
			 : (c & LIVE_CELL_KIND) == LIVE_CELL_BAND ? '~' : '.';
		attr_t a = (c & LIVE_CELL_KIND) == LIVE_CELL_FREE ? A_NORMAL
			   : (c & LIVE_CELL_KIND) == LIVE_CELL_BAND ? tui_pair_attr(PAIR_YELLOW) : used;

		if (c & (LIVE_CELL_MARK_MIN | LIVE_CELL_MARK_PRESSURE | LIVE_CELL_MARK_MAX)) {
			ch = '|';
			a |= A_BOLD;
		}
		if (c & LIVE_CELL_OVER)
			ch = '>';
		if (x + 1 + i < COLS)
			mvaddch(y, x + 1 + i, (chtype)ch | a);
	}
	tui_put(y, x + 1 + width, A_NORMAL, "]");
}

static const char *const tui_limit_name[3] = { "min", "pressure", "max" };

static int tui_proto(int y, const struct report_live *lv, const struct report_live_proto *lp,
		     const struct tui_view *v)
{
	const struct proto_report *p = lp->p;
	char a[40], b[40], c[40];
	int x, bw, i;

	x = tui_put(y, 0, A_BOLD, "%-5s", p->def->label);
	x = tui_put(y, x + 1, tui_state_attr(p->m.state), "%-10s", model_state_name(p->m.state));
	if (p->def->shares_with) {
		tui_put(y, x + 1, A_NORMAL, "same counter and limits as %s", p->def->shares_with);
		return y + 1;
	}
	if (p->usage_bytes.ok)
		tui_bytes(a, sizeof(a), p->usage_bytes.v, v);
	else
		snprintf(a, sizeof(a), "-");
	x = tui_put(y, x + 1, A_BOLD, "%9s", a);
	bw = COLS - x - 1 - 2 - 8;
	if (lp->bar_ok && bw >= TUI_BAR_MIN) {
		tui_bar(y, x + 1, bw, lp);
		if (p->m.pct_ok)
			tui_put(y, x + 1 + bw + 2, A_NORMAL, " %6.1f%%", p->m.pct[2]);
	} else if (!lp->bar_ok) {
		tui_put(y, x + 1, A_NORMAL, "(%s)", lp->bar_why);
	}
	/* the limits, the band, the kernel's flag */
	x = 6;
	if (p->limits_ok) {
		for (i = 0; i < 3; i++) {
			if (!lp->mark[i])
				continue;
			tui_bytes(b, sizeof(b), p->limit_bytes[i], v);
			x = tui_put(y + 1, x, A_NORMAL, "%s%s %s", x > 6 ? " | " : "", tui_limit_name[i], b);
		}
	}
	if (lv->r->band_bytes.ok && lv->r->band_bytes.v) {
		tui_bytes(b, sizeof(b), lv->r->band_bytes.v, v);
		x = tui_put(y + 1, x, A_NORMAL, "  band +/-%s%s", b,
			    lv->r->band_at_least ? " or more" : "");
	}
	if (p->def->kind == MODEL_PRESSURE)
		tui_put(y + 1, x, p->press == PRESS_YES ? tui_pair_attr(PAIR_RED) | A_BOLD : A_NORMAL,
			"  flag %s", protocols_press_name(p->press));
	else
		tui_put(y + 1, x, A_NORMAL, "  no pressure state");
	/* the next threshold, when, and the window */
	x = 6;
	if (lp->bar_ok && lp->next >= 0) {
		int64_t hb = p->headroom_bytes[lp->next];

		tui_bytes(b, sizeof(b), hb > 0 ? (uint64_t)hb : 0, v);
		x = tui_put(y + 2, x, A_NORMAL, "next %s %s away", tui_limit_name[lp->next], b);
	} else if (lp->bar_ok) {
		x = tui_put(y + 2, x, tui_pair_attr(PAIR_RED) | A_BOLD, "above max");
	}
	if (lp->trend_ok) {
		tui_signed_bytes(b, sizeof(b), (int64_t)lp->slope_bytes_s, v);
		if (lp->eta_ok && lp->eta_s > 0) {
			tui_duration(c, sizeof(c), lp->eta_s);
			x = tui_put(y + 2, x, tui_pair_attr(PAIR_YELLOW) | A_BOLD, ", in ~%s at %s/s", c,
				    b);
		} else {
			x = tui_put(y + 2, x, A_NORMAL, "%s%s/s%s", x > 6 ? ", " : "growth ", b,
				    lp->growing ? "" : ", not growing");
		}
	} else {
		x = tui_put(y + 2, x, A_NORMAL, "%sgrowth %s", x > 6 ? ", " : "",
			    lv->static_input ? "none (static input)" : "after the next refresh");
	}
	if (lp->window_ok) {
		tui_duration(c, sizeof(c), lp->window_s);
		x = tui_put(y + 2, x, A_NORMAL, "   last %s:", c);
		if (p->def->kind == MODEL_PRESSURE) {
			if (lp->episodes_ok)
				x = tui_put(y + 2, x, lp->episodes ? tui_pair_attr(PAIR_RED) | A_BOLD
					    : A_NORMAL, " %llu episode%s,", (unsigned long long)lp->episodes,
					    lp->episodes == 1 ? "" : "s");
			else
				x = tui_put(y + 2, x, A_NORMAL, " episodes -,");
		}
		if (lp->drops_ok)
			tui_put(y + 2, x, lp->drops ? tui_pair_attr(PAIR_RED) | A_BOLD : A_NORMAL,
				" %llu drop%s", (unsigned long long)lp->drops, lp->drops == 1 ? "" : "s");
		else
			tui_put(y + 2, x, A_NORMAL, " drops -");
	}
	return y + TUI_PROTO_LINES;
}

/* ---- the holders table */

enum tui_col_id {
	COL_MARK, COL_PROTO, COL_STATE, COL_LOCAL, COL_PEER, COL_NAME, COL_SOCKETS, COL_CHARGED,
	COL_CHANGE, COL_RECVQ, COL_SENDQ, COL_DROPS, COL_FLAGS, COL_COUNT
};

struct tui_col {
	enum tui_col_id id;
	const char *title;
	int min, max;		/* max > min: takes what is left */
	bool right;
	int sort;		/* enum live_sort, or -1 */
	int prio;		/* the lowest goes first when the screen is narrow */
	int width;		/* as laid out; 0: not shown */
};

static const struct tui_col tui_socket_cols[] = {
	{ COL_MARK, "", 1, 1, false, -1, 100, 0 },
	{ COL_PROTO, "PROTO", 5, 5, false, -1, 90, 0 },
	{ COL_STATE, "STATE", 10, 10, false, -1, 40, 0 },
	{ COL_LOCAL, "LOCAL", 15, 28, false, -1, 96, 0 },
	{ COL_PEER, "PEER", 15, 28, false, -1, 80, 0 },
	{ COL_CHARGED, "CHARGED", 9, 9, true, LIVE_SORT_CHARGED, 99, 0 },
	{ COL_CHANGE, "CHANGE", 10, 10, true, LIVE_SORT_CHANGE, 98, 0 },
	{ COL_RECVQ, "RECV-Q", 9, 9, true, LIVE_SORT_RECVQ, 60, 0 },
	{ COL_SENDQ, "SEND-Q", 9, 9, true, LIVE_SORT_SENDQ, 55, 0 },
	{ COL_DROPS, "DROPS", 7, 7, true, LIVE_SORT_DROPS, 50, 0 },
	{ COL_FLAGS, "FLAGS", 5, 24, false, -1, 10, 0 },
};

static const struct tui_col tui_group_cols[] = {
	{ COL_MARK, "", 1, 1, false, -1, 100, 0 },
	{ COL_NAME, "", 16, 60, false, -1, 97, 0 },
	{ COL_SOCKETS, "SOCKETS", 8, 8, true, LIVE_SORT_SOCKETS, 70, 0 },
	{ COL_CHARGED, "CHARGED", 9, 9, true, LIVE_SORT_CHARGED, 99, 0 },
	{ COL_CHANGE, "CHANGE", 10, 10, true, LIVE_SORT_CHANGE, 98, 0 },
	{ COL_RECVQ, "RECV-Q", 9, 9, true, LIVE_SORT_RECVQ, 60, 0 },
	{ COL_SENDQ, "SEND-Q", 9, 9, true, LIVE_SORT_SENDQ, 55, 0 },
	{ COL_DROPS, "DROPS", 8, 8, true, LIVE_SORT_DROPS, 50, 0 },
	{ COL_FLAGS, "FLAGS", 5, 24, false, -1, 10, 0 },
};

/* Which columns fit in COLS: the lowest priority goes first, never the
 * sorted one; then the flexible ones share what is left. */
static int tui_layout(struct tui_col *cols, int n, int sort)
{
	int i, total, spare, shown;

	for (;;) {
		int drop = -1;

		total = 0;
		shown = 0;
		for (i = 0; i < n; i++)
			if (cols[i].width) {
				total += cols[i].width + (shown ? 1 : 0);
				shown++;
			}
		if (total <= COLS)
			break;
		for (i = 0; i < n; i++)
			if (cols[i].width && cols[i].sort != sort && cols[i].prio < 100 &&
			    (drop < 0 || cols[i].prio < cols[drop].prio))
				drop = i;
		if (drop < 0)
			break;
		cols[drop].width = 0;
	}
	spare = COLS - total;
	for (i = 0; i < n && spare > 0; i++)
		if (cols[i].width && cols[i].max > cols[i].width) {
			int add = cols[i].max - cols[i].width;

			if (add > spare)
				add = spare;
			cols[i].width += add;
			spare -= add;
		}
	return total;
}

static const char *tui_name_title(enum sockets_by by)
{
	switch (by) {
	case BY_PROCESS: return "PID COMMAND";
	case BY_CGROUP: return "CGROUP";
	case BY_PORT: return "PROTO PORT";
	case BY_PEER_PORT: return "PROTO PEER-PORT";
	case BY_STATE: return "PROTO STATE";
	default: return "";
	}
}

/* A group's name: for a cgroup the pod and container when the path names
 * them, else the path's end (where the leaf is). */
static void tui_name(char *dst, size_t n, const struct report_live *lv, int i, int width)
{
	const struct top_row *w = &lv->top.row[i];
	char path[PATH_MAX];
	size_t len;

	switch (lv->top.by) {
	case BY_PROCESS: {
		char comm[96];

		output_text_process_name(comm, sizeof(comm), w->comm, w->e.shared_others_max,
					 width > 8 ? width - 8 : 2);
		snprintf(dst, n, "%llu %s", (unsigned long long)w->key.id, comm);
		return;
	}
	case BY_CGROUP:
		/* the pod (report_top_pods), its container's short id as the
		 * runtimes print it */
		if (w->pod.found) {
			snprintf(dst, n, "pod %.36s %s%s%.12s", w->pod.uid, w->pod.qos,
				 w->pod.container[0] ? " ctr " : "", w->pod.container);
			return;
		}
		if (!w->cg || !w->cg->found) {
			snprintf(dst, n, "id %llu%s", (unsigned long long)w->key.id,
				 w->cg && w->cg->deleted ? " (deleted)" : "");
			return;
		}
		util_safe_token(path, sizeof(path), w->cg->path, strlen(w->cg->path));
		len = strlen(path);
		if (width > 3 && len > (size_t)width)
			snprintf(dst, n, "...%s", path + len - (size_t)(width - 3));
		else
			snprintf(dst, n, "%s", path);
		return;
	default:
		output_text_group_name(dst, n, lv->top.by, w);
	}
}

static void tui_cell(char *dst, size_t n, const struct tui_col *c, const struct report_live *lv,
		     int i, const struct tui_view *v)
{
	const struct top_row *w = &lv->top.row[i];
	const struct report_live_row *x = &lv->row[i];
	const struct sock_entry *e = &w->e;

	switch (c->id) {
	case COL_MARK:
		snprintf(dst, n, "%s", x->is_new ? "+" : x->fastest ? "^" : " ");
		break;
	case COL_PROTO:
		snprintf(dst, n, "%s", diag_proto_name(e->s.proto));
		break;
	case COL_STATE:
		snprintf(dst, n, "%s", diag_state_name(e->s.proto, e->s.state));
		break;
	case COL_LOCAL:
		snprintf(dst, n, "%s", w->local);
		break;
	case COL_PEER:
		snprintf(dst, n, "%s", w->peer);
		break;
	case COL_NAME:
		tui_name(dst, n, lv, i, c->width);
		break;
	case COL_SOCKETS:
		snprintf(dst, n, "%llu", (unsigned long long)e->count);
		break;
	case COL_CHARGED:
		tui_bytes(dst, n, e->charged_bytes, v);
		break;
	case COL_CHANGE:
		if (x->is_new)
			snprintf(dst, n, "new");
		else if (!x->change_known)
			snprintf(dst, n, "-");
		else
			tui_signed_bytes(dst, n, x->change_bytes, v);
		break;
	case COL_RECVQ:
		tui_bytes(dst, n, e->mem[DM_RMEM_ALLOC], v);
		break;
	case COL_SENDQ:
		tui_bytes(dst, n, e->mem[DM_WMEM_QUEUED], v);
		break;
	case COL_DROPS:
		if (e->drops_known)
			snprintf(dst, n, "%llu", (unsigned long long)e->mem[DM_DROPS]);
		else
			snprintf(dst, n, "-");
		break;
	case COL_FLAGS:
		snprintf(dst, n, "%s", w->flags);
		break;
	default:
		dst[0] = '\0';
	}
}

static void tui_table(int y, int rows, const struct report_live *lv, const struct tui_view *v)
{
	struct tui_col cols[16];
	int ncols, i, k, x;
	const struct tui_col *src = lv->top.by == BY_SOCKET ? tui_socket_cols : tui_group_cols;

	ncols = lv->top.by == BY_SOCKET ? (int)ARRAY_SIZE(tui_socket_cols)
		: (int)ARRAY_SIZE(tui_group_cols);
	memcpy(cols, src, (size_t)ncols * sizeof(*cols));
	for (i = 0; i < ncols; i++) {
		cols[i].width = cols[i].min;
		if (cols[i].id == COL_NAME)
			cols[i].title = tui_name_title(lv->top.by);
	}
	tui_layout(cols, ncols, (int)lv->sort);
	/* the header, the sorted column in reverse */
	x = 0;
	for (k = 0; k < ncols; k++) {
		if (!cols[k].width)
			continue;
		tui_put(y, x, cols[k].sort == (int)lv->sort ? A_REVERSE | A_BOLD : A_BOLD,
			cols[k].right ? "%*.*s" : "%-*.*s", cols[k].width, cols[k].width, cols[k].title);
		x += cols[k].width + 1;
	}
	if (v->table_absent) {
		tui_put(y + 1, 1, A_NORMAL, "no per-socket view: %s", v->table_absent);
		return;
	}
	if (!lv->top.n) {
		tui_put(y + 1, 1, A_NORMAL, "no socket holds memory%s",
			lv->table_proto == DP_TCP ? " (TCP)" : lv->table_proto == DP_UDP ? " (UDP)" : "");
		return;
	}
	for (i = 0; i < lv->top.n && i < rows; i++) {
		const struct report_live_row *r = &lv->row[i];
		attr_t a = r->is_new ? tui_pair_attr(PAIR_CYAN) : r->fastest ? A_BOLD : A_NORMAL;

		x = 0;
		for (k = 0; k < ncols; k++) {
			char cell[PATH_MAX];

			if (!cols[k].width)
				continue;
			tui_cell(cell, sizeof(cell), &cols[k], lv, i, v);
			tui_put(y + 1 + i, x, cols[k].id == COL_CHANGE && r->fastest
				? a | tui_pair_attr(PAIR_YELLOW) : a,
				cols[k].right ? "%*.*s" : "%-*.*s", cols[k].width, cols[k].width, cell);
			x += cols[k].width + 1;
		}
	}
}

static void tui_status(int y, const struct report_live *lv, const struct tui_view *v)
{
	char a[32], b[32];
	int x;

	tui_bytes(a, sizeof(a), lv->charged_bytes, v);
	x = 0;
	if (lv->paused)
		x = tui_put(y, x, A_REVERSE | A_BOLD, "PAUSED") + 2;
	if (v->message)
		x = tui_put(y, x, A_BOLD | tui_pair_attr(PAIR_RED), "%s", v->message) + 2;
	x = tui_put(y, x, A_NORMAL, "by %s  %s  sort %s  %llu socket%s, %s charged",
		    sockets_by_name[lv->top.by],
		    lv->table_proto == DP_TCP ? "TCP only" : lv->table_proto == DP_UDP ? "UDP only"
		    : "TCP+UDP", report_live_sort_name[lv->sort],
		    (unsigned long long)lv->sockets, lv->sockets == 1 ? "" : "s", a);
	if (lv->new_rows || lv->growing_rows)
		x = tui_put(y, x, A_NORMAL, "  %d new, %d growing", lv->new_rows, lv->growing_rows);
	if (lv->pass_ok) {
		if (lv->pass_s < 1e-4)
			snprintf(b, sizeof(b), "%.2f ms", lv->pass_s * 1e3);
		else if (lv->pass_s < 1)
			snprintf(b, sizeof(b), "%.1f ms", lv->pass_s * 1e3);
		else
			tui_duration(b, sizeof(b), lv->pass_s);
		if (lv->static_input)
			x = tui_put(y, x, A_NORMAL, "  pass %s", b);
		else
			x = tui_put(y, x, lv->pass_pct > 10 ? tui_pair_attr(PAIR_RED) | A_BOLD : A_NORMAL,
				    "  pass %s (%.1f%%)", b, lv->pass_pct);
	}
}

static void tui_keys(int y)
{
	static const char keys[] = "s/p/c/o group  t/u protocol  </> sort  space pause  "
				   "+/- interval  ? help  q quit";
	int n = (int)strlen(keys);

	tui_put(y, 0, A_REVERSE, "%-*s", COLS > n ? COLS : n, keys);
}

static void tui_help(const struct report_live *lv)
{
	static const char *const lines[] = {
		"sockmem top: keys",
		"",
		"s  p  c  o   group by socket, process, cgroup, port",
		"t  u         only TCP, only UDP in the table (again: both)",
		"a            the other protocols' headers (MPTCP, UDP-Lite, SCTP)",
		"<  >         sort by the column to the left, to the right",
		"space        pause (keys still work; space again: go on)",
		"+  -         refresh less often, more often",
		"q            quit (so do Ctrl-C and SIGTERM)",
		"",
		"Bar: # usage, ~ the per-CPU band (the true charge is within it),",
		"| min, pressure (TCP) and max, > above max.",
		"Rows: + not among the holders at the last refresh, ^ grew most;",
		"CHANGE is the charge since the last refresh.",
		"Episodes: TCPMemoryPressures; drops: TCPRcvQDrop + TCPOFODrop",
		"(TCP), UdpRcvbufErrors (UDP), over the last samples (window).",
		"pass: the last per-socket pass, and its share of the interval.",
		"",
		"any key closes this help",
	};
	int i, w = 0, h = (int)ARRAY_SIZE(lines), y0, x0;

	(void)lv;
	for (i = 0; i < h; i++)
		if ((int)strlen(lines[i]) > w)
			w = (int)strlen(lines[i]);
	y0 = (LINES - h - 2) / 2;
	x0 = (COLS - w - 4) / 2;
	if (y0 < 0)
		y0 = 0;
	if (x0 < 0)
		x0 = 0;
	for (i = -1; i <= h; i++)
		tui_put(y0 + 1 + i, x0, A_REVERSE, " %-*s ", w + 2, i >= 0 && i < h ? lines[i] : "");
}

void output_tui_draw(const struct report_live *lv, const struct tui_view *v)
{
	int y = 1, i, rows;

	if (!tui_screen)
		return;
	erase();
	tui_title(lv);
	for (i = 0; i < lv->nproto; i++)
		y = tui_proto(y, lv, &lv->proto[i], v);
	rows = LINES - 2 - (y + 2);
	tui_table(y + 1, rows, lv, v);
	tui_status(LINES - 2, lv, v);
	tui_keys(LINES - 1);
	if (v->help)
		tui_help(lv);
	refresh();
}
