/* test_model.c - cmocka unit tests of the accounting model and report:
 * every state, the hysteresis band, the per-CPU band, kernel versions. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "report.h"

static struct model_in tcp_in(uint64_t usage, enum press_flag press)
{
	struct model_in in = { MODEL_PRESSURE, { usage, true }, true, { 2000, 3000, 4000 }, press,
			       { 510, true } };
	return in;
}

static struct model_in udp_in(uint64_t usage)
{
	struct model_in in = { MODEL_NO_PRESSURE, { usage, true }, true, { 2048, 4096, 8192 },
			       PRESS_NI, { 510, true } };
	return in;
}

static enum model_state classify(struct model_in in, struct model_out *out)
{
	model_classify(&in, out);
	return out->state;
}

/* Table of TCP cases: kernel-model.md 1.4/1.5 and experiment 11.1 (2000 3000 4000). */
static void tcp_states(void **state)
{
	static const struct {
		uint64_t usage;
		enum press_flag press;
		enum model_state want;
		enum model_basis basis;
	} cases[] = {
		{ 0, PRESS_NO, MS_NORMAL, MB_USAGE },
		{ 2000, PRESS_NO, MS_NORMAL, MB_USAGE },	/* allocated <= limit[0]: under limit */
		{ 2001, PRESS_NO, MS_ELEVATED, MB_KERNEL },
		{ 3000, PRESS_NO, MS_ELEVATED, MB_KERNEL },
		{ 3005, PRESS_NO, MS_ELEVATED, MB_KERNEL }, /* flag set at the next charge */
		{ 3005, PRESS_YES, MS_PRESSURE, MB_KERNEL }, /* observed 2749 -> 3005 flip */
		{ 2165, PRESS_YES, MS_PRESSURE, MB_KERNEL }, /* hysteresis: still in pressure */
		{ 2000, PRESS_YES, MS_PRESSURE, MB_KERNEL }, /* clears on the next charge/free */
		{ 1644, PRESS_NO, MS_NORMAL, MB_USAGE },    /* observed 2165 -> 1644 flip back */
		{ 4000, PRESS_YES, MS_PRESSURE, MB_KERNEL },
		{ 4001, PRESS_YES, MS_OVER_LIMIT, MB_USAGE }, /* > limit[2] */
		{ 4526, PRESS_YES, MS_OVER_LIMIT, MB_USAGE }, /* forced charges past max */
		{ 4001, PRESS_NO, MS_OVER_LIMIT, MB_USAGE },
		/* flag unavailable: inferred, no hysteresis visible */
		{ 1000, PRESS_UNKNOWN, MS_NORMAL, MB_INFERRED },
		{ 2500, PRESS_UNKNOWN, MS_ELEVATED, MB_INFERRED },
		{ 3500, PRESS_UNKNOWN, MS_PRESSURE, MB_INFERRED },
		{ 4500, PRESS_UNKNOWN, MS_OVER_LIMIT, MB_USAGE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct model_out out;
		enum model_state s = classify(tcp_in(cases[i].usage, cases[i].press), &out);

		if (s != cases[i].want || out.basis != cases[i].basis)
			fail_msg("case %zu: usage %llu press %d: got %s/%s want %s/%s", i,
				 (unsigned long long)cases[i].usage, cases[i].press,
				 model_state_name(s), model_basis_name(out.basis),
				 model_state_name(cases[i].want), model_basis_name(cases[i].basis));
	}
}

static void tcp_hysteresis_note(void **state)
{
	struct model_out out;

	classify(tcp_in(2500, PRESS_YES), &out);
	assert_int_equal(out.state, MS_PRESSURE);
	assert_non_null(out.note);
	assert_non_null(strstr(out.note, "hysteresis"));
	classify(tcp_in(2500, PRESS_NO), &out);
	assert_int_equal(out.state, MS_ELEVATED);
	assert_null(out.note);
}

static void tcp_no_limits(void **state)
{
	struct model_out out;
	struct model_in in = tcp_in(100, PRESS_YES);

	in.limits_ok = false;
	assert_int_equal(classify(in, &out), MS_PRESSURE); /* the flag is global and visible */
	assert_false(out.pct_ok);
	in.press = PRESS_NO;
	assert_int_equal(classify(in, &out), MS_UNKNOWN);
	assert_non_null(strstr(out.note, "limits not visible"));
}

static void no_usage(void **state)
{
	struct model_out out;
	struct model_in in = tcp_in(0, PRESS_NO);

	in.usage_pages.ok = false;
	assert_int_equal(classify(in, &out), MS_UNKNOWN);
	in.press = PRESS_YES;
	assert_int_equal(classify(in, &out), MS_PRESSURE);
}

static void udp_states(void **state)
{
	struct model_out out;

	assert_int_equal(classify(udp_in(0), &out), MS_NORMAL);
	assert_int_equal(classify(udp_in(2048), &out), MS_NORMAL);
	assert_int_equal(classify(udp_in(2049), &out), MS_LIMITED); /* observed 1793 -> 2049 */
	assert_int_equal(classify(udp_in(8192), &out), MS_LIMITED);
	assert_int_equal(classify(udp_in(8193), &out), MS_OVER_LIMIT);
	/* no pressure state ever, whatever the flag says */
	assert_int_equal(classify(udp_in(5000), &out), MS_LIMITED);
}

static void percent_near_headroom(void **state)
{
	struct model_out out;

	classify(tcp_in(2700, PRESS_NO), &out);
	assert_true(out.pct_ok);
	assert_true(out.pct[1] > 89.99 && out.pct[1] < 90.01);
	assert_false(out.near[0]);	/* 700 away from min, band 510 */
	assert_true(out.near[1]);	/* 300 away from pressure */
	assert_false(out.near[2]);
	assert_int_equal(out.headroom_pages[1], 300);
	assert_int_equal(out.headroom_pages[0], -700);
	classify(tcp_in(2510, PRESS_NO), &out);
	assert_true(out.near[0]);	/* exactly the band away */
}

static void reserve_versions(void **state)
{
	struct opt none = { 0, false }, two = { 2, true };
	struct model_reserve r;
	struct opt b;

	/* 6.9+: the sysctl */
	r = model_reserve(true, true, opt_some(256), 4096);
	assert_false(r.exact);
	assert_int_equal(r.rsv_pages, 256);
	b = model_band_pages(&r, two);
	assert_true(b.ok);
	assert_int_equal(b.v, 510);	/* experiment 11.1: bound 510 on 2 CPUs */
	/* 6.0-6.8: hard-coded 1 MiB per CPU: 256 pages at 4 KiB, 16 at 64 KiB */
	r = model_reserve(true, true, none, 4096);
	assert_int_equal(r.rsv_pages, 256);
	r = model_reserve(true, true, none, 65536);
	assert_int_equal(r.rsv_pages, 16);
	assert_int_equal(model_band_pages(&r, opt_some(128)).v, 128 * 15);
	/* before 6.0: exact */
	r = model_reserve(true, false, none, 4096);
	assert_true(r.exact);
	assert_int_equal(model_band_pages(&r, none).v, 0);
	assert_true(model_band_pages(&r, none).ok);
	/* unknown kernel, unknown CPUs: band unknown */
	r = model_reserve(false, false, none, 4096);
	assert_false(r.exact);
	assert_false(model_band_pages(&r, none).ok);
}

static void default_mem(void **state)
{
	uint64_t m[3];

	/* kernel-model.md 8: 24 GiB VM tcp_mem 287898 383866 575796 */
	model_default_mem(383866ull * 16, 16, m);
	assert_int_equal(m[0], 287898);
	assert_int_equal(m[1], 383866);
	assert_int_equal(m[2], 575796);
	model_default_mem(10, 16, m);
	assert_int_equal(m[1], 128);
}

/* Report built from a synthetic host: the FRAG figure is bytes, TCP pages. */
static void report_units(void **state)
{
	struct host *h = calloc(1, sizeof(*h));
	struct report *r = calloc(1, sizeof(*r));
	struct parse_err e;
	const char ss[] = "sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 4 mem 10\n"
			  "UDP: inuse 0 mem 3\nFRAG: inuse 1 memory 10\n";
	int i;

	assert_int_equal(sockstat_parse(ss, strlen(ss), &h->ss4, &e), 0);
	h->page_size_bytes = 65536;
	h->sockstat6_rc = -ENOENT;
	h->protocols_rc = h->netstat_rc = h->snmp_rc = -ENOENT;
	for (i = 0; i < SC_COUNT; i++)
		h->sysctl[i].rc = -ENOENT;
	h->sysctl[SC_TCP_MEM].rc = 0;
	h->sysctl[SC_TCP_MEM].v[0] = 5;
	h->sysctl[SC_TCP_MEM].v[1] = 8;
	h->sysctl[SC_TCP_MEM].v[2] = 12;
	h->sysctl[SC_IPFRAG_HIGH_THRESH].rc = 0;
	h->sysctl[SC_IPFRAG_HIGH_THRESH].v[0] = 1000;
	report_build(r, h);
	assert_string_equal(r->proto[0].def->key, "tcp");
	assert_int_equal(r->proto[0].usage_bytes.v, 10 * 65536);
	assert_int_equal(r->proto[0].limit_bytes[2], 12 * 65536);
	assert_int_equal(r->proto[0].m.state, MS_PRESSURE); /* no flag: inferred */
	assert_int_equal(r->proto[0].m.basis, MB_INFERRED);
	assert_int_equal(r->proto[0].avg_charge_bytes.v, 10 * 65536 / 4);
	assert_int_equal(r->proto[1].m.state, MS_UNKNOWN); /* udp_mem absent */
	assert_int_equal(r->frag[0].usage_bytes.v, 10); /* bytes as printed */
	assert_true(r->frag[0].pct > 0.99 && r->frag[0].pct < 1.01);
	free(h);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_states),
		cmocka_unit_test(tcp_hysteresis_note),
		cmocka_unit_test(tcp_no_limits),
		cmocka_unit_test(no_usage),
		cmocka_unit_test(udp_states),
		cmocka_unit_test(percent_near_headroom),
		cmocka_unit_test(reserve_versions),
		cmocka_unit_test(default_mem),
		cmocka_unit_test(report_units),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
