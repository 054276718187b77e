/* test_trace.c - cmocka unit tests of "sockmem trace"'s pure part, from
 * synthetic events and aggregation entries as the programs leave them: a
 * line decoded (protocol, addresses, usage, attribution, time), the cause of
 * a refusal from the figures, the top groups and their shares, the counters'
 * deltas against the events that match them (agreeing, differing, not
 * comparable), the attribution level and the per-kernel coverage notes,
 * and the text and JSON renderers of the summary. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "output.h"
#include "bpfwhy.h"
#include "report_trace.h"

#define EV_RCVBUFF (MEMTRACE_EV_DROP0 + MEMTRACE_R_SOCKET_RCVBUFF)
#define EV_PROTO_MEM (MEMTRACE_EV_DROP0 + MEMTRACE_R_PROTO_MEM)
#define EV_DROP(r) (MEMTRACE_EV_DROP0 + MEMTRACE_R_##r)

/* 2026-12-01T08:00:00Z as CLOCK_REALTIME, the programs' clock at 1000 s */
static const struct trace_clock clk = { 1796112000.0 - 1000.0 };

static void mkevent(struct memtrace_event *e, int event, uint16_t proto, uint16_t port,
		    uint32_t inode, uint64_t cookie, uint64_t cgroup)
{
	memset(e, 0, sizeof(*e));
	e->time_ns = 1000ull * 1000000000ull + 250000000ull;	/* 08:00:00.25 */
	e->event = (uint8_t)event;
	e->flags = MEMTRACE_F_SOCK | MEMTRACE_F_LIMITS | MEMTRACE_F_CGROUP;
	e->protocol = proto;
	e->family = AF_INET;
	e->state = 7;
	e->sport = port;
	inet_pton(AF_INET, "127.0.0.1", e->src);
	e->inode = inode;
	e->cookie = cookie;
	e->cgroup_id = cgroup;
	e->netns_ino = 4026531840u;
	e->rmem_alloc = 2304;
	e->rcvbuf = 2304;
	e->allocated_pages = 100;
	e->sysctl_mem_pages[0] = 1000;
	e->sysctl_mem_pages[1] = 2000;
	e->sysctl_mem_pages[2] = 4000;
}

static void line_decoded(void **state)
{
	struct memtrace_event e;
	struct trace_names nm = { 0 };
	struct trace_line l;

	(void)state;
	mkevent(&e, EV_RCVBUFF, IPPROTO_UDP, 5999, 77, 1, 10);
	report_trace_line(&l, &e, NULL, &clk, 4096);
	assert_string_equal(l.def->name, "drop-SOCKET_RCVBUFF");
	assert_string_equal(l.def->kind, "drop");
	assert_string_equal(l.def->direction, "receive");
	assert_string_equal(l.protocol, "udp");
	assert_string_equal(l.family, "ipv4");
	assert_string_equal(l.state, "UNCONN");
	assert_string_equal(l.local, "127.0.0.1:5999");
	assert_string_equal(l.peer, "0.0.0.0:0");
	assert_string_equal(l.time_iso, "2026-12-01T08:00:00.250000Z");
	/* a socket without a process found: attributed to the socket only */
	assert_string_equal(l.attributed, "socket");
	assert_true(l.limits_ok);
	assert_int_equal(l.allocated_bytes, 100 * 4096);
	assert_int_equal(l.limit_bytes[2], 4000ull * 4096);
	assert_true(l.usage_pct_of_max > 2.49 && l.usage_pct_of_max < 2.51);
	assert_null(l.cause);	/* drops have none */
	nm.pid_found = true;
	nm.pid = 4242;
	nm.cgroup_found = true;
	snprintf(nm.cgroup, sizeof(nm.cgroup), "/kubepods/burstable/pod8a1f2b3c-9d4e-4f5a-b6c7-d8e9f0a1b2c3/"
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	report_trace_line(&l, &e, &nm, &clk, 4096);
	assert_string_equal(l.attributed, "process");
	assert_true(l.pod.found);
	assert_string_equal(l.pod.uid, "8a1f2b3c-9d4e-4f5a-b6c7-d8e9f0a1b2c3");
	/* no socket: counted, attributed to nothing */
	e.flags = 0;
	report_trace_line(&l, &e, NULL, &clk, 4096);
	assert_string_equal(l.attributed, "none");
	assert_null(l.family);
	assert_false(l.limits_ok);
	/* IPv6 and TCP */
	mkevent(&e, EV_PROTO_MEM, IPPROTO_TCP, 443, 1, 1, 1);
	e.family = AF_INET6;
	e.state = 1;
	memset(e.src, 0, sizeof(e.src));
	e.src[15] = 1;
	report_trace_line(&l, &e, NULL, &clk, 4096);
	assert_string_equal(l.local, "[::1]:443");
	assert_string_equal(l.state, "ESTAB");
	assert_string_equal(l.protocol, "tcp");
}

/* __sk_mem_raise_allocated(): which limit the figures say refused it. */
static void refusal_causes(void **state)
{
	static const struct {
		uint16_t proto;
		int64_t allocated;
		bool memcg;
		const char *cause;
	} cases[] = {
		{ IPPROTO_TCP, 4001, false, "hard-limit" },
		{ IPPROTO_UDP, 4001, true, "hard-limit" },
		{ IPPROTO_TCP, 2500, false, "pressure" },
		{ IPPROTO_TCP, 1001, false, "pressure" },
		{ IPPROTO_UDP, 1001, false, "udp-min" },
		{ IPPROTO_UDPLITE, 3999, false, "udp-min" },
		{ IPPROTO_TCP, 1000, true, "memcg" },	/* at min: the protocol accepts */
		{ IPPROTO_UDP, 10, true, "memcg" },
		{ IPPROTO_TCP, 10, false, NULL },	/* nothing explains it */
	};
	struct memtrace_event e;
	struct trace_line l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mkevent(&e, MEMTRACE_EV_REFUSE_RECV, cases[i].proto, 1, 1, 1, 1);
		e.allocated_pages = cases[i].allocated;
		if (cases[i].memcg)
			e.flags |= MEMTRACE_F_MEMCG;
		report_trace_line(&l, &e, NULL, &clk, 4096);
		if (cases[i].cause)
			assert_string_equal(l.cause, cases[i].cause);
		else
			assert_null(l.cause);
	}
	/* without the limits: only the memcg flag says anything */
	e.flags = MEMTRACE_F_SOCK | MEMTRACE_F_MEMCG;
	report_trace_line(&l, &e, NULL, &clk, 4096);
	assert_string_equal(l.cause, "memcg");
}

static void mkcounters(struct trace_counters *c, char *snmp, char *netstat)
{
	struct parse_err err;

	memset(c, 0, sizeof(*c));
	assert_int_equal(netstat_parse(snmp, strlen(snmp), &c->snmp, &err), 0);
	assert_int_equal(netstat_parse(netstat, strlen(netstat), &c->netstat, &err), 0);
}

static char snmp0[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\n"
		      "Udp: 5 10 0 10 0\n";
static char snmp1[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\n"
		      "Udp: 9 960 50 1011 0\n";
static char net0[] = "TcpExt: PruneCalled TCPBacklogDrop TCPMemoryPressures\nTcpExt: 1 0 3\n";
static char net1[] = "TcpExt: PruneCalled TCPBacklogDrop TCPMemoryPressures\nTcpExt: 4 0 5\n";

/* Three sockets of two processes in two cgroups: 900 + 50 + 50 events. */
static struct tracer_entry entries[4];
static struct trace_names names_a, names_c;
static const struct trace_names *names[4];

static void mkentries(void)
{
	mkevent(&entries[0].val.first, EV_RCVBUFF, IPPROTO_UDP, 5999, 11, 1, 10);
	entries[0].val.count = 900;
	mkevent(&entries[1].val.first, EV_PROTO_MEM, IPPROTO_UDP, 6000, 12, 2, 10);
	entries[1].val.count = 50;
	mkevent(&entries[2].val.first, EV_RCVBUFF, IPPROTO_UDP, 5999, 13, 3, 20);
	entries[2].val.count = 50;
	/* a TCP socket's backlog drops: 0 in the counters, 7 here */
	mkevent(&entries[3].val.first, EV_DROP(SOCKET_BACKLOG), IPPROTO_TCP, 80, 14, 4, 20);
	entries[3].val.count = 7;
	for (int i = 0; i < 4; i++) {
		entries[i].key.event = entries[i].val.first.event;
		entries[i].key.cookie = entries[i].val.first.cookie;
		entries[i].key.cgroup_id = entries[i].val.first.cgroup_id;
		entries[i].key.netns_ino = entries[i].val.first.netns_ino;
		entries[i].val.truesize_sum = entries[i].val.count * 768;
	}
	memset(&names_a, 0, sizeof(names_a));
	names_a.pid_found = true;
	names_a.pid = 100;
	snprintf(names_a.comm, sizeof(names_a.comm), "flood");
	names_a.cgroup_found = true;
	snprintf(names_a.cgroup, sizeof(names_a.cgroup), "/a.slice");
	names_c = names_a;
	names_c.pid = 200;
	snprintf(names_c.cgroup, sizeof(names_c.cgroup), "/c.slice");
	names[0] = names[1] = &names_a;
	names[2] = &names_c;
	names[3] = NULL;	/* its process was not found */
}

static void mkwindow(struct trace_window *w, struct host *h, struct tracer_info *info,
		     struct memtrace_counts *counts, const struct trace_counters *before,
		     const struct trace_counters *after)
{
	int i;

	memset(h, 0, sizeof(*h));
	h->kver.ok = true;
	h->kver.major = 6;
	h->kver.minor = 18;
	snprintf(h->kver.release, sizeof(h->kver.release), "6.18.0");
	h->page_size_bytes = 4096;
	memset(info, 0, sizeof(*info));
	info->loader = "light skeleton";
	info->drops = true;
	info->rx_sk = true;
	for (i = 0; i < MEMTRACE_NREASONS; i++)
		info->reason_value[i] = 10 + i;
	memset(counts, 0, sizeof(*counts));
	counts->events[EV_RCVBUFF] = 950;
	counts->events[EV_PROTO_MEM] = 50;
	counts->events[EV_DROP(SOCKET_BACKLOG)] = 7;
	mkentries();
	memset(w, 0, sizeof(*w));
	w->h = h;
	w->before = before;
	w->after = after;
	w->info = info;
	w->counts = counts;
	w->entries = entries;
	w->nentries = 4;
	w->names = names;
	w->clock = clk;
	w->netns_ino = 4026531840u;
	w->start_unix_s = 1796112000.0;
	w->end_unix_s = 1796112010.0;
	w->end_reason = "duration";
	w->requested = 10;
}

static const struct trace_counter *counter(const struct report_trace *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncounter; i++)
		if (!strcmp(t->counter[i].name, name))
			return &t->counter[i];
	fail_msg("no counter %s", name);
	return NULL;
}

static void summary_built(void **state)
{
	struct trace_counters b, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct report_trace t;
	struct host *h = malloc(sizeof(*h));
	const struct trace_counter *c;

	(void)state;
	assert_non_null(h);
	mkcounters(&b, snmp0, net0);
	mkcounters(&a, snmp1, net1);
	mkwindow(&w, h, &info, &counts, &b, &a);
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_int_equal(t.level, TRACE_LEVEL_PROCESS);
	assert_int_equal(t.total_events, 1007);
	assert_true(t.window_s > 9.99 && t.window_s < 10.01);
	assert_true(t.events_per_s > 100.6 && t.events_per_s < 100.8);
	/* the TCP socket's process was not found */
	assert_int_equal(t.unattributed_events, 7);
	/* sockets: the largest first */
	assert_int_equal(t.groups[TRACE_BY_SOCKET], 4);
	assert_int_equal(t.top[TRACE_BY_SOCKET][0].events, 900);
	assert_int_equal(t.top[TRACE_BY_SOCKET][0].first.cookie, 1);
	assert_int_equal(t.top[TRACE_BY_SOCKET][0].dropped_bytes, 900 * 768);
	assert_string_equal(t.top[TRACE_BY_SOCKET][0].line.local, "127.0.0.1:5999");
	/* processes: pid 100 holds two sockets, 950 events */
	assert_int_equal(t.groups[TRACE_BY_PROCESS], 3);	/* 100, 200, none */
	assert_int_equal(t.top[TRACE_BY_PROCESS][0].events, 950);
	assert_int_equal(t.top[TRACE_BY_PROCESS][0].sockets, 2);
	assert_int_equal(t.top[TRACE_BY_PROCESS][0].by_event[EV_RCVBUFF], 900);
	assert_int_equal(t.top[TRACE_BY_PROCESS][0].by_event[EV_PROTO_MEM], 50);
	assert_int_equal(t.top[TRACE_BY_PROCESS][0].line.names->pid, 100);
	assert_true(t.top[TRACE_BY_PROCESS][0].share_pct > 94.33 && t.top[TRACE_BY_PROCESS][0].share_pct < 94.35);
	/* cgroups: 10 (950), 20 (57) */
	assert_int_equal(t.groups[TRACE_BY_CGROUP], 2);
	assert_int_equal(t.top[TRACE_BY_CGROUP][1].events, 57);
	assert_int_equal(t.top[TRACE_BY_CGROUP][1].sockets, 2);
	/* ports: udp 5999 has two sockets (950), udp 6000, tcp 80 */
	assert_int_equal(t.groups[TRACE_BY_PORT], 3);
	assert_int_equal(t.top[TRACE_BY_PORT][0].events, 950);
	assert_int_equal(t.top[TRACE_BY_PORT][0].sockets, 2);
	/* the counters over the window against the events */
	c = counter(&t, "RcvbufErrors");
	assert_true(c->delta.ok);
	assert_int_equal(c->delta.v, 950);
	assert_int_equal(c->events_seen, 950);
	assert_true(c->comparable);
	assert_true(c->agrees);
	c = counter(&t, "MemErrors");	/* related: counted, never "agrees" */
	assert_int_equal(c->delta.v, 50);
	assert_int_equal(c->events_seen, 50);
	assert_false(c->agrees);
	c = counter(&t, "InErrors");	/* related: a bound, never "agrees" */
	assert_int_equal(c->delta.v, 1001);
	assert_int_equal(c->events_seen, 1000);
	assert_false(c->agrees);
	c = counter(&t, "TCPBacklogDrop");	/* 7 events, the counter did not move */
	assert_int_equal(c->delta.v, 0);
	assert_int_equal(c->events_seen, 7);
	assert_true(c->comparable);
	assert_false(c->agrees);
	c = counter(&t, "TCPMemoryPressures");
	assert_int_equal(c->delta.v, 2);
	assert_false(c->has_events);
	c = counter(&t, "TCPZeroWindowDrop");	/* not in these files: absent, not 0 */
	assert_false(c->delta.ok);
	report_trace_free(&t);

	/* a counter that went back (another namespace's file, a reset) is absent */
	mkwindow(&w, h, &info, &counts, &a, &b);
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(counter(&t, "RcvbufErrors")->delta.ok);
	assert_false(counter(&t, "RcvbufErrors")->agrees);
	report_trace_free(&t);

	/* every namespace traced: the counters are this one's, not comparable */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.netns_ino = 0;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(counter(&t, "RcvbufErrors")->comparable);
	assert_false(counter(&t, "RcvbufErrors")->agrees);
	report_trace_free(&t);

	/* --protocol tcp: the UDP counters are not what was traced */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.protocol = "tcp";
	w.protocol_num = IPPROTO_TCP;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(counter(&t, "RcvbufErrors")->comparable);
	assert_true(counter(&t, "TCPBacklogDrop")->comparable);
	report_trace_free(&t);

	/* a full map: the per-socket split is incomplete, nothing agrees */
	mkwindow(&w, h, &info, &counts, &b, &a);
	counts.agg_full = 3;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(counter(&t, "RcvbufErrors")->comparable);
	report_trace_free(&t);

	/* -n 1: one row per group, the group counts stay */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.requested = 1;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_int_equal(t.ntop[TRACE_BY_SOCKET], 1);
	assert_int_equal(t.groups[TRACE_BY_SOCKET], 4);
	report_trace_free(&t);
	free(h);
}

static bool has_note(const struct report_trace *t, const char *needle)
{
	int i;

	for (i = 0; i < t->ncoverage; i++)
		if (strstr(t->coverage[i], needle))
			return true;
	return false;
}

/* Events that came while the counters were read at an edge of the window:
 * the kernel's count is a range, [inner, outer], and the events agree
 * when they are in it; without the inner readings, exactly. */
static char snmp_open[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\n"
			  "Udp: 5 12 0 12 0\n";
static char snmp_closing_in[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\n"
				"Udp: 9 955 50 1006 0\n";
static char snmp_closing_out[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\n"
				 "Udp: 9 963 50 1011 0\n";
static char snmp_after_more[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\n"
				"Udp: 9 970 50 1021 0\n";

static void counters_at_the_edges(void **state)
{
	struct trace_counters b, o, cl, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct report_trace t;
	struct host *h = malloc(sizeof(*h));
	const struct trace_counter *c;

	(void)state;
	assert_non_null(h);
	mkcounters(&b, snmp0, net0);
	mkcounters(&o, snmp_open, net0);
	mkcounters(&cl, snmp_closing_in, net1);
	mkcounters(&a, snmp_after_more, net1);
	/* 950 events; the kernel's count between 955 - 12 and 970 - 10 */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.opened = &o;
	w.closing = &cl;
	assert_int_equal(report_trace_build(&t, &w), 0);
	c = counter(&t, "RcvbufErrors");
	assert_true(c->delta_min.ok);
	assert_int_equal(c->delta_min.v, 943);
	assert_int_equal(c->delta.v, 960);
	assert_true(c->agrees);
	report_trace_free(&t);
	/* 963 - 12 = 951 counted before the window closed: 950 is too few */
	mkcounters(&cl, snmp_closing_out, net1);
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.opened = &o;
	w.closing = &cl;
	assert_int_equal(report_trace_build(&t, &w), 0);
	c = counter(&t, "RcvbufErrors");
	assert_int_equal(c->delta_min.v, 951);
	assert_false(c->agrees);
	report_trace_free(&t);
	/* without the inner readings: exact, 960 is not 950 */
	mkwindow(&w, h, &info, &counts, &b, &a);
	assert_int_equal(report_trace_build(&t, &w), 0);
	c = counter(&t, "RcvbufErrors");
	assert_false(c->delta_min.ok);
	assert_false(c->agrees);
	report_trace_free(&t);
	/* an inner reading outside the outer ones (a counter reset): unknown */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.opened = &a;
	w.closing = &o;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(counter(&t, "RcvbufErrors")->delta_min.ok);
	report_trace_free(&t);
	free(h);
}

static void levels_and_coverage(void **state)
{
	struct trace_counters b, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct report_trace t;
	struct host *h = malloc(sizeof(*h));
	int i;

	(void)state;
	assert_non_null(h);
	assert_int_equal(report_trace_level(true, false), TRACE_LEVEL_PROCESS);
	assert_int_equal(report_trace_level(true, true), TRACE_LEVEL_SOCKET);
	assert_int_equal(report_trace_level(false, false), TRACE_LEVEL_COUNTERS);
	mkcounters(&b, snmp0, net0);
	mkcounters(&a, snmp1, net1);

	/* 6.18 with rx_sk: only the notes that hold everywhere */
	mkwindow(&w, h, &info, &counts, &b, &a);
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(has_note(&t, "6.11"));
	assert_false(has_note(&t, "4.19 to 6.17"));
	assert_false(has_note(&t, "6.7 to 6.15"));
	assert_true(has_note(&t, "forced"));
	assert_false(has_note(&t, "no drop reason"));
	report_trace_free(&t);

	/* 6.10: no rx_sk, both refusal gaps; a reason the kernel lacks */
	mkwindow(&w, h, &info, &counts, &b, &a);
	h->kver.minor = 10;
	info.rx_sk = false;
	info.reason_value[MEMTRACE_R_TCP_OFO_QUEUE_PRUNE] = -1;
	info.reason_value[MEMTRACE_R_TCP_ZEROWINDOW] = -1;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_true(has_note(&t, "6.11"));
	assert_true(has_note(&t, "4.19 to 6.17"));
	assert_true(has_note(&t, "6.7 to 6.15"));
	assert_true(has_note(&t, "no drop reason TCP_OFO_QUEUE_PRUNE, TCP_ZEROWINDOW"));
	/* no receive refusal seen: the run cannot tell whether the fix is in */
	assert_true(has_note(&t, "no refusal in this window tells which"));
	assert_false(has_note(&t, "it has the fix"));
	assert_true(has_note(&t, "drops_given_refusal_socket"));
	report_trace_free(&t);

	/* 6.12 (Debian's 6.12.117 has 8542d6fac25c): receive refusals seen, so
	 * the kernel passes them to the tracepoint - said from the run, not
	 * dated from the version; the paired drops carried to the report */
	mkwindow(&w, h, &info, &counts, &b, &a);
	h->kver.minor = 12;
	info.rx_sk = true;
	counts.events[MEMTRACE_EV_REFUSE_RECV] = 1000;
	counts.paired = 7;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_true(has_note(&t, "this kernel did, 1000 times in this window: it has the fix"));
	assert_false(has_note(&t, "no refusal in this window"));
	assert_int_equal(t.paired, 7);
	report_trace_free(&t);

	/* 5.10 through libbpf: no kfree_skb program (no drop reason before
	 * 5.17): said once, not as six absent reasons, nor the rx_sk note */
	mkwindow(&w, h, &info, &counts, &b, &a);
	h->kver.major = 5;
	h->kver.minor = 10;
	info.loader = "libbpf v1.1";
	info.drops = false;
	info.rx_sk = false;
	for (i = 0; i < MEMTRACE_NREASONS; i++)
		info.reason_value[i] = -1;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_true(has_note(&t, "before Linux 5.17 skb:kfree_skb has no drop reason"));
	assert_false(has_note(&t, "no drop reason PROTO_MEM"));
	assert_false(has_note(&t, "drops_given_refusal_socket"));
	assert_true(has_note(&t, "4.19 to 6.17"));
	assert_string_equal(t.loader, "libbpf v1.1");
	assert_false(t.drops);
	report_trace_free(&t);

	/* 5.15: the memcg gap only */
	mkwindow(&w, h, &info, &counts, &b, &a);
	h->kver.major = 5;
	h->kver.minor = 15;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_true(has_note(&t, "4.19 to 6.17"));
	assert_true(has_note(&t, "no memcg receive refusal in this window"));
	assert_false(has_note(&t, "6.7 to 6.15"));
	report_trace_free(&t);

	/* 6.1.176 (the stable fix in): a receive charge the memcg refused,
	 * traced (below tcp_mem[0], the memcg flag) - said from the run */
	mkwindow(&w, h, &info, &counts, &b, &a);
	h->kver.major = 6;
	h->kver.minor = 1;
	entries[3].key.event = MEMTRACE_EV_REFUSE_RECV;
	entries[3].val.first.event = MEMTRACE_EV_REFUSE_RECV;
	entries[3].val.first.flags |= MEMTRACE_F_MEMCG;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_int_equal(t.memcg_recv_refusals, 7);
	assert_true(has_note(&t, "this kernel did, 7 times in this window: it has the fix"));
	report_trace_free(&t);

	/* no BPF: the counters alone, no events, no groups */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.info = NULL;
	w.counts = NULL;
	w.entries = NULL;
	w.nentries = 0;
	w.bpf_why = "sockmem was built without BPF";
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_int_equal(t.level, TRACE_LEVEL_COUNTERS);
	assert_string_equal(t.level_why, "sockmem was built without BPF");
	assert_int_equal(t.total_events, 0);
	assert_int_equal(t.ncoverage, 1);
	assert_true(counter(&t, "RcvbufErrors")->delta.ok);
	assert_false(counter(&t, "RcvbufErrors")->has_events);
	assert_false(counter(&t, "RcvbufErrors")->agrees);
	report_trace_free(&t);

	/* processes partly unreadable: socket level, and why */
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.procs_partial = true;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_int_equal(t.level, TRACE_LEVEL_SOCKET);
	assert_non_null(strstr(t.level_why, "root"));
	report_trace_free(&t);
	free(h);
}

static void renderers(void **state)
{
	struct trace_counters b, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct report_trace t;
	struct output_opts oo = { false, false };
	struct host *h = malloc(sizeof(*h));
	char *buf = NULL, *dump;
	size_t len = 0;
	json_t *doc;
	FILE *f;

	(void)state;
	assert_non_null(h);
	mkcounters(&b, snmp0, net0);
	mkcounters(&a, snmp1, net1);
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.missed = 4;
	assert_int_equal(report_trace_build(&t, &w), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	output_text_trace_summary(f, &t, &oo);
	fclose(f);
	assert_non_null(strstr(buf, "events: 1,007 (100.7/s)"));
	assert_non_null(strstr(buf, "ended by duration"));
	assert_non_null(strstr(buf, "Udp RcvbufErrors"));
	assert_non_null(strstr(buf, "exact: agrees"));
	assert_non_null(strstr(buf, "exact: DIFFERS"));	/* TCPBacklogDrop */
	assert_non_null(strstr(buf, "100 flood"));
	assert_non_null(strstr(buf, "/a.slice"));
	assert_non_null(strstr(buf, "the kernel did not run the programs for 4 events"));
	free(buf);
	doc = output_json_trace_summary(&t);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "type")), "summary");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "events"), "total")),
			 1007);
	dump = json_dumps(doc, JSON_COMPACT);
	assert_non_null(strstr(dump, "\"name\":\"RcvbufErrors\",\"before\":10,\"after\":960,"
				     "\"delta\":950,\"delta_min\":null,\"events\":950,\"match\":\"exact\","
				     "\"comparable\":true,\"agrees\":true"));
	free(dump);
	json_decref(doc);
	report_trace_free(&t);
	free(h);
}

/* TCP's flag polled: the first reading is never a transition, an
 * unreadable one makes none up, a leave has its length only when its
 * enter was seen. */
static void press_polled(void **state)
{
	struct trace_press_poll p;
	struct memtrace_event e;
	const uint64_t s = 1000000000ull;

	(void)state;
	report_trace_press_init(&p);
	assert_false(report_trace_press_step(&p, 1, 10 * s, &e));
	assert_true(p.on_at_start);
	assert_false(report_trace_press_step(&p, 1, 11 * s, &e));
	assert_false(report_trace_press_step(&p, -ENOENT, 12 * s, &e));
	assert_int_equal(p.last_rc, -ENOENT);
	assert_int_equal(p.polls, 2);
	/* the episode that began before: its leave has no length */
	assert_true(report_trace_press_step(&p, 0, 13 * s, &e));
	assert_int_equal(e.event, MEMTRACE_EV_PRESS_LEAVE);
	assert_int_equal(e.flags & MEMTRACE_F_EPISODE, 0);
	assert_int_equal(e.xflags, MEMTRACE_X_POLLED);
	assert_true(report_trace_press_step(&p, 1, 20 * s, &e));
	assert_int_equal(e.event, MEMTRACE_EV_PRESS_ENTER);
	assert_int_equal(e.time_ns, 20 * s);
	assert_false(report_trace_press_step(&p, 1, 21 * s, &e));
	assert_true(report_trace_press_step(&p, 0, 21 * s + s / 2, &e));
	assert_int_equal(e.event, MEMTRACE_EV_PRESS_LEAVE);
	assert_int_equal(e.flags & MEMTRACE_F_EPISODE, MEMTRACE_F_EPISODE);
	assert_int_equal(e.episode_ms, 1500);
	assert_int_equal(p.enters, 1);
	assert_int_equal(p.leaves, 2);
}

/* The pressure programs' events: a leave's episode, an abort's cause, the
 * counters they match (this namespace's only), and what the line says. */
static void press_events(void **state)
{
	struct trace_counters b, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct report_trace t;
	struct tracer_entry ent[3];
	struct trace_line l;
	struct output_opts oo = { false, false };
	struct host *h = malloc(sizeof(*h));
	char *buf = NULL;
	size_t len = 0;
	json_t *doc;
	FILE *f;
	int i;
	static char n0[] = "TcpExt: TCPMemoryPressures TCPAbortOnMemory\nTcpExt: 3 7\n";
	static char n1[] = "TcpExt: TCPMemoryPressures TCPAbortOnMemory\nTcpExt: 4 9\n";

	(void)state;
	assert_non_null(h);
	mkevent(&ent[0].val.first, MEMTRACE_EV_PRESS_LEAVE, IPPROTO_TCP, 80, 21, 5, 10);
	ent[0].val.first.flags |= MEMTRACE_F_EPISODE;
	ent[0].val.first.episode_ms = 2500;
	report_trace_line(&l, &ent[0].val.first, NULL, &clk, 4096);
	assert_true(l.episode_known);
	assert_true(l.episode_s > 2.49 && l.episode_s < 2.51);
	assert_null(l.cause);
	f = open_memstream(&buf, &len);
	output_text_trace_line(f, &l, &oo);
	fclose(f);
	assert_non_null(strstr(buf, "press-leave"));
	assert_non_null(strstr(buf, "episode 2.500 s"));
	free(buf);
	doc = output_json_trace_line(&l);
	assert_non_null(doc);
	assert_true(json_real_value(json_object_get(json_object_get(doc, "episode"), "duration_s")) > 2.49);
	assert_string_equal(json_string_value(json_object_get(doc, "kind")), "pressure");
	json_decref(doc);
	/* an abort: over tcp_mem[2], or not (too many orphans) */
	mkevent(&ent[1].val.first, MEMTRACE_EV_ABORT_MEMORY, IPPROTO_TCP, 443, 22, 6, 10);
	ent[1].val.first.allocated_pages = 4001;
	report_trace_line(&l, &ent[1].val.first, NULL, &clk, 4096);
	assert_string_equal(l.cause, "hard-limit");
	ent[1].val.first.allocated_pages = 100;
	report_trace_line(&l, &ent[1].val.first, NULL, &clk, 4096);
	assert_string_equal(l.cause, "orphans");
	/* an enter in another namespace: shown, not compared */
	mkevent(&ent[2].val.first, MEMTRACE_EV_PRESS_ENTER, IPPROTO_TCP, 81, 23, 7, 10);
	ent[2].val.first.netns_ino = 4026532000u;
	for (i = 0; i < 3; i++) {
		ent[i].key.event = ent[i].val.first.event;
		ent[i].key.cookie = ent[i].val.first.cookie;
		ent[i].key.cgroup_id = ent[i].val.first.cgroup_id;
		ent[i].key.netns_ino = ent[i].val.first.netns_ino;
		ent[i].val.count = 1;
		ent[i].val.truesize_sum = 0;
	}
	ent[1].val.count = 2;
	mkcounters(&b, snmp0, n0);
	mkcounters(&a, snmp1, n1);
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.entries = ent;
	w.nentries = 3;
	w.names = NULL;
	info.press = true;
	counts.events[MEMTRACE_EV_PRESS_ENTER] = 1;
	counts.events[MEMTRACE_EV_ABORT_MEMORY] = 2;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_true(t.press);
	assert_int_equal(counter(&t, "TCPAbortOnMemory")->events_seen, 2);
	assert_true(counter(&t, "TCPAbortOnMemory")->agrees);
	/* the kernel counted one enter here; the one traced was another namespace's */
	assert_int_equal(counter(&t, "TCPMemoryPressures")->events_seen, 0);
	assert_false(counter(&t, "TCPMemoryPressures")->agrees);
	assert_non_null(strstr(t.coverage[t.ncoverage - 1], "fentry/fexit"));
	report_trace_free(&t);
	/* the programs did not attach: the flag polled, the counters not compared */
	info.press = false;
	info.press_why = "cannot load: Operation not permitted";
	{
		struct trace_press_poll p;
		struct memtrace_event e;

		report_trace_press_init(&p);
		report_trace_press_step(&p, 0, 1, &e);
		report_trace_press_step(&p, 1, 2, &e);
		w.press_poll = &p;
		assert_int_equal(report_trace_build(&t, &w), 0);
		assert_true(t.press_polled);
		assert_int_equal(t.events[MEMTRACE_EV_PRESS_ENTER], 2);	/* 1 counted + 1 polled */
		assert_false(counter(&t, "TCPMemoryPressures")->has_events);
		assert_non_null(strstr(t.press_note, "polled every 100 ms"));
		assert_non_null(strstr(t.press_note, "Operation not permitted"));
		report_trace_free(&t);
	}
	free(h);
}

/* watch --events: the totals by protocol and direction or reason, what a
 * full map kept from its socket as "unknown", the top groups; rendered. */
static void events_totals(void **state)
{
	struct trace_counters b, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct report_trace t;
	struct trace_events_report e;
	struct host *h = malloc(sizeof(*h));
	char *buf = NULL, *dump;
	size_t len = 0;
	json_t *doc;
	FILE *f;

	(void)state;
	assert_non_null(h);
	mkcounters(&b, snmp0, net0);
	mkcounters(&a, snmp1, net1);
	mkwindow(&w, h, &info, &counts, &b, &a);
	counts.events[EV_RCVBUFF] = 960;	/* 10 beyond the map's entries */
	counts.events[MEMTRACE_EV_REFUSE_RECV] = 3;	/* none in the map */
	assert_int_equal(report_trace_build(&t, &w), 0);
	report_trace_events_build(&e, &t, &w);
	assert_true(e.bpf);
	assert_int_equal(e.drops[TRACE_P_UDP][MEMTRACE_R_SOCKET_RCVBUFF], 950);
	assert_int_equal(e.drops[TRACE_P_UDP][MEMTRACE_R_PROTO_MEM], 50);
	assert_int_equal(e.drops[TRACE_P_TCP][MEMTRACE_R_SOCKET_BACKLOG], 7);
	assert_int_equal(e.drops[TRACE_P_UNKNOWN][MEMTRACE_R_SOCKET_RCVBUFF], 10);
	assert_int_equal(e.refusals[TRACE_P_UNKNOWN][1], 3);
	assert_int_equal(e.refusals[TRACE_P_UDP][1], 0);
	assert_int_equal(e.ncgroups, 2);
	assert_string_equal(e.cgroup[0].cgroup, "/a.slice");
	assert_int_equal(e.cgroup[0].events, 950);
	/* the events of no known process are not a process */
	assert_int_equal(e.nprocesses, 2);
	assert_int_equal(e.process[0].pid, 100);
	assert_int_equal(e.process[0].events, 950);
	report_trace_free(&t);
	/* rendered in watch's exposition and NDJSON */
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	output_prom_events(f, &e);
	fclose(f);
	assert_non_null(strstr(buf, "sockmem_events_traced 1\n"));
	assert_non_null(strstr(buf, "sockmem_memory_drops_total{protocol=\"udp\",reason=\"SOCKET_RCVBUFF\"} 950\n"));
	assert_non_null(strstr(buf, "sockmem_memory_drops_total{protocol=\"unknown\",reason=\"SOCKET_RCVBUFF\"} 10\n"));
	assert_non_null(strstr(buf, "sockmem_refusals_total{protocol=\"udp\",direction=\"receive\"} 0\n"));
	assert_non_null(strstr(buf, "sockmem_refusals_total{protocol=\"unknown\",direction=\"receive\"} 3\n"));
	assert_null(strstr(buf, "protocol=\"udp\",reason=\"TCP_OFO_DROP\""));	/* not UDP's */
	assert_non_null(strstr(buf, "sockmem_events_top_cgroup_total{rank=\"1\",cgroup=\"/a.slice\"} 950\n"));
	assert_non_null(strstr(buf, "sockmem_events_top_process_total{rank=\"1\",pid=\"100\",comm=\"flood\"} 950\n"));
	free(buf);
	doc = output_json_trace_events(&e);
	assert_non_null(doc);
	dump = json_dumps(doc, JSON_COMPACT);
	assert_non_null(strstr(dump, "{\"protocol\":\"udp\",\"reason\":\"SOCKET_RCVBUFF\",\"total\":950}"));
	assert_non_null(strstr(dump, "\"top_processes\":[{\"pid\":100,\"comm\":\"flood\",\"events\":950}"));
	free(dump);
	json_decref(doc);
	/* without BPF: only that */
	e.bpf = false;
	f = open_memstream(&buf, &len);
	output_prom_events(f, &e);
	fclose(f);
	assert_non_null(strstr(buf, "\nsockmem_events_traced 0\n"));
	assert_null(strstr(buf, "sockmem_refusals_total"));
	free(buf);
	free(h);
}

/* Without BPF: the reasons' values from the tracepoint's format, a counted
 * window's report (level counts, the host's events, nothing comparable). */
static void counted(void **state)
{
	static const char fmt[] = "print fmt: \"reason: %s\", __print_symbolic(REC->reason, "
				  "{ 2, \"NOT_SPECIFIED\" }, { 6, \"SOCKET_RCVBUFF\" }, "
				  "{ 20, \"PROTO_MEM\" }, { 29, \"SOCKET_BACKLOG\" }, "
				  "{ 32, \"TCP_ZEROWINDOW\" }, { 52, \"TCP_OFO_QUEUE_PRUNE\" })";
	struct trace_counters b, a;
	struct trace_window w;
	struct tracer_info info;
	struct memtrace_counts counts;
	struct tpcount_info ci;
	struct report_trace t;
	struct output_opts oo = { false, false };
	struct host *h = malloc(sizeof(*h));
	char *buf = NULL;
	size_t len = 0;
	json_t *doc;
	FILE *f;

	(void)state;
	assert_non_null(h);
	memset(&ci, 0, sizeof(ci));
	tpcount_parse_reasons(fmt, ci.reason_value);
	assert_int_equal(ci.reason_value[MEMTRACE_R_SOCKET_RCVBUFF], 6);
	assert_int_equal(ci.reason_value[MEMTRACE_R_PROTO_MEM], 20);
	assert_int_equal(ci.reason_value[MEMTRACE_R_SOCKET_BACKLOG], 29);
	assert_int_equal(ci.reason_value[MEMTRACE_R_TCP_ZEROWINDOW], 32);
	assert_int_equal(ci.reason_value[MEMTRACE_R_TCP_OFO_QUEUE_PRUNE], 52);
	assert_int_equal(ci.reason_value[MEMTRACE_R_TCP_OFO_DROP], -1);	/* absent */
	tpcount_parse_reasons(NULL, ci.reason_value);
	assert_int_equal(ci.reason_value[MEMTRACE_R_SOCKET_RCVBUFF], -1);
	tpcount_parse_reasons(fmt, ci.reason_value);
	ci.kind = ci.reasons = true;
	ci.ncpus = 2;
	snprintf(ci.tracefs, sizeof(ci.tracefs), "/sys/kernel/tracing");
	mkcounters(&b, snmp0, net0);
	mkcounters(&a, snmp1, net1);
	mkwindow(&w, h, &info, &counts, &b, &a);
	w.info = NULL;
	w.bpf_why = "--backend perf";
	w.counted = &ci;
	w.entries = NULL;
	w.nentries = 0;
	w.names = NULL;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_false(t.bpf);
	assert_true(t.counted);
	assert_int_equal(t.level, TRACE_LEVEL_COUNTS);
	assert_string_equal(trace_level_name[t.level], "counts");
	assert_int_equal(t.total_events, 1007);
	assert_int_equal(t.reason_value[MEMTRACE_R_SOCKET_RCVBUFF], 6);
	assert_int_equal(counter(&t, "RcvbufErrors")->events_seen, 950);
	assert_false(counter(&t, "RcvbufErrors")->comparable);
	assert_false(counter(&t, "RcvbufErrors")->agrees);
	assert_non_null(strstr(t.coverage[0], "perf_event_open"));
	assert_non_null(strstr(t.coverage[0], "the whole host's"));
	f = open_memstream(&buf, &len);
	output_text_trace_summary(f, &t, &oo);
	fclose(f);
	assert_non_null(strstr(buf, "events counted: 1,007"));
	assert_non_null(strstr(buf, "attribution: counts: every event counted, none attributed"));
	assert_non_null(strstr(buf, "exact (not comparable)"));
	free(buf);
	doc = output_json_trace_summary(&t);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "events"), "total")), 1007);
	assert_true(json_is_null(json_object_get(doc, "top")));
	json_decref(doc);
	report_trace_free(&t);
	/* without the counts either: the counters alone */
	w.counted = NULL;
	w.counts = NULL;
	assert_int_equal(report_trace_build(&t, &w), 0);
	assert_int_equal(t.level, TRACE_LEVEL_COUNTERS);
	report_trace_free(&t);
	free(h);
}

/* The memory cgroup of an event's socket (v1 hierarchy), and a socket
 * without a cookie (MEMTRACE_COOKIE_INODE): JSON and text. */
static void memcg_and_cookie(void **state)
{
	struct memtrace_event e;
	struct trace_names nm;
	struct trace_line l;
	struct output_opts oo = { false, false };
	char *buf = NULL;
	size_t len = 0;
	json_t *doc, *mc;
	FILE *f;

	(void)state;
	memset(&nm, 0, sizeof(nm));
	mkevent(&e, MEMTRACE_EV_REFUSE_SEND, IPPROTO_TCP, 8080, 77, MEMTRACE_COOKIE_INODE | 77, 10);
	e.flags |= MEMTRACE_F_MEMCG;
	e.memcg_cgroup_id = 42;
	nm.inode = 77;
	nm.memcg_id = 42;
	nm.memcg_found = true;
	nm.memcg_v1 = true;
	snprintf(nm.memcg, sizeof(nm.memcg), "/smtrace");
	report_trace_line(&l, &e, &nm, &clk, 4096);
	assert_string_equal(l.cause, "memcg");
	doc = output_json_trace_line(&l);
	mc = json_object_get(doc, "memory_cgroup");
	assert_int_equal(json_integer_value(json_object_get(mc, "id")), 42);
	assert_string_equal(json_string_value(json_object_get(mc, "path")), "/smtrace");
	assert_string_equal(json_string_value(json_object_get(mc, "hierarchy")), "v1");
	/* the inode stood in for the cookie: no cookie shown */
	assert_true(json_is_null(json_object_get(json_object_get(doc, "socket"), "cookie")));
	json_decref(doc);
	f = open_memstream(&buf, &len);
	output_text_trace_line(f, &l, &oo);
	fclose(f);
	assert_non_null(strstr(buf, " memcg /smtrace (v1) "));
	free(buf);
	/* not found: its id; no memcg at all: null, nothing in the text */
	nm.memcg_found = false;
	report_trace_line(&l, &e, &nm, &clk, 4096);
	doc = output_json_trace_line(&l);
	assert_true(json_is_null(json_object_get(json_object_get(doc, "memory_cgroup"), "path")));
	json_decref(doc);
	buf = NULL;
	f = open_memstream(&buf, &len);
	output_text_trace_line(f, &l, &oo);
	fclose(f);
	assert_non_null(strstr(buf, " memcg id 42 "));
	free(buf);
	e.memcg_cgroup_id = 0;
	e.flags &= (uint8_t)~MEMTRACE_F_MEMCG;
	e.cookie = 5;
	report_trace_line(&l, &e, &nm, &clk, 4096);
	doc = output_json_trace_line(&l);
	assert_true(json_is_null(json_object_get(doc, "memory_cgroup")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "socket"), "cookie")), 5);
	json_decref(doc);
	buf = NULL;
	f = open_memstream(&buf, &len);
	output_text_trace_line(f, &l, &oo);
	fclose(f);
	assert_null(strstr(buf, "memcg"));
	free(buf);
}

/* Why a program would not load: an old kernel says so whatever the errno
 * (5.10 refuses the light skeleton's loader with E2BIG or EPERM, as root);
 * EPERM with the privilege held is not a missing capability. */
static void bpf_load_reasons(void **state)
{
	char b[200];

	(void)state;
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -E2BIG, "5.10.0-32-amd64", 1, 5, 19),
			    " (Linux 5.10 is older than the 5.19 with BTF these programs need)");
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -EPERM, "5.10.0-32-amd64", 1, 5, 17),
			    " (Linux 5.10 is older than the 5.17 with BTF these programs need)");
	assert_non_null(strstr(bpfwhy_hint(b, sizeof(b), -EPERM, "6.18.4", 1, 5, 17),
				"refused with CAP_SYS_ADMIN held"));
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -EPERM, "6.18.4", 0, 5, 17),
			    " (needs CAP_BPF and CAP_PERFMON, or root)");
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -EINVAL, "6.1.0", 1, 5, 19),
			    " (needs Linux 5.19 or later with BTF)");
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -ENOMEM, "6.1.0", 1, 5, 19), "");
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -ENOMEM, NULL, 1, 5, 19), "");
	assert_string_equal(bpfwhy_hint(b, sizeof(b), -EPERM, "garbage", 0, 5, 19),
			    " (needs CAP_BPF and CAP_PERFMON, or root)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_decoded),
		cmocka_unit_test(refusal_causes),
		cmocka_unit_test(summary_built),
		cmocka_unit_test(levels_and_coverage),
		cmocka_unit_test(counters_at_the_edges),
		cmocka_unit_test(bpf_load_reasons),
		cmocka_unit_test(memcg_and_cookie),
		cmocka_unit_test(renderers),
		cmocka_unit_test(press_polled),
		cmocka_unit_test(press_events),
		cmocka_unit_test(events_totals),
		cmocka_unit_test(counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
