/* report_live.h - the report behind top's live view (sockmem top
 * --interval on a terminal): what each holder's charge did since the last
 * refresh, the order chosen on screen, each protocol's bar against its three
 * limits with the per-CPU band, the next threshold and when it is reached,
 * pressure episodes and memory drops in the window, and the cost of the last
 * per-socket pass.  Every figure the screen shows is computed here; the
 * screen (output_tui.c) only places and formats them.  Pure: no I/O, no
 * clock (the caller passes the times). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_REPORT_LIVE_H
#define SOCKMEM_REPORT_LIVE_H

#include <time.h>

#include "keymap.h"
#include "report.h"

/* Holders kept from each pass: the rows are ordered (by any column) and
 * their change computed among the LIVE_POOL largest by charge, and the table
 * shows the first rows of that order. */
#define LIVE_POOL 256
/* Samples of the counters kept for the window (episodes, drops). */
#define LIVE_WINDOW 120
/* Rows marked as growing fastest. */
#define LIVE_FASTEST 3

/* The columns a table can be ordered by, in the order they stand on screen
 * (sockets only for groups). */
enum live_sort {
	LIVE_SORT_SOCKETS, LIVE_SORT_CHARGED, LIVE_SORT_CHANGE, LIVE_SORT_RECVQ, LIVE_SORT_SENDQ,
	LIVE_SORT_DROPS, LIVE_SORT_COUNT
};
extern const char *const report_live_sort_name[LIVE_SORT_COUNT];	/* "charged", ... */

/* The holders table's protocol: every one, or TCP or UDP only. */
enum live_proto { LIVE_PROTO_ALL = -1 };

/* What one refresh hands the next: the previous pass's holders and the
 * counters of the last LIVE_WINDOW samples.  Owned by the command. */
struct live_state {
	bool have_prev;
	enum sockets_by prev_by;
	int prev_proto;
	double prev_t_s;
	struct keymap prev;		/* holder identity -> uint64_t charged bytes */
	int cap, n;			/* counter window */
	double *t_s;
	struct opt (*ctr)[REPORT_MAX_COUNTERS];
	const char *ctr_key[REPORT_MAX_COUNTERS];
	int nctr;
};

int report_live_state_init(struct live_state *s, int window_cap);
void report_live_state_free(struct live_state *s);
/* Adds r's counters at t_s to the window (the oldest go when full). */
void report_live_window_add(struct live_state *s, const struct report *r, double t_s);
/* The pass is the previous one from now on (its holders' charges kept);
 * proto: its table's protocol filter.  Returns 0 or -ENOMEM. */
int report_live_advance(struct live_state *s, const struct report_top *pool, int proto,
			double t_s);

/* Cells of a bar: what lies under each column, with the marks on top. */
enum live_cell {
	LIVE_CELL_FREE = 0,
	LIVE_CELL_USED = 1,		/* below usage - band */
	LIVE_CELL_BAND = 2,		/* within the per-CPU band around usage */
	LIVE_CELL_KIND = 3,		/* mask of the three above */
	LIVE_CELL_MARK_MIN = 4,		/* limits: min, pressure, max */
	LIVE_CELL_MARK_PRESSURE = 8,
	LIVE_CELL_MARK_MAX = 16,
	LIVE_CELL_OVER = 32,		/* usage beyond the bar's end */
};

struct report_live_proto {
	const struct proto_report *p;
	bool bar_ok;			/* usage and limits known */
	const char *bar_why;		/* when not */
	/* usage's unit (report.mem_unit_bytes): the page, or the 4096-byte
	 * quantum on 4.11-5.19 with larger pages; limits in it (limit_units) */
	double scale_units;		/* the bar's full width */
	double used_frac, band_hi_frac;	/* [0, used) certain, [used, band_hi) the band */
	double usage_frac;
	bool mark[3];			/* TCP: min, pressure, max; UDP: min, max */
	double mark_frac[3];
	/* the next limit above usage: 0..2, or -1 (above max, or not known) */
	int next;
	bool eta_ok;			/* with the growth from the samples so far */
	double eta_s;
	bool trend_ok, growing;
	double slope_units_s;
	double slope_bytes_s;
	/* the window: from the oldest sample kept to this one */
	bool window_ok;
	double window_s;
	bool episodes_ok;		/* TCP: TCPMemoryPressures */
	uint64_t episodes;
	bool drops_ok;			/* TCP: TCPRcvQDrop + TCPOFODrop; UDP: UdpRcvbufErrors */
	uint64_t drops;
};

struct report_live_row {
	bool is_new;			/* not among the holders of the previous pass */
	bool change_known;
	int64_t change_bytes;		/* charged now - at the previous pass */
	double change_bytes_per_s;
	bool fastest;			/* among the LIVE_FASTEST that grew most */
};

struct report_live_opts {
	enum live_sort sort;
	int rows;			/* table rows wanted */
	int proto;			/* LIVE_PROTO_ALL, DP_TCP, DP_UDP */
	bool all_protocols;		/* headers of MPTCP, UDP-Lite, SCTP too */
	uint64_t frame;			/* passes so far, 1 for the first */
	double interval_s;
	double t_s;			/* this pass, seconds from the first */
	bool pass_ok;
	double pass_s;			/* how long this per-socket pass took */
	bool paused, static_input;	/* static: a snapshot or a recording */
	const struct timespec *wall;	/* the wall clock at the pass, or NULL */
};

struct report_live {
	const struct report *r;
	struct report_live_proto proto[REPORT_MAX_PROTOS];
	int nproto;
	/* the table: top.row[i] and row[i], in the chosen order */
	struct report_top top;
	struct report_live_row *row;
	enum live_sort sort;
	int table_proto;		/* LIVE_PROTO_ALL, DP_TCP, DP_UDP */
	int ranked;			/* holders ordered (at most LIVE_POOL) */
	bool pool_full;			/* there may be more holders than ranked */
	uint64_t sockets;		/* sockets in the pass, of the table's protocols */
	uint64_t charged_bytes;		/* their charge */
	int new_rows, growing_rows;
	bool change_known;		/* a previous pass of the same table exists */
	double change_interval_s;	/* since it */
	uint64_t frame;
	double interval_s;
	bool pass_ok;
	double pass_s, pass_pct;	/* of the interval */
	bool paused, static_input;
	char time_local[16];		/* "08:00:00" */
};

/* Builds lv from the report, the pass's holders (pool: report_top_build
 * with LIVE_POOL, sorted by charge) and the state of the previous passes
 * (not changed: building again after a key gives the same changes).
 * lv->top holds copies of the rows shown (report_live_free).  Returns 0 or
 * -ENOMEM. */
int report_live_build(struct report_live *lv, const struct report *r,
		      const struct report_top *pool, const struct live_state *s,
		      const struct report_live_opts *o);
void report_live_free(struct report_live *lv);

/* The bar of lp over width cells (enum live_cell bits) into cells[width]:
 * column i covers [i, i + 1) / width of the scale; a mark stands in the
 * column that holds its limit, the max at the last column when it is the
 * scale. */
void report_live_bar(const struct report_live_proto *lp, int width, unsigned char *cells);

/* The sort column after cur in direction dir (+1 right, -1 left) among the
 * columns of grouping by. */
enum live_sort report_live_sort_step(enum sockets_by by, enum live_sort cur, int dir);
/* Whether grouping by has column s. */
bool report_live_sort_valid(enum sockets_by by, enum live_sort s);
/* The refresh interval one step up (dir +1) or down (-1) the ladder
 * 0.5 1 2 3 5 10 15 30 60 s; a value off the ladder goes to its neighbour. */
double report_live_interval_step(double cur_s, int dir);

#endif
