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

#include "charge.h"
#include "model.h"
#include "report.h"
#include "simulate.h"
#include "trend.h"

static struct model_in tcp_in(uint64_t usage, enum press_flag press)
{
	struct model_in in = { MODEL_PRESSURE, { usage, true }, true, { 2000, 3000, 4000 }, press,
			       { 510, true }, 1 };
	return in;
}

static struct model_in udp_in(uint64_t usage)
{
	struct model_in in = { MODEL_NO_PRESSURE, { usage, true }, true, { 2048, 4096, 8192 },
			       PRESS_NI, { 510, true }, 1 };
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
	assert_int_equal(classify(udp_in(2047), &out), MS_NORMAL);
	/* at min: the next charge is added first and is then above it
	 * (__sk_mem_raise_allocated), so only the guarantee admits it; the
	 * kernel matrix's 5.10 (an exact counter) stops UDP right at min */
	assert_int_equal(classify(udp_in(2048), &out), MS_LIMITED);
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
	assert_true(model_default_mem(MODEL_TCP_MEM, opt_some(383866ull * 16 * 4096), 4096, m));
	assert_int_equal(m[0], 287898);
	assert_int_equal(m[1], 383866);
	assert_int_equal(m[2], 575796);
	assert_true(model_default_mem(MODEL_TCP_MEM, opt_some(10 * 4096), 4096, m));
	assert_int_equal(m[1], 128);
	/* udp_init: the same shape from nr_free_buffer_pages / 8 */
	assert_true(model_default_mem(MODEL_UDP_MEM, opt_some(383866ull * 16 * 4096), 4096, m));
	assert_int_equal(m[1], 383866 * 2);
	assert_int_equal(m[0], 383866 * 2 / 4 * 3);
	assert_int_equal(m[2], 383866 * 2 / 4 * 3 * 2);
	/* 64 KiB pages: the same RAM is 16 times fewer pages */
	assert_true(model_default_mem(MODEL_TCP_MEM, opt_some(383866ull * 16 * 4096), 65536, m));
	assert_int_equal(m[1], 383866 / 16);
	/* RAM or page size not known: no default */
	assert_false(model_default_mem(MODEL_TCP_MEM, (struct opt){ 0, false }, 4096, m));
	assert_false(model_default_mem(MODEL_TCP_MEM, opt_some(1u << 30), 0, m));
}

/* The kernel's 3/4 : 1 : 3/2 shape around the limiting threshold. */
static void limits_for_pressure(void **state)
{
	uint64_t m[3];

	/* TCP: around the pressure threshold, as tcp_init_mem */
	model_limits_for_pressure(MODEL_PRESSURE, 383866, m);
	assert_int_equal(m[0], 287898);
	assert_int_equal(m[1], 383866);
	assert_int_equal(m[2], 575796);
	/* UDP: around min, its effective limit */
	model_limits_for_pressure(MODEL_NO_PRESSURE, 3000, m);
	assert_int_equal(m[0], 3000);
	assert_int_equal(m[1], 4000);
	assert_int_equal(m[2], 6000);
}

/* After changed limits: __sk_mem_raise_allocated leaves pressure on a charge
 * at allocated <= limit[0] (every version 4.19-7.2); above it the flag stays. */
static void state_after(void **state)
{
	/* usage exactly at the new min: the next charge leaves pressure */
	assert_int_equal(model_state_after(MS_PRESSURE, 2000, 2000), MS_NORMAL);
	/* one page above it: hysteresis, still pressure */
	assert_int_equal(model_state_after(MS_PRESSURE, 2001, 2000), MS_PRESSURE);
	/* no flag set: the classified state */
	assert_int_equal(model_state_after(MS_ELEVATED, 2500, 2000), MS_ELEVATED);
	assert_int_equal(model_state_after(MS_LIMITED, 2500, 2000), MS_LIMITED);
	assert_int_equal(model_state_after(MS_OVER_LIMIT, 5000, 2000), MS_OVER_LIMIT);
}

/* A synthetic host: sockstat text ss, pages of page_size_bytes, tcp_mem
 * min/pressure/max, every other input absent. */
static struct host *test_host(const char *ss, uint64_t page_size_bytes, uint64_t min,
			      uint64_t pressure, uint64_t max)
{
	struct host *h = calloc(1, sizeof(*h));
	struct parse_err e;
	int i;

	assert_non_null(h);
	assert_int_equal(sockstat_parse(ss, strlen(ss), &h->ss4, &e), 0);
	h->page_size_bytes = page_size_bytes;
	h->sockstat6_rc = -ENOENT;
	h->protocols_rc = h->netstat_rc = h->snmp_rc = -ENOENT;
	for (i = 0; i < SC_COUNT; i++)
		h->sysctl[i].rc = -ENOENT;
	h->sysctl[SC_TCP_MEM].rc = 0;
	h->sysctl[SC_TCP_MEM].v[0] = min;
	h->sysctl[SC_TCP_MEM].v[1] = pressure;
	h->sysctl[SC_TCP_MEM].v[2] = max;
	return h;
}

/* Report built from a synthetic host: the FRAG figure is bytes, TCP pages. */
static void report_units(void **state)
{
	struct host *h = test_host("sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 4 mem 10\n"
				   "UDP: inuse 0 mem 3\nFRAG: inuse 1 memory 10\n", 65536, 5, 8, 12);
	struct report *r = calloc(1, sizeof(*r));

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

/* The exact charge beside the published one: band 0, its own state, a note
 * when the two differ, a negative sum is no charge. */
static void report_exact(void **state)
{
	struct host *h = test_host("sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 4 mem 1900\n"
				   "UDP: inuse 0 mem 0\n", 4096, 1950, 3000, 4000);
	struct report *r = calloc(1, sizeof(*r));
	struct report_exact_in x;

	(void)state;
	report_build(r, h);
	assert_int_equal(r->proto[0].m.state, MS_NORMAL);
	memset(&x, 0, sizeof(x));
	x.ok[DP_TCP] = x.ok[DP_UDP] = true;
	x.global_pages[DP_TCP] = 1900;
	x.cached_pages[DP_TCP] = 100;		/* true charge 2000: above min */
	x.global_pages[DP_UDP] = -195;
	x.cached_pages[DP_UDP] = 190;		/* -5: read across a free */
	x.cpus[DP_TCP] = x.cpus[DP_UDP] = 2;
	report_add_exact(r, &x);
	assert_true(r->exact_ok);
	assert_int_equal(r->proto[0].usage_exact_pages.v, 2000);
	assert_int_equal(r->proto[0].usage_exact_bytes.v, 2000 * 4096);
	assert_int_equal(r->proto[0].exact_cached_pages, 100);
	assert_int_equal(r->proto[0].m_exact.state, MS_ELEVATED);
	assert_false(r->proto[0].m_exact.near[0]);		/* band 0 */
	assert_non_null(strstr(r->proto[0].exact_note, "elevated"));
	assert_int_equal(r->proto[1].usage_exact_pages.v, 0);
	assert_string_equal(r->proto[1].exact_note, "");	/* same state: no note */
	/* no sockets view: nothing to reconcile */
	assert_false(r->sk.recon[0].exact_ok);
	free(h);
	free(r);
}

/* kernel-audit 10: the band of the CPUs online now beside the possible
 * CPUs' one.  Read in Debian's linux-source 6.1.192, 6.12.117 and 7.2.13:
 * tcp_memory_per_cpu_fw_alloc / udp_memory_per_cpu_fw_alloc are
 * DEFINE_PER_CPU (net/ipv4/tcp.c, udp.c), touched only by
 * sk_memory_allocated_add/_sub and proto_memory_pcpu_drain, which drain the
 * running CPU's own cache (include/net/sock.h 6.1; include/net/proto_memory.h
 * 6.12, 7.2); net/ registers no CPU hotplug callback for them (net/core's
 * only one, CPUHP_NET_DEV_DEAD -> dev_cpu_dead, moves softnet queues).  A CPU
 * offlined since boot keeps its cache: online x is no bound, and the
 * possible CPUs' band still classifies and reconciles. */
static void report_online_band(void **state)
{
	struct host *h = test_host("sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 4 mem 1900\n"
				   "UDP: inuse 0 mem 0\n", 4096, 4000, 5000, 6000);
	struct report *r = calloc(1, sizeof(*r));
	struct sockets *agg = calloc(1, sizeof(*agg));
	struct sockdump_status st;

	(void)state;
	assert_int_equal(sysinfo_parse_osrelease("6.18.2\n", 7, &h->kver, &(struct parse_err){ 0 }), 0);
	h->sysctl[SC_MEM_PCPU_RSV].rc = 0;
	h->sysctl[SC_MEM_PCPU_RSV].v[0] = 256;
	h->possible_cpus = opt_some(240);	/* a VM's hotplug slots */
	h->online_cpus = opt_some(4);
	report_build(r, h);
	assert_int_equal(r->band_pages.v, 240 * 255);
	assert_true(r->band_online_pages.ok);
	assert_int_equal(r->band_online_pages.v, 4 * 255);
	assert_int_equal(r->band_online_bytes.v, 4 * 255 * 4096);
	/* min is 2100 pages away: within the possible band only, and near */
	assert_true(r->proto[0].m.near[0]);
	/* the reconciliation: residual 1800, inside 61200, outside 1020 */
	memset(&st, 0, sizeof(st));
	st.ok[DP_TCP] = st.ok[DP_UDP] = true;
	agg->sum[DP_TCP].charged_pages = 100;
	report_add_sockets(r, agg, &st, "test", 1, true);
	assert_int_equal(r->sk.recon[DP_TCP].residual_pages, 1800);
	assert_true(r->sk.recon[DP_TCP].within_band);
	assert_int_equal(r->sk.recon[DP_TCP].band_online_pages.v, 1020);
	assert_false(r->sk.recon[DP_TCP].within_online_band);
	assert_int_equal(r->sk.recon[DP_TCP].ncause, 0);	/* the possible band decides */
	/* the online CPUs unknown: unknown, the possible band still there */
	h->online_cpus.ok = false;
	report_build(r, h);
	assert_false(r->band_online_pages.ok);
	assert_true(r->band_pages.ok);
	/* before 6.0 the counter is exact: 0 either way */
	assert_int_equal(sysinfo_parse_osrelease("5.10.0\n", 7, &h->kver, &(struct parse_err){ 0 }), 0);
	h->sysctl[SC_MEM_PCPU_RSV].rc = -ENOENT;
	h->online_cpus = opt_some(4);
	report_build(r, h);
	assert_true(r->band_online_pages.ok);
	assert_int_equal(r->band_online_pages.v, 0);
	free(agg);
	free(h);
	free(r);
}

/* kernel-audit 11: the reconciliation's causes where the kernel has them.
 * Above the sum (sockstat > sockets): MPTCP connections not dumped
 * (mptcp_prot.memory_allocated = &tcp_memory_allocated, net/mptcp/protocol.c
 * 5.10.223-7.2.13), kTLS records (tls_sw.c via sk_msg_alloc(), tls_device.c
 * tls_push_record(): sk_mem_charge, in neither wmem_queued nor rmem_alloc),
 * sockmap sk_msg.  Below it: error-queue skbs (skbuff.c sock_queue_err_skb:
 * rmem_alloc without a charge, every version) and pure zerocopy skbs
 * (datagram.c __zerocopy_sg_from_iter: "if (!skb_zcopy_pure(skb))
 * sk_mem_charge", 6.1.192+, not in 5.10.223). */
static void report_recon_causes(void **state)
{
	static const char protos[] = "protocol  size sockets  memory press\n"
				     "MPTCPv6 2064 0 1900 no\nUDPLITEv6 1472 0 0 NI\n"
				     "UDP-Lite 1344 0 0 NI\nMPTCP 1936 2 1900 no\n"
				     "UDP 1344 1 0 NI\nTCP 2304 1 1900 no\n";
	struct host *h = test_host("sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 4 mem 1900\n"
				   "UDP: inuse 0 mem 0\n", 4096, 4000, 5000, 6000);
	struct report *r = calloc(1, sizeof(*r));
	struct sockets *agg = calloc(1, sizeof(*agg));
	struct sockdump_status st;
	struct parse_err e;
	const struct recon_report *c = &r->sk.recon[DP_TCP];
	int i;
	bool mptcp = false, tls = false, sockmap = false, errq = false, zc = false;

	(void)state;
	assert_int_equal(protocols_parse(protos, strlen(protos), &h->protos, &e), 0);
	h->protocols_rc = 0;
	assert_int_equal(sysinfo_parse_osrelease("6.18.2\n", 7, &h->kver, &e), 0);
	h->possible_cpus = opt_some(2);
	h->tls.ok = true;
	h->tls.curr_tx_sw = 3;
	memset(&st, 0, sizeof(st));
	st.ok[DP_TCP] = st.ok[DP_UDP] = true;
	snprintf(st.not_dumped[DD_MPTCP], sizeof(st.not_dumped[0]),
		 "this kernel has no MPTCP sock_diag dump (No such file or directory)");
	st.dumped[DD_UDPLITE] = true;
	agg->sum[DP_TCP].charged_pages = 100;		/* residual +1800, band 510 */
	report_build(r, h);
	report_add_sockets(r, agg, &st, "test", 1, true);
	assert_false(c->within_band);
	assert_string_equal(c->sharing_name, "mptcp");
	assert_false(c->sharing_dumped);
	assert_int_equal(c->sharing_in_use.v, 2);
	for (i = 0; i < c->ncause; i++) {
		mptcp |= strstr(c->cause[i], "2 MPTCP sockets in use") != NULL &&
			 strstr(c->cause[i], "no MPTCP sock_diag dump") != NULL;
		tls |= strstr(c->cause[i], "3 kTLS sockets sending") != NULL;
		sockmap |= strstr(c->cause[i], "sockmap") != NULL;
		errq |= strstr(c->cause[i], "error queues") != NULL;
	}
	assert_true(mptcp);
	assert_true(tls);
	assert_true(sockmap);
	assert_false(errq);
	/* UDP: UDP-Lite dumped, no UDP-only causes of TCP */
	assert_true(r->sk.recon[DP_UDP].sharing_dumped);
	/* the MPTCP dump there: no such cause */
	st.dumped[DD_MPTCP] = true;
	report_build(r, h);
	report_add_sockets(r, agg, &st, "test", 1, true);
	for (i = 0; i < c->ncause; i++)
		assert_null(strstr(c->cause[i], "MPTCP sockets in use"));
	/* a snapshot: not known whether the recording holds them: no cause */
	st.dumped[DD_MPTCP] = false;
	snprintf(h->root, sizeof(h->root), "/tmp/tree");
	report_build(r, h);
	report_add_sockets(r, agg, &st, "test", 1, true);
	for (i = 0; i < c->ncause; i++)
		assert_null(strstr(c->cause[i], "MPTCP"));
	h->root[0] = '\0';

	/* below the sum: error queues, and zerocopy on 6.1+ */
	agg->sum[DP_TCP].charged_pages = 3000;
	report_build(r, h);
	report_add_sockets(r, agg, &st, "test", 1, true);
	for (i = 0; i < c->ncause; i++) {
		errq |= strstr(c->cause[i], "error queues") != NULL;
		zc |= strstr(c->cause[i], "MSG_ZEROCOPY senders") != NULL;
		assert_null(strstr(c->cause[i], "kTLS"));
	}
	assert_true(errq);
	assert_true(zc);
	assert_int_equal(sysinfo_parse_osrelease("5.15.0\n", 7, &h->kver, &e), 0);
	h->sockstat_rc = 0;
	report_build(r, h);
	report_add_sockets(r, agg, &st, "test", 1, true);
	for (i = 0; i < c->ncause; i++)
		assert_null(strstr(c->cause[i], "MSG_ZEROCOPY senders"));
	free(agg);
	free(h);
	free(r);
}

/* A TCP receive charge on 6.18 with tcp_mem 2000 3000 4000, one page. */
static struct model_charge_in charge_in(uint64_t allocated, bool pressure)
{
	struct model_charge_in in = { 0 };

	in.kind = MODEL_PRESSURE;
	in.dir = CHARGE_RECV;
	in.stream = true;
	in.kver_major = 6;
	in.kver_minor = 18;
	in.allocated_pages = allocated;
	in.limit_pages[0] = 2000;
	in.limit_pages[1] = 3000;
	in.limit_pages[2] = 4000;
	in.global_pressure = pressure;
	in.amt_pages = 1;
	in.size_bytes = 2304;
	in.rmem_alloc_bytes = 65536;
	in.fwd_alloc_bytes = 4096;
	in.sndbuf_bytes = 16384;
	in.rmem0_bytes = 4096;
	in.wmem0_bytes = 4096;
	in.sockets_allocated = 100;
	in.page_size_bytes = 4096;
	return in;
}

static enum model_branch charge(struct model_charge_in in, struct model_charge_out *out)
{
	model_charge(&in, out);
	return out->branch;
}

static void charge_branches(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in;

	/* under min: success, leaves pressure */
	assert_int_equal(charge(charge_in(2000, true), &o), MBR_UNDER_MIN);
	assert_true(o.accepted && o.leave_pressure && !o.enter_pressure);
	/* hysteresis band, flag clear: success, no pressure entered */
	assert_int_equal(charge(charge_in(2500, false), &o), MBR_NOT_IN_PRESSURE);
	assert_true(o.accepted && !o.enter_pressure && !o.leave_pressure);
	/* hysteresis band, flag set: fair share decides (17 pages * 100 < 4000) */
	assert_int_equal(charge(charge_in(2500, true), &o), MBR_FAIR_SHARE);
	assert_true(o.accepted && !o.leave_pressure);
	/* above pressure: enters it */
	assert_int_equal(charge(charge_in(3001, false), &o), MBR_FAIR_SHARE);
	assert_true(o.enter_pressure && o.accepted);
	/* above pressure, socket above its fair share: 17 pages * 300 >= 4000 */
	in = charge_in(3500, true);
	in.sockets_allocated = 300;
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	assert_false(o.accepted);
	/* above max: refused even for a small socket... */
	assert_int_equal(charge(charge_in(4001, true), &o), MBR_OVER_MAX);
	assert_false(o.accepted);
	/* ...and pressure is entered on the way */
	assert_int_equal(charge(charge_in(4001, false), &o), MBR_OVER_MAX);
	assert_true(o.enter_pressure);
	/* minimum guarantees hold under pressure, not above max */
	in = charge_in(3500, true);
	in.sockets_allocated = 1000;
	in.rmem_alloc_bytes = 2000;
	assert_int_equal(charge(in, &o), MBR_RMEM0);
	assert_true(o.accepted);
	in.allocated_pages = 4001;
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	/* send: tcp_wmem[0] guarantee on wmem_queued */
	in = charge_in(3500, true);
	in.dir = CHARGE_SEND;
	in.sockets_allocated = 1000;
	in.wmem_queued_bytes = 1000;
	assert_int_equal(charge(in, &o), MBR_WMEM0);
	/* send refused below sndbuf: moderated and failed (SO_SNDBUF set, so
	 * sk_stream_moderate_sndbuf() leaves sndbuf alone) */
	in.wmem_queued_bytes = 8192;
	in.sndbuf_bytes = 65536;
	in.sndbuf_locked = true;
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	assert_true(o.sndbuf_moderated && !o.accepted);
	/* send refused at or over sndbuf: kept (forced) */
	in.sndbuf_bytes = 8192;
	charge(in, &o);
	assert_true(o.kept_over_sndbuf && o.accepted);
}

static void charge_udp(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(2049, false);

	in.kind = MODEL_NO_PRESSURE;
	in.stream = false;
	in.limit_pages[0] = 2048;
	in.limit_pages[1] = 4096;
	in.limit_pages[2] = 8192;
	/* experiment 11.2: above udp_mem[0], a socket holding >= udp_rmem_min is refused */
	in.rmem_alloc_bytes = 6912;
	assert_int_equal(charge(in, &o), MBR_NO_PRESSURE_PROTO);
	assert_false(o.accepted);
	assert_false(o.enter_pressure); /* no pressure state for UDP */
	/* ... one under it may still grow */
	in.rmem_alloc_bytes = 2304;
	assert_int_equal(charge(in, &o), MBR_RMEM0);
	assert_true(o.accepted);
	/* crossing udp_mem[1] changes nothing */
	in.allocated_pages = 5000;
	in.rmem_alloc_bytes = 6912;
	assert_int_equal(charge(in, &o), MBR_NO_PRESSURE_PROTO);
	assert_false(o.enter_pressure);
	/* UDP send: wmem_alloc against udp_wmem_min (not stream) */
	in.dir = CHARGE_SEND;
	in.wmem_alloc_bytes = 100;
	assert_int_equal(charge(in, &o), MBR_WMEM0);
}

static void charge_versions(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(2500, false);

	/* memcg pressure without global pressure: since 6.7 the fair-share
	 * test is skipped (global flag only); before 6.7 it applied. */
	in.memcg_enabled = in.memcg_charge_ok = in.memcg_pressure = true;
	in.sockets_allocated = 1000;
	assert_int_equal(charge(in, &o), MBR_NOT_IN_PRESSURE);
	in.kver_minor = 1;
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	/* memcg refusal suppresses whatever the global says */
	in = charge_in(10, false);
	in.memcg_enabled = true;
	in.memcg_charge_ok = false;
	assert_int_equal(charge(in, &o), MBR_MEMCG_REFUSED);
	assert_false(o.accepted);
	/* 6.19 bypass: the global is not consulted */
	in = charge_in(5000, true);
	in.kver_minor = 19;
	in.bypass = true;
	assert_int_equal(charge(in, &o), MBR_BYPASS);
	assert_true(o.accepted);
	/* the same socket on 6.18: no such thing, over max */
	in.kver_minor = 18;
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	/* a global clamped to 0 */
	in = charge_in(0, true);
	in.kver_minor = 19;
	assert_int_equal(charge(in, &o), MBR_ZERO_ALLOCATED);
	in.kver_minor = 18;
	assert_int_equal(charge(in, &o), MBR_UNDER_MIN);
	assert_true(o.leave_pressure);
	/* the free path leaves pressure only strictly below min */
	assert_true(model_free_leaves_pressure(1999, 2000, true));
	assert_false(model_free_leaves_pressure(2000, 2000, true));
	assert_false(model_free_leaves_pressure(100, 2000, false));
}

/* kernel-audit 8: net/core/sock.c __sk_mem_raise_allocated uses
 * sk_under_memory_pressure() (global OR memcg) in 6.6.63 and
 * sk_under_global_memory_pressure() in 6.12 ("sock: Fix improper heuristic
 * on raising memory", the 6.7 series), not 6.5. */
static void charge_fair_share_6_7(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(2500, false);

	in.memcg_enabled = in.memcg_charge_ok = in.memcg_pressure = true;
	in.sockets_allocated = 1000;	/* 17 pages * 1000 >= 4000: over the fair share */
	/* applies: 6.5 and 6.6 still count memcg pressure */
	in.kver_minor = 6;
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	assert_false(o.accepted);
	in.kver_minor = 5;
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	/* does not apply: 6.7 and later look at the global flag only */
	in.kver_minor = 7;
	assert_int_equal(charge(in, &o), MBR_NOT_IN_PRESSURE);
	assert_true(o.accepted);
	in.kver_major = 7;
	in.kver_minor = 2;
	assert_int_equal(charge(in, &o), MBR_NOT_IN_PRESSURE);
	/* without memcg pressure the version does not matter */
	in = charge_in(2500, false);
	in.kver_minor = 6;
	in.sockets_allocated = 1000;
	assert_int_equal(charge(in, &o), MBR_NOT_IN_PRESSURE);
}

/* kernel-model.md 0.11: a charge leaves pressure at allocated <= limit[0]
 * ("Under limit"), enters it at > limit[1], fails at > limit[2]; the free
 * path leaves only at < limit[0] (__sk_mem_raise_allocated /
 * __sk_mem_reduce_allocated, 4.19 to 7.2). */
static void charge_boundaries(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in;

	/* at min: under limit; one above: not */
	assert_int_equal(charge(charge_in(2000, true), &o), MBR_UNDER_MIN);
	assert_true(o.leave_pressure);
	assert_int_not_equal(charge(charge_in(2001, true), &o), MBR_UNDER_MIN);
	assert_false(o.leave_pressure);
	/* at pressure: not entered; one above: entered */
	charge(charge_in(3000, false), &o);
	assert_false(o.enter_pressure);
	charge(charge_in(3001, false), &o);
	assert_true(o.enter_pressure);
	/* at max: not over (a small socket still gets its fair share); one above: over */
	in = charge_in(4000, true);
	in.sockets_allocated = 10;
	assert_int_equal(charge(in, &o), MBR_FAIR_SHARE);
	in.allocated_pages = 4001;
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	/* the free path: strictly below min */
	assert_true(model_free_leaves_pressure(1999, 2000, true));
	assert_false(model_free_leaves_pressure(2000, 2000, true));
	/* the classification agrees: normal at min, over-limit only above max */
	{
		struct model_out mo;

		assert_int_equal(classify(tcp_in(2000, PRESS_NO), &mo), MS_NORMAL);
		assert_int_equal(classify(tcp_in(4000, PRESS_YES), &mo), MS_PRESSURE);
		assert_int_equal(classify(tcp_in(4001, PRESS_YES), &mo), MS_OVER_LIMIT);
		assert_int_equal(classify(udp_in(8192), &mo), MS_LIMITED);
		assert_int_equal(classify(udp_in(8193), &mo), MS_OVER_LIMIT);
	}
}

/* kernel-audit 2/3: the UDP guarantee by version, and none above udp_mem[2].
 * net/ipv4/udp.c __udp_enqueue_schedule_skb: 4.19/6.1/6.12 add the skb to
 * sk_rmem_alloc before the charge; 6.18+ charge before adding the batch. */
static void charge_udp_versions(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(2049, false);

	in.kind = MODEL_NO_PRESSURE;
	in.stream = false;
	in.limit_pages[0] = 2048;
	in.limit_pages[1] = 4096;
	in.limit_pages[2] = 8192;
	/* the second 1000-byte datagram (truesize 2304) of experiment 11.2 */
	assert_int_equal(model_udp_rmem_seen(6, 12, 2304, 2304), 4608);
	assert_int_equal(model_udp_rmem_seen(6, 17, 2304, 2304), 4608);
	assert_int_equal(model_udp_rmem_seen(4, 19, 2304, 2304), 4608);
	assert_int_equal(model_udp_rmem_seen(6, 18, 2304, 2304), 2304);
	assert_int_equal(model_udp_rmem_seen(7, 2, 2304, 2304), 2304);
	/* <= 6.17: refused, one page per socket */
	in.kver_minor = 12;
	in.rmem_alloc_bytes = model_udp_rmem_seen(6, 12, 2304, 2304);
	assert_int_equal(charge(in, &o), MBR_NO_PRESSURE_PROTO);
	assert_false(o.accepted);
	/* 6.18: admitted (the 2 pages measured on 6.18.44) */
	in.kver_minor = 18;
	in.rmem_alloc_bytes = model_udp_rmem_seen(6, 18, 2304, 2304);
	assert_int_equal(charge(in, &o), MBR_RMEM0);
	assert_true(o.accepted);
	/* <= 6.17: a datagram of udp_rmem_min or more is refused by an empty socket */
	in.kver_minor = 12;
	in.rmem_alloc_bytes = model_udp_rmem_seen(6, 12, 0, 4096);
	assert_int_equal(charge(in, &o), MBR_NO_PRESSURE_PROTO);
	in.rmem_alloc_bytes = model_udp_rmem_seen(6, 12, 0, 2304);
	assert_int_equal(charge(in, &o), MBR_RMEM0);
	/* above udp_mem[2]: the guarantee does not apply, even to an empty socket */
	in.allocated_pages = 8193;
	in.rmem_alloc_bytes = 0;
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	assert_false(o.accepted);
	/* ... and at udp_mem[2] it still does */
	in.allocated_pages = 8192;
	assert_int_equal(charge(in, &o), MBR_RMEM0);
}

/* Above tcp_mem[2] no guarantee either: only forced charges pass (kernel-model.md 0.3). */
static void charge_tcp_over_max_no_guarantee(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(4001, true);

	in.rmem_alloc_bytes = 0;	/* under tcp_rmem[0] */
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	assert_false(o.accepted);
	in.allocated_pages = 3999;	/* below max the same socket is guaranteed */
	assert_int_equal(charge(in, &o), MBR_RMEM0);
	in = charge_in(4001, true);
	in.dir = CHARGE_SEND;
	in.wmem_queued_bytes = 0;	/* under tcp_wmem[0], sndbuf not reached */
	in.size_bytes = 2304;
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	assert_false(o.accepted);
}

/* include/net/sock.h sk_stream_moderate_sndbuf() (4.19, 6.1, 6.12): the
 * suppress branch first shrinks sndbuf to max(min(sndbuf, wmem_queued/2),
 * SOCK_MIN_SNDBUF), then keeps the charge if wmem_queued + size >= sndbuf. */
static void charge_sndbuf_moderation(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(3500, true);

	in.dir = CHARGE_SEND;
	in.sockets_allocated = 1000;
	in.wmem_queued_bytes = 8192;
	in.sndbuf_bytes = 65536;
	/* applies: not locked, moderated to 4608, 8192 + 2304 >= 4608: kept */
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	assert_int_equal(o.sndbuf_after_bytes, MODEL_SOCK_MIN_SNDBUF);
	assert_true(o.sndbuf_moderated && o.kept_over_sndbuf && o.accepted);
	/* a large queue: moderated to half of it */
	in.wmem_queued_bytes = 40960;
	charge(in, &o);
	assert_int_equal(o.sndbuf_after_bytes, 20480);
	assert_true(o.accepted);
	/* does not apply: an empty queue stays under the 4608 floor: refused */
	in.wmem_queued_bytes = 0;
	in.wmem0_bytes = 0;
	charge(in, &o);
	assert_true(o.sndbuf_moderated && !o.accepted);
	/* does not apply: SO_SNDBUF locked, sndbuf unchanged: refused */
	in.wmem_queued_bytes = 8192;
	in.sndbuf_locked = true;
	charge(in, &o);
	assert_int_equal(o.sndbuf_after_bytes, 65536);
	assert_false(o.accepted);
	/* receive charges never moderate */
	in = charge_in(3500, true);
	in.sockets_allocated = 1000;
	charge(in, &o);
	assert_false(o.sndbuf_moderated);
}

/* kernel-audit 1: 4.19.0-5.15.215 include/net/sock.h SK_MEM_QUANTUM 4096,
 * sk_prot_mem_limits() "val <<= PAGE_SHIFT - SK_MEM_QUANTUM_SHIFT",
 * sk_mem_pages() rounds to 4096; 6.1.192: PAGE_SIZE again. */
static void mem_quantum(void **state)
{
	struct model_charge_out o;
	struct model_charge_in in = charge_in(5000, false);
	struct model_out mo;
	struct model_in mi;

	/* the unit */
	assert_int_equal(model_mem_unit_bytes(5, 15, 65536), 4096);
	assert_int_equal(model_mem_unit_bytes(4, 19, 16384), 4096);
	assert_int_equal(model_mem_unit_bytes(4, 11, 65536), 4096);
	assert_int_equal(model_mem_unit_bytes(4, 10, 65536), 65536);
	assert_int_equal(model_mem_unit_bytes(6, 0, 65536), 65536);
	assert_int_equal(model_mem_unit_bytes(6, 1, 65536), 65536);
	assert_int_equal(model_mem_unit_bytes(5, 15, 4096), 4096);
	assert_int_equal(model_mem_unit_bytes(0, 0, 65536), 65536); /* not known: newest */
	assert_int_equal(model_units_per_page(5, 4, 65536), 16);
	assert_int_equal(model_units_per_page(5, 4, 16384), 4);
	assert_int_equal(model_units_per_page(6, 1, 65536), 1);
	assert_int_equal(model_limit_in_units(23992, 5, 15, 65536), 23992 * 16);
	assert_int_equal(model_limit_in_units(23992, 6, 1, 65536), 23992);
	/* applies: 5.15 on 64 KiB pages, tcp_mem 2000 3000 4000 pages are
	 * 32000/48000/64000 quanta, so 5000 quanta is under min */
	in.page_size_bytes = 65536;
	in.kver_major = 5;
	in.kver_minor = 15;
	assert_int_equal(charge(in, &o), MBR_UNDER_MIN);
	/* does not apply: 6.1 on 64 KiB pages counts pages, 5000 > 4000 */
	in.kver_major = 6;
	in.kver_minor = 1;
	assert_int_equal(charge(in, &o), MBR_OVER_MAX);
	/* the fair share rounds to the quantum: 69632 bytes are 17 quanta
	 * (17 * 3000 < 4000 * 16: within it) but 2 pages of 64 KiB
	 * (2 * 3000 >= 4000: over it) */
	in = charge_in(3500 * 16, true);
	in.page_size_bytes = 65536;
	in.kver_major = 5;
	in.kver_minor = 10;
	in.sockets_allocated = 3000;
	assert_int_equal(charge(in, &o), MBR_FAIR_SHARE);
	in = charge_in(3500, true);
	in.page_size_bytes = 65536;
	in.kver_minor = 1;
	in.sockets_allocated = 3000;
	assert_int_equal(charge(in, &o), MBR_OVER_FAIR_SHARE);
	/* the classification: kernel-audit 1's tree, sockstat mem 25600 on a
	 * 5.15 64 KiB kernel with tcp_mem 17994 23992 35988 is 6.7% of the
	 * pressure threshold, not above it */
	mi = tcp_in(25600, PRESS_NO);
	mi.limit_pages[0] = 17994;
	mi.limit_pages[1] = 23992;
	mi.limit_pages[2] = 35988;
	mi.units_per_page = model_units_per_page(5, 15, 65536);
	assert_int_equal(classify(mi, &mo), MS_NORMAL);
	assert_true(mo.pct[1] > 6.6 && mo.pct[1] < 6.8);
	assert_int_equal(mo.headroom_pages[1], 23992 * 16 - 25600);
	/* ... and the same figures on 6.1 are above it */
	mi.units_per_page = model_units_per_page(6, 1, 65536);
	assert_int_equal(classify(mi, &mo), MS_ELEVATED);
}

static struct simulate_in sim_tcp(uint64_t usage, uint64_t add, uint64_t bytes)
{
	struct simulate_in in = { 0 };

	in.kind = MODEL_PRESSURE;
	in.dir = CHARGE_RECV;
	in.usage_pages = usage;
	in.limit_pages[0] = 2000;
	in.limit_pages[1] = 3000;
	in.limit_pages[2] = 4000;
	in.press = PRESS_NO;
	in.band_pages = 0;
	in.sockets_now = 10;
	in.add_sockets = add;
	in.bytes_per_socket = bytes;
	in.page_size_bytes = 4096;
	in.guarantee_bytes = 4096;
	in.skb_bytes = 65536;
	in.kver_major = 6;
	in.kver_minor = 18;
	return in;
}

static const struct simulate_transition *sim_find(const struct simulate_out *o, enum sim_event e)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (o->t[i].event == e)
			return &o->t[i];
	return NULL;
}

static void simulate_tcp(void **state)
{
	struct simulate_in in = sim_tcp(0, 1000, 16 * 4096);
	struct simulate_out o;
	const struct simulate_transition *t;

	simulate_run(&in, &o);
	assert_int_equal(o.pages_per_socket, 16);
	/* 16 pages each: above min at the 126th (2016 > 2000) */
	t = sim_find(&o, SIM_ABOVE_MIN);
	assert_non_null(t);
	assert_int_equal(t->at_added_sockets, 126);
	assert_int_equal(t->to_state, MS_ELEVATED);
	/* pressure: the 188th socket's charges cross 3000 (187 * 16 = 2992) */
	t = sim_find(&o, SIM_ENTER_PRESSURE);
	assert_non_null(t);
	assert_int_equal(t->at_added_sockets, 188);
	assert_int_equal(t->to_state, MS_PRESSURE);
	/* every new socket still gets its first 64 KiB skb: past max */
	t = sim_find(&o, SIM_OVER_MAX);
	assert_non_null(t);
	assert_int_equal(t->at_added_sockets, 251);
	assert_int_equal(o.final_state, MS_OVER_LIMIT);
	assert_true(o.final_pressure);
	assert_int_equal(o.final_usage_pages, 16000);
	assert_int_equal(o.sockets_capped, 0);
}

static void simulate_fair_share(void **state)
{
	/* 256 KiB sockets arriving as one-page segments: the first gets the
	 * tcp_rmem[0] guarantee; under pressure the fair share 3999 / sockets
	 * caps the rest (201 * 19 < 4000 <= 201 * 20) */
	struct simulate_in in = sim_tcp(2900, 100, 64 * 4096);
	struct simulate_out o;
	const struct simulate_transition *t;

	in.press = PRESS_YES;
	in.sockets_now = 200;
	in.skb_bytes = 4096;
	simulate_run(&in, &o);
	t = sim_find(&o, SIM_CAPPED);
	assert_non_null(t);
	assert_int_equal(t->at_added_sockets, 1);
	assert_int_equal(t->capped_pages, 19);	/* the fair share 3999 / 201 */
	assert_true(o.sockets_capped > 0);
	assert_true(o.admitted_pages < o.wanted_pages);
}

static void simulate_band_and_next_charge(void **state)
{
	struct simulate_in in = sim_tcp(3500, 100, 16 * 4096);
	struct simulate_out o;
	const struct simulate_transition *t;

	/* a lowered limit below the usage: pressure at the next charge */
	simulate_run(&in, &o);
	t = sim_find(&o, SIM_ENTER_PRESSURE);
	assert_non_null(t);
	assert_int_equal(t->at_added_sockets, 0);
	/* the band widens the crossing of max into a range */
	in = sim_tcp(0, 1000, 16 * 4096);
	in.band_pages = 160;
	simulate_run(&in, &o);
	t = sim_find(&o, SIM_ENTER_PRESSURE);
	assert_int_equal(t->at_added_low, 178);  /* 178 * 16 = 2848 > 3000 - 160 */
	assert_int_equal(t->at_added_high, 198); /* 198 * 16 = 3168 > 3000 + 160 */
}

static void simulate_udp(void **state)
{
	struct simulate_in in = sim_tcp(2049, 100, 16 * 4096);
	struct simulate_out o;
	const struct simulate_transition *t;

	in.kind = MODEL_NO_PRESSURE;
	in.press = PRESS_NI;
	in.limit_pages[0] = 2048;
	in.limit_pages[1] = 4096;
	in.limit_pages[2] = 8192;
	in.skb_bytes = 2304;	/* 1000-byte datagrams, as in experiment 11.2 (6.18.44) */
	simulate_run(&in, &o);
	assert_null(sim_find(&o, SIM_ENTER_PRESSURE)); /* no pressure state */
	t = sim_find(&o, SIM_CAPPED);
	assert_non_null(t);
	assert_int_equal(t->capped_pages, 2); /* about two pages each (11.2) */
	assert_int_equal(o.final_state, MS_LIMITED);
	assert_false(o.final_pressure);
}

/* The simulator decides through model_charge(): the same socket with the
 * same figures as a direct model_charge() call. */
static void simulate_through_charge(void **state)
{
	struct simulate_in in = sim_tcp(2900, 1, 64 * 4096);
	struct simulate_out o;
	struct model_charge_in ci = charge_in(2900 + 16, true);
	struct model_charge_out co;
	const struct simulate_transition *t;

	/* 64 KiB skbs: the first is guaranteed (rmem 0 < tcp_rmem[0]); the
	 * second asks for 16 pages with rmem 65536: the fair-share test counts
	 * the skb being charged, 201 * 32 >= 4000, and refuses it whole */
	in.press = PRESS_YES;
	in.sockets_now = 200;
	simulate_run(&in, &o);
	t = sim_find(&o, SIM_CAPPED);
	assert_non_null(t);
	assert_int_equal(t->capped_pages, 16);
	assert_true(o.charges >= 2);
	ci.rmem_alloc_bytes = 65536;
	ci.amt_pages = 16;
	ci.size_bytes = 65536;
	ci.fwd_alloc_bytes = 16 * 4096;
	ci.sockets_allocated = 201;
	ci.allocated_pages = 2916 + 16;
	assert_int_equal(charge(ci, &co), MBR_OVER_FAIR_SHARE);
	ci.rmem_alloc_bytes = 0;
	ci.allocated_pages = 2916;
	assert_int_equal(charge(ci, &co), MBR_RMEM0);
	/* under min in one run: a large socket costs few charges (fast-forward) */
	in = sim_tcp(0, 1, 1024 * 4096);
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 1024);
	assert_true(o.charges <= 4);
	assert_int_equal(o.sockets_full, 1);
}

/* The first skb into an empty receive queue is forced (tcp_data_queue,
 * sk_forced_mem_schedule): 4.19-6.1 outright, 6.6+ after the normal charge
 * failed.  Either way above max each new socket holds it. */
static void simulate_forced_first_skb_recv(void **state)
{
	struct simulate_in in = sim_tcp(5000, 10, 32 * 4096);
	struct simulate_out o;
	struct simulate_socket k = { 0 };
	uint64_t u = 5000;

	/* applies: TCP receive, 16 pages forced whatever the usage */
	assert_int_equal(simulate_forced_first_skb(&in, &k, 65536, &u), 16);
	assert_int_equal(u, 5016);
	assert_true(k.forced);
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 5000 + 10 * 16);
	assert_int_equal(o.sockets_capped, 10);
	assert_int_equal(sim_find(&o, SIM_CAPPED)->capped_pages, 16);
	/* 6.1: forced outright, no charge attempted for it; 6.18: one attempt
	 * (refused over max) before it, then the second skb's refusal */
	in.kver_minor = 1;
	in.add_sockets = 1;
	simulate_run(&in, &o);
	assert_int_equal(o.charges, 1);
	in.kver_minor = 18;
	simulate_run(&in, &o);
	assert_int_equal(o.charges, 2);
	/* does not apply: UDP has no forced charge, over max a socket gets nothing */
	in.kind = MODEL_NO_PRESSURE;
	in.skb_bytes = 2304;
	in.limit_pages[2] = 4000;
	memset(&k, 0, sizeof(k));
	u = 5000;
	assert_int_equal(simulate_forced_first_skb(&in, &k, 2304, &u), 0);
	assert_false(k.forced);
	in.add_sockets = 10;
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 5000);
	assert_int_equal(o.admitted_pages, 0);
}

/* TCP send above max (kernel-audit 6): the forced head of the first skb;
 * a charge the suppress path keeps because wmem_queued + size reaches the
 * moderated sndbuf; and since 6.0 tcp_wmem_schedule() forcing up to
 * tcp_wmem[0] when the charge is refused. */
static void simulate_send_over_max(void **state)
{
	struct simulate_in in = sim_tcp(5000, 10, 16 * 4096);
	struct simulate_out o;

	in.dir = CHARGE_SEND;
	in.skb_bytes = 32768;
	in.guarantee_bytes = 8192;	/* tcp_wmem[0] of two pages */
	/* 32 KiB copies: head (1 page, 3072 bytes left), then 29696 bytes
	 * asked: sndbuf moderated to 4608 <= 1024 + 29696, kept (8 pages),
	 * then the sender blocks: 9 pages, on every version */
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 5000 + 10 * 9);
	assert_int_equal(o.sockets_capped, 10);
	in.kver_major = 5;
	in.kver_minor = 15;
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 5000 + 10 * 9);
	/* 2 KiB copies: the second asks for 1024 bytes with 3072 queued, 4096 <
	 * 4608: refused; 6.0+ forces min(8192 - 3072, 2048): one more page */
	in.skb_bytes = 2048;
	in.kver_major = 6;
	in.kver_minor = 18;
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 5000 + 10 * 2);
	/* 5.15: no tcp_wmem_schedule(), only the head */
	in.kver_major = 5;
	in.kver_minor = 15;
	simulate_run(&in, &o);
	assert_int_equal(o.final_usage_pages, 5000 + 10 * 1);
}

/* kernel-audit 2 in the simulator: above udp_mem[0] a 6.12 socket gets one
 * page of 1000-byte datagrams, a 6.18 socket two. */
static void simulate_udp_versions(void **state)
{
	struct simulate_in in = sim_tcp(2049, 100, 16 * 4096);
	struct simulate_out o;

	in.kind = MODEL_NO_PRESSURE;
	in.press = PRESS_NI;
	in.limit_pages[0] = 2048;
	in.limit_pages[1] = 4096;
	in.limit_pages[2] = 8192;
	in.skb_bytes = 2304;
	in.kver_minor = 12;
	simulate_run(&in, &o);
	assert_int_equal(sim_find(&o, SIM_CAPPED)->capped_pages, 1);
	assert_int_equal(o.final_usage_pages, 2049 + 100);
	in.kver_minor = 18;
	simulate_run(&in, &o);
	assert_int_equal(sim_find(&o, SIM_CAPPED)->capped_pages, 2);
	/* <= 6.17 a datagram of udp_rmem_min or more is dropped even by an empty socket */
	in.kver_minor = 12;
	in.skb_bytes = 4096;
	simulate_run(&in, &o);
	assert_int_equal(sim_find(&o, SIM_CAPPED)->capped_pages, 0);
	in.kver_minor = 18;
	simulate_run(&in, &o);
	assert_int_equal(sim_find(&o, SIM_CAPPED)->capped_pages, 1);
	/* below min every datagram is admitted */
	in = sim_tcp(0, 10, 16 * 4096);
	in.kind = MODEL_NO_PRESSURE;
	in.press = PRESS_NI;
	in.skb_bytes = 2304;
	simulate_run(&in, &o);
	assert_int_equal(o.sockets_capped, 0);
	assert_int_equal(o.final_usage_pages, 10 * 16);
}

/* kernel-audit 1 in the simulator: a 5.15 kernel on 64 KiB pages counts
 * 4096-byte quanta and scales tcp_mem by 16. */
static void simulate_quantum(void **state)
{
	struct simulate_in in = sim_tcp(0, 100, 16 * 4096);
	struct simulate_out o;

	in.page_size_bytes = 65536;
	in.kver_major = 5;
	in.kver_minor = 15;
	simulate_run(&in, &o);
	assert_int_equal(o.unit_bytes, 4096);
	assert_int_equal(o.pages_per_socket, 16);
	assert_null(sim_find(&o, SIM_ABOVE_MIN));	/* 1600 quanta < 32000 */
	assert_int_equal(o.final_usage_pages, 1600);
	/* 6.1 on the same pages: 1 page per socket, above min at the 2001st */
	in.kver_minor = 1;
	in.kver_major = 6;
	in.add_sockets = 2001;
	simulate_run(&in, &o);
	assert_int_equal(o.unit_bytes, 65536);
	assert_int_equal(o.pages_per_socket, 1);
	assert_int_equal(sim_find(&o, SIM_ABOVE_MIN)->at_added_sockets, 2001);
}

/* Over max every further socket gets the same: the rest is extrapolated,
 * the crossing of RAM included. */
static void simulate_steady_state(void **state)
{
	struct simulate_in in = sim_tcp(5000, SIM_MAX_ADD, 32 * 4096);
	struct simulate_out o;
	const struct simulate_transition *t;

	in.mem_total_bytes = opt_some(1000000ull * 4096);
	simulate_run(&in, &o);
	assert_true(o.charges < 100);
	assert_int_equal(o.final_usage_pages, 5000 + SIM_MAX_ADD * 16);
	assert_int_equal(o.sockets_capped, SIM_MAX_ADD);
	t = sim_find(&o, SIM_OVER_RAM);
	assert_non_null(t);
	/* 5000 + k * 16 > 1000000 first at k = 62188 */
	assert_int_equal(t->at_added_sockets, 62188);
	assert_int_equal(t->at_usage_pages, 5000 + 62188 * 16);
	/* below the limits every socket gets its size: skipped to just before
	 * each crossing, which still falls on the exact socket */
	in = sim_tcp(0, SIM_MAX_ADD, 16 * 4096);
	in.limit_pages[0] = 200000000;
	in.limit_pages[1] = 300000000;
	in.limit_pages[2] = 400000000;
	in.band_pages = 510;
	simulate_run(&in, &o);
	assert_true(o.charges < 1000);
	t = sim_find(&o, SIM_ABOVE_MIN);
	assert_int_equal(t->at_added_sockets, 200000000 / 16 + 1);
	assert_int_equal(t->at_added_low, (200000000 - 510) / 16 + 1);
	assert_int_equal(t->at_added_high, (200000000 + 510) / 16 + 1);
	t = sim_find(&o, SIM_ENTER_PRESSURE);
	assert_int_equal(t->at_added_sockets, 300000000 / 16 + 1);
	t = sim_find(&o, SIM_OVER_MAX);
	assert_int_equal(t->at_added_sockets, 400000000 / 16 + 1);
	/* over max each still gets its one skb, forced: all full */
	assert_int_equal(o.sockets_full, SIM_MAX_ADD);
	assert_int_equal(o.final_usage_pages, SIM_MAX_ADD * 16);
}

static void trend_robust(void **state)
{
	double t[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	double u[8] = { 100, 110, 120, 386, 140, 150, 160, 170 }; /* one per-CPU jump */
	double flat[3] = { 5, 5, 5 }, eta, lo, hi;
	struct trend tr;
	bool unb;

	assert_int_equal(trend_fit(t, u, 8, &tr), 0);
	assert_true(tr.slope > 9.9 && tr.slope < 10.1); /* the outlier does not move it */
	assert_true(tr.growing);
	assert_true(trend_seconds_to(&tr, 170, 1170, 0, &eta, &lo, &hi, &unb));
	assert_true(eta > 99 && eta < 101);
	assert_true(trend_seconds_to(&tr, 2000, 1170, 0, &eta, &lo, &hi, &unb));
	assert_true(eta == 0);
	assert_int_equal(trend_fit(t, flat, 3, &tr), 0);
	assert_false(tr.growing);
	assert_false(trend_seconds_to(&tr, 5, 100, 0, &eta, &lo, &hi, &unb));
	assert_int_equal(trend_fit(t, u, 1, &tr), -EINVAL);
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
		cmocka_unit_test(limits_for_pressure),
		cmocka_unit_test(state_after),
		cmocka_unit_test(report_units),
		cmocka_unit_test(charge_branches),
		cmocka_unit_test(charge_udp),
		cmocka_unit_test(charge_versions),
		cmocka_unit_test(charge_fair_share_6_7),
		cmocka_unit_test(charge_boundaries),
		cmocka_unit_test(charge_udp_versions),
		cmocka_unit_test(charge_tcp_over_max_no_guarantee),
		cmocka_unit_test(charge_sndbuf_moderation),
		cmocka_unit_test(mem_quantum),
		cmocka_unit_test(simulate_tcp),
		cmocka_unit_test(simulate_fair_share),
		cmocka_unit_test(simulate_band_and_next_charge),
		cmocka_unit_test(simulate_udp),
		cmocka_unit_test(simulate_through_charge),
		cmocka_unit_test(simulate_forced_first_skb_recv),
		cmocka_unit_test(simulate_send_over_max),
		cmocka_unit_test(simulate_udp_versions),
		cmocka_unit_test(simulate_quantum),
		cmocka_unit_test(simulate_steady_state),
		cmocka_unit_test(trend_robust),
		cmocka_unit_test(report_exact),
		cmocka_unit_test(report_online_band),
		cmocka_unit_test(report_recon_causes),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
