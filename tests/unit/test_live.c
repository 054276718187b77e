/* test_live.c - cmocka unit tests of report_live.c, the report behind top's
 * live view: bars and their marks, the next threshold, the window's episodes
 * and drops, changes between passes, new rows and the fastest growers, the
 * orders, the interval ladder. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"
#include "report_live.h"

static const struct proto_def tcp_def = { "tcp", "TCP", "TCP", "TCP", SC_TCP_MEM, MODEL_PRESSURE,
					  NULL, true };
static const struct proto_def udp_def = { "udp", "UDP", "UDP", "UDP", SC_UDP_MEM,
					  MODEL_NO_PRESSURE, NULL, true };
static const struct proto_def sctp_def = { "sctp", "SCTP", "SCTP", NULL, SC_SCTP_MEM,
					   MODEL_PRESSURE, NULL, false };
static struct host host4k;

/* TCP at usage pages against 2000 3000 4000, UDP at 0 against 2048 4096 8192. */
static void mkreport(struct report *r, uint64_t usage, uint64_t band)
{
	static const char *const keys[] = { "TCPMemoryPressures", "TCPRcvQDrop", "TCPOFODrop",
					    "RcvPruned", "UdpRcvbufErrors" };
	size_t i;

	memset(r, 0, sizeof(*r));
	host4k.page_size_bytes = 4096;
	r->h = &host4k;
	r->mem_unit_bytes = 4096;
	r->units_per_page = 1;
	r->band_pages = (struct opt){ band, true };
	r->nproto = 3;
	r->proto[0].def = &tcp_def;
	r->proto[0].usage_pages = opt_some(usage);
	r->proto[0].limits_ok = true;
	r->proto[0].limit_pages[0] = 2000;
	r->proto[0].limit_pages[1] = 3000;
	r->proto[0].limit_pages[2] = 4000;
	for (i = 0; i < 3; i++)
		r->proto[0].limit_units[i] = r->proto[0].limit_pages[i];
	r->proto[1].def = &udp_def;
	r->proto[1].usage_pages = opt_some(0);
	r->proto[1].limits_ok = true;
	r->proto[1].limit_pages[0] = 2048;
	r->proto[1].limit_pages[1] = 4096;
	r->proto[1].limit_pages[2] = 8192;
	for (i = 0; i < 3; i++)
		r->proto[1].limit_units[i] = r->proto[1].limit_pages[i];
	r->proto[2].def = &sctp_def;
	r->proto[2].limits_why = "net.sctp.sctp_mem not readable";
	r->ncounter = (int)ARRAY_SIZE(keys);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		r->counter[i].key = keys[i];
		r->counter[i].value = opt_some(100);
	}
}

static struct report_live_opts opts(int rows, enum live_sort sort, double t_s)
{
	struct report_live_opts o;

	memset(&o, 0, sizeof(o));
	o.rows = rows;
	o.sort = sort;
	o.proto = LIVE_PROTO_ALL;
	o.frame = 1;
	o.interval_s = 2;
	o.t_s = t_s;
	return o;
}

static void bar_of(const struct report *r, int p, int width, unsigned char *cells)
{
	struct report_live lv;
	struct report_top pool = { 0 };
	struct report_live_opts o = opts(0, LIVE_SORT_CHARGED, 0);

	pool.by = BY_SOCKET;
	assert_int_equal(report_live_build(&lv, r, &pool, NULL, &o), 0);
	report_live_bar(&lv.proto[p], width, cells);
	report_live_free(&lv);
}

static int count_kind(const unsigned char *c, int w, int kind)
{
	int i, n = 0;

	for (i = 0; i < w; i++)
		n += (c[i] & LIVE_CELL_KIND) == kind;
	return n;
}

static int find_bit(const unsigned char *c, int w, int bit)
{
	int i;

	for (i = 0; i < w; i++)
		if (c[i] & bit)
			return i;
	return -1;
}

/* 2800 of 4000 on 40 cells: 28 used, marks at columns 20, 30 and 39. */
static void bar_marks_exact(void **state)
{
	struct report r;
	unsigned char c[40];

	(void)state;
	mkreport(&r, 2800, 0);
	bar_of(&r, 0, 40, c);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_USED), 28);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_BAND), 0);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_MIN), 20);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_PRESSURE), 30);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_MAX), 39);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_OVER), -1);
}

/* 4.11-5.19 on 64 KiB pages: usage counts 4096-byte quanta, 16 to a page,
 * and is compared with the limits in quanta (limit_units): 2000 3000 4000
 * pages are 32000 48000 64000 quanta.  Usage 40000 quanta (2500 pages) is
 * between min and pressure: 25 of 40 cells, the marks where they were in
 * pages, pressure next, and the growth in bytes by the quantum. */
static void bar_in_quanta(void **state)
{
	struct report r;
	struct report_live lv;
	struct report_top pool = { 0 };
	struct report_live_opts o = opts(0, LIVE_SORT_CHARGED, 0);
	unsigned char c[40];
	int i;

	(void)state;
	mkreport(&r, 40000, 0);
	r.mem_unit_bytes = 4096;
	r.units_per_page = 16;
	for (i = 0; i < 3; i++)
		r.proto[0].limit_units[i] = r.proto[0].limit_pages[i] * 16;
	r.proto[0].trend_ok = true;
	r.proto[0].trend.growing = true;
	r.proto[0].trend.slope = 2;
	pool.by = BY_SOCKET;
	assert_int_equal(report_live_build(&lv, &r, &pool, NULL, &o), 0);
	assert_true(lv.proto[0].scale_units == 64000);
	assert_int_equal(lv.proto[0].next, 1);
	assert_true(lv.proto[0].slope_bytes_s == 2 * 4096);
	report_live_bar(&lv.proto[0], 40, c);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_USED), 25);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_MIN), 20);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_PRESSURE), 30);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_MAX), 39);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_OVER), -1);
	report_live_free(&lv);
}

/* The band: 2800 +/- 510 is certain to 2290 (22.9 -> 23 cells) and may
 * reach 3310 (33.1 -> 33). */
static void bar_band(void **state)
{
	struct report r;
	unsigned char c[40];

	(void)state;
	mkreport(&r, 2800, 510);
	bar_of(&r, 0, 40, c);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_USED), 23);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_BAND), 10);
	assert_int_equal(c[22] & LIVE_CELL_KIND, LIVE_CELL_USED);
	assert_int_equal(c[23] & LIVE_CELL_KIND, LIVE_CELL_BAND);
	assert_int_equal(c[33] & LIVE_CELL_KIND, LIVE_CELL_FREE);
	/* a band far below one cell still shows in one */
	mkreport(&r, 0, 1);
	bar_of(&r, 0, 40, c);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_USED), 0);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_BAND), 1);
	assert_int_equal(c[0] & LIVE_CELL_KIND, LIVE_CELL_BAND);
}

/* Above max the usage is the scale: every cell used, max inside, over. */
static void bar_over_limit(void **state)
{
	struct report r;
	unsigned char c[40];

	(void)state;
	mkreport(&r, 4526, 0);
	bar_of(&r, 0, 40, c);
	assert_int_equal(count_kind(c, 40, LIVE_CELL_USED), 40);
	assert_int_equal(find_bit(c, 40, LIVE_CELL_MARK_MAX), 35);	/* 4000/4526*40 = 35.4 */
	assert_int_equal(find_bit(c, 40, LIVE_CELL_OVER), 39);
}

/* UDP: min and max, no pressure mark; SCTP without limits: no bar, a reason. */
static void bar_udp_and_unknown(void **state)
{
	struct report r;
	struct report_live lv;
	struct report_top pool = { 0 };
	struct report_live_opts o = opts(0, LIVE_SORT_CHARGED, 0);
	unsigned char c[64];

	(void)state;
	mkreport(&r, 100, 0);
	bar_of(&r, 1, 64, c);
	assert_int_equal(find_bit(c, 64, LIVE_CELL_MARK_MIN), 16);
	assert_int_equal(find_bit(c, 64, LIVE_CELL_MARK_PRESSURE), -1);
	assert_int_equal(find_bit(c, 64, LIVE_CELL_MARK_MAX), 63);
	/* the others only on request */
	pool.by = BY_SOCKET;
	assert_int_equal(report_live_build(&lv, &r, &pool, NULL, &o), 0);
	assert_int_equal(lv.nproto, 2);
	report_live_free(&lv);
	o.all_protocols = true;
	assert_int_equal(report_live_build(&lv, &r, &pool, NULL, &o), 0);
	assert_int_equal(lv.nproto, 3);
	assert_false(lv.proto[2].bar_ok);
	assert_string_equal(lv.proto[2].bar_why, "usage not visible");
	report_live_bar(&lv.proto[2], 64, c);
	assert_int_equal(count_kind(c, 64, LIVE_CELL_FREE), 64);
	assert_int_equal(find_bit(c, 64, 0xff), -1);
	report_live_free(&lv);
}

/* The next threshold is the first above usage; its time from the trend. */
static void next_threshold(void **state)
{
	struct report r;
	struct report_live lv;
	struct report_top pool = { 0 };
	struct report_live_opts o = opts(0, LIVE_SORT_CHARGED, 0);

	(void)state;
	pool.by = BY_SOCKET;
	mkreport(&r, 2800, 0);
	r.proto[0].trend_ok = true;
	r.proto[0].trend.growing = true;
	r.proto[0].trend.slope = 2.5;
	r.proto[0].eta_ok[1] = true;
	r.proto[0].eta_s[1] = 80;
	r.proto[0].eta_ok[2] = true;
	r.proto[0].eta_s[2] = 480;
	assert_int_equal(report_live_build(&lv, &r, &pool, NULL, &o), 0);
	assert_int_equal(lv.proto[0].next, 1);
	assert_true(lv.proto[0].eta_ok);
	assert_true(lv.proto[0].eta_s == 80);
	assert_true(lv.proto[0].slope_bytes_s == 2.5 * 4096);
	assert_int_equal(lv.proto[1].next, 0);		/* UDP at 0: min next */
	assert_false(lv.proto[1].eta_ok);		/* no trend */
	report_live_free(&lv);
	/* UDP between min and max: max is next (no pressure threshold) */
	r.proto[1].usage_pages = opt_some(5000);
	r.proto[0].usage_pages = opt_some(4526);
	assert_int_equal(report_live_build(&lv, &r, &pool, NULL, &o), 0);
	assert_int_equal(lv.proto[1].next, 2);
	assert_int_equal(lv.proto[0].next, -1);		/* above max */
	assert_false(lv.proto[0].eta_ok);
	report_live_free(&lv);
}

/* Episodes and drops over the window: last - first of the counters kept. */
static void window_counters(void **state)
{
	struct live_state s;
	struct report r;
	struct report_live lv;
	struct report_top pool = { 0 };
	struct report_live_opts o = opts(0, LIVE_SORT_CHARGED, 0);
	int i;

	(void)state;
	pool.by = BY_SOCKET;
	assert_int_equal(report_live_state_init(&s, 3), 0);
	mkreport(&r, 100, 0);
	report_live_window_add(&s, &r, 0);
	assert_int_equal(report_live_build(&lv, &r, &pool, &s, &o), 0);
	assert_false(lv.proto[0].window_ok);		/* one sample: nothing yet */
	report_live_free(&lv);
	for (i = 1; i <= 3; i++) {
		r.counter[0].value = opt_some(100 + (uint64_t)i);	/* episodes */
		r.counter[1].value = opt_some(100 + 10 * (uint64_t)i);	/* TCPRcvQDrop */
		r.counter[2].value = opt_some(100 + 5 * (uint64_t)i);	/* TCPOFODrop */
		r.counter[3].value = opt_some(1000);			/* RcvPruned: not counted */
		r.counter[4].value = opt_some(100 + 7 * (uint64_t)i);	/* UdpRcvbufErrors */
		report_live_window_add(&s, &r, 2.0 * i);
	}
	/* the window holds 3 samples: t = 2, 4, 6 (i = 1..3) */
	assert_int_equal(report_live_build(&lv, &r, &pool, &s, &o), 0);
	assert_true(lv.proto[0].window_ok);
	assert_true(lv.proto[0].window_s == 4);
	assert_true(lv.proto[0].episodes_ok);
	assert_int_equal(lv.proto[0].episodes, 2);
	assert_true(lv.proto[0].drops_ok);
	assert_int_equal(lv.proto[0].drops, 20 + 10);
	assert_false(lv.proto[1].episodes_ok);		/* UDP has no pressure state */
	assert_int_equal(lv.proto[1].drops, 14);
	report_live_free(&lv);
	/* a snapshot: passes after keys are no window */
	o.static_input = true;
	assert_int_equal(report_live_build(&lv, &r, &pool, &s, &o), 0);
	assert_false(lv.proto[0].window_ok);
	assert_false(lv.proto[0].episodes_ok);
	report_live_free(&lv);
	o.static_input = false;
	/* a counter that went backwards (reset) has no figure */
	r.counter[1].value = opt_some(1);
	report_live_window_add(&s, &r, 8);
	assert_int_equal(report_live_build(&lv, &r, &pool, &s, &o), 0);
	assert_false(lv.proto[0].drops_ok);
	assert_true(lv.proto[0].episodes_ok);
	report_live_free(&lv);
	report_live_state_free(&s);
}

static void port_row(struct top_row *w, unsigned port, uint64_t charged, uint64_t count,
		     uint64_t recvq, uint64_t drops)
{
	memset(w, 0, sizeof(*w));
	w->e.key = (uint64_t)DP_TCP << 16 | port;
	w->e.charged_bytes = charged;
	w->e.count = count;
	w->e.mem[DM_RMEM_ALLOC] = (uint32_t)recvq;
	w->e.mem[DM_DROPS] = (uint32_t)drops;
	w->e.drops_known = true;
	w->key = sockets_group_key(BY_PORT, w->e.key);
}

/* Two passes by port: changes, new rows, the fastest growers, orders. */
static void changes_and_orders(void **state)
{
	struct top_row rows1[4], rows2[5];
	struct report_top p1 = { 0 }, p2 = { 0 };
	struct live_state s;
	struct report r;
	struct report_live lv;
	struct report_live_opts o = opts(10, LIVE_SORT_CHARGED, 0);

	(void)state;
	mkreport(&r, 100, 0);
	assert_int_equal(report_live_state_init(&s, 4), 0);
	port_row(&rows1[0], 80, 100000, 10, 90000, 0);
	port_row(&rows1[1], 443, 50000, 5, 1000, 7);
	port_row(&rows1[2], 22, 8000, 1, 0, 0);
	port_row(&rows1[3], 53, 4000, 1, 4000, 0);
	p1.by = p2.by = BY_PORT;
	p1.row = rows1;
	p1.n = 4;
	p1.requested = p2.requested = LIVE_POOL;
	/* the first pass: nothing to compare with */
	assert_int_equal(report_live_build(&lv, &r, &p1, &s, &o), 0);
	assert_false(lv.change_known);
	assert_int_equal(lv.top.n, 4);
	assert_false(lv.row[0].change_known);
	assert_false(lv.row[0].is_new);
	assert_false(lv.pool_full);
	report_live_free(&lv);
	assert_int_equal(report_live_advance(&s, &p1, LIVE_PROTO_ALL, 0), 0);
	/* the second, 2 s later: 80 shrinks, 443 and 22 grow, 53 gone, 8080 new */
	port_row(&rows2[0], 80, 60000, 10, 50000, 0);
	port_row(&rows2[1], 443, 90000, 6, 2000, 9);
	port_row(&rows2[2], 22, 9000, 1, 0, 0);
	port_row(&rows2[3], 8080, 30000, 2, 0, 0);
	port_row(&rows2[4], 9090, 100, 1, 0, 0);
	p2.row = rows2;
	p2.n = 5;
	o.t_s = 2;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_true(lv.change_known);
	assert_true(lv.change_interval_s == 2);
	assert_int_equal(lv.top.n, 5);
	assert_int_equal(lv.top.row[0].key.port, 443);	/* by charge */
	assert_int_equal(lv.row[0].change_bytes, 40000);
	assert_true(lv.row[0].change_bytes_per_s == 20000);
	assert_true(lv.row[0].fastest);
	assert_int_equal(lv.top.row[1].key.port, 80);
	assert_int_equal(lv.row[1].change_bytes, -40000);
	assert_false(lv.row[1].fastest);
	assert_int_equal(lv.top.row[2].key.port, 8080);
	assert_true(lv.row[2].is_new);
	assert_false(lv.row[2].change_known);
	assert_false(lv.row[2].fastest);		/* new: no change to rank */
	assert_int_equal(lv.top.row[3].key.port, 22);
	assert_true(lv.row[3].fastest);			/* 2 growers: both marked */
	assert_int_equal(lv.new_rows, 2);
	assert_int_equal(lv.growing_rows, 2);
	report_live_free(&lv);
	/* building again gives the same changes (the state is not moved) */
	o.sort = LIVE_SORT_CHANGE;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_int_equal(lv.top.row[0].key.port, 443);
	assert_int_equal(lv.top.row[1].key.port, 22);
	assert_int_equal(lv.top.row[2].key.port, 80);	/* -40000 before the unknown */
	report_live_free(&lv);
	o.sort = LIVE_SORT_DROPS;
	o.rows = 2;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_int_equal(lv.top.n, 2);
	assert_int_equal(lv.top.row[0].key.port, 443);
	assert_int_equal(lv.top.row[1].key.port, 80);	/* ties: by charge */
	report_live_free(&lv);
	o.sort = LIVE_SORT_SOCKETS;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_int_equal(lv.top.row[0].key.port, 80);
	report_live_free(&lv);
	o.sort = LIVE_SORT_RECVQ;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_int_equal(lv.top.row[0].key.port, 80);
	assert_int_equal(lv.top.row[1].key.port, 443);
	report_live_free(&lv);
	/* another table (grouping or protocol) has nothing to compare with */
	o.proto = DP_UDP;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_false(lv.change_known);
	assert_false(lv.row[0].is_new);
	report_live_free(&lv);
	report_live_state_free(&s);
}

/* Sockets are known by their cookie; no sockets column to sort by. */
static void socket_identity(void **state)
{
	struct top_row a[2], b[2];
	struct report_top p1 = { 0 }, p2 = { 0 };
	struct live_state s;
	struct report r;
	struct report_live lv;
	struct report_live_opts o = opts(10, LIVE_SORT_SOCKETS, 0);

	(void)state;
	mkreport(&r, 100, 0);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	a[0].e.s.cookie = 7;
	a[0].e.charged_bytes = 5000;
	a[1].e.s.cookie = 7;
	a[1].e.s.proto = DP_UDP;		/* same cookie number, another protocol */
	a[1].e.charged_bytes = 100;
	b[0] = a[0];
	b[0].e.charged_bytes = 7000;
	b[1].e.s.cookie = 9;
	b[1].e.charged_bytes = 10;
	p1.by = p2.by = BY_SOCKET;
	p1.row = a;
	p2.row = b;
	p1.n = p2.n = 2;
	assert_int_equal(report_live_state_init(&s, 2), 0);
	assert_int_equal(report_live_advance(&s, &p1, LIVE_PROTO_ALL, 1), 0);
	o.t_s = 3;
	assert_int_equal(report_live_build(&lv, &r, &p2, &s, &o), 0);
	assert_int_equal(lv.sort, LIVE_SORT_CHARGED);	/* sockets: not a column here */
	assert_int_equal(lv.row[0].change_bytes, 2000);
	assert_true(lv.row[1].is_new);
	report_live_free(&lv);
	report_live_state_free(&s);
	assert_int_equal(report_live_sort_step(BY_SOCKET, LIVE_SORT_CHARGED, -1), LIVE_SORT_DROPS);
	assert_int_equal(report_live_sort_step(BY_PORT, LIVE_SORT_CHARGED, -1), LIVE_SORT_SOCKETS);
	assert_int_equal(report_live_sort_step(BY_PORT, LIVE_SORT_DROPS, 1), LIVE_SORT_SOCKETS);
	assert_int_equal(report_live_sort_step(BY_SOCKET, LIVE_SORT_DROPS, 1), LIVE_SORT_CHARGED);
	assert_int_equal(report_live_sort_step(BY_SOCKET, LIVE_SORT_CHARGED, 1), LIVE_SORT_CHANGE);
}

static void interval_ladder(void **state)
{
	(void)state;
	assert_true(report_live_interval_step(2, 1) == 3);
	assert_true(report_live_interval_step(2, -1) == 1);
	assert_true(report_live_interval_step(0.2, 1) == 0.5);
	assert_true(report_live_interval_step(0.2, -1) == 0.2);	/* below the ladder: kept */
	assert_true(report_live_interval_step(0.5, -1) == 0.5);
	assert_true(report_live_interval_step(7, 1) == 10);
	assert_true(report_live_interval_step(7, -1) == 5);
	assert_true(report_live_interval_step(60, 1) == 60);
	assert_true(report_live_interval_step(120, 1) == 120);
	assert_true(report_live_interval_step(120, -1) == 60);
}

/* The pass's share of the interval: the cost said in the footer. */
static void pass_cost(void **state)
{
	struct report r;
	struct report_live lv;
	struct report_top pool = { 0 };
	struct report_live_opts o = opts(0, LIVE_SORT_CHARGED, 0);

	(void)state;
	mkreport(&r, 100, 0);
	pool.by = BY_SOCKET;
	o.pass_ok = true;
	o.pass_s = 0.05;
	assert_int_equal(report_live_build(&lv, &r, &pool, NULL, &o), 0);
	assert_true(lv.pass_pct > 2.49 && lv.pass_pct < 2.51);
	report_live_free(&lv);
}

/* first-user 26: the watch view on a small terminal: lines cut at the
 * width (escape sequences take no column, a UTF-8 character one; a colour
 * cut off is reset), at most rows lines, the last without its newline */
static void fit_terminal(void **state)
{
	const char in[] = "header line that is long\n\033[31mred text here\033[0m\nab\xc3\xa9" "cdef\nfourth\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	output_text_fit(f, in, strlen(in), 5, 3);
	fclose(f);
	assert_string_equal(buf, "heade\n\033[31mred t\033[0m\nab\xc3\xa9" "cd");
	free(buf);
	f = open_memstream(&buf, &len);
	output_text_fit(f, in, strlen(in), 0, 0);
	fclose(f);
	assert_string_equal(buf, "header line that is long\n\033[31mred text here\033[0m\nab\xc3\xa9" "cdef\nfourth");
	free(buf);
}

/* first-user 30: JSON carries the real string; bytes that are not UTF-8 are
 * U+FFFD each */
static void json_real_strings(void **state)
{
	static const struct { const char *in, *out; } c[] = {
		{ "\033[31mEVIL\a", "\"\\u001B[31mEVIL\\u0007\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "a\xff" "b\xc3", "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },	/* a surrogate */
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },	/* overlong */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_t *v = output_json_text(c[i].in, strlen(c[i].in));
		char *s;

		assert_non_null(v);
		s = json_dumps(v, JSON_ENCODE_ANY);
		assert_non_null(s);
		assert_string_equal(s, c[i].out);
		free(s);
		json_decref(v);
	}
}

/* first-user 32: a comm cut at an escape's boundary, the sharing kept */
static void process_names(void **state)
{
	char b[96];

	(void)state;
	output_text_process_name(b, sizeof(b), "python3", 1, 30);
	assert_string_equal(b, "python3 (+1 sharing)");
	output_text_process_name(b, sizeof(b), "\\x1b[31mEVIL\\x07\\x1b]0;p", 0, 12);
	assert_string_equal(b, "\\x1b[31mEVI~");
	output_text_process_name(b, sizeof(b), "\\x1b[31mEVIL", 2, 18);
	assert_string_equal(b, "\\x1b~ (+2 sharing)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bar_marks_exact),
		cmocka_unit_test(bar_in_quanta),
		cmocka_unit_test(bar_band),
		cmocka_unit_test(bar_over_limit),
		cmocka_unit_test(bar_udp_and_unknown),
		cmocka_unit_test(next_threshold),
		cmocka_unit_test(window_counters),
		cmocka_unit_test(changes_and_orders),
		cmocka_unit_test(socket_identity),
		cmocka_unit_test(interval_ladder),
		cmocka_unit_test(pass_cost),
		cmocka_unit_test(fit_terminal),
		cmocka_unit_test(json_real_strings),
		cmocka_unit_test(process_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
