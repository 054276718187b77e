/* report_trace.c - the report of "sockmem trace": events decoded into lines,
 * the window's summary (events by kind, the top sockets, processes, cgroups
 * and ports from the kernel's aggregation map), the kernel's counters over
 * the same window beside the events they count, the attribution level and
 * the per-kernel coverage of the tracepoints.  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "keymap.h"
#include "report_trace.h"

const char *const trace_level_name[TRACE_LEVEL_COUNT] = { "process", "socket", "counts", "counters" };
const char *const trace_match_name[3] = { "exact", "related", "context" };
const char *const trace_by_name[TRACE_BY_COUNT] = { "socket", "process", "cgroup", "port" };
const char *const trace_proto_name[TRACE_P_COUNT] = { "tcp", "udp", "udplite", "sctp", "mptcp",
						      "other", "none", "unknown" };

/* include/net/dropreason-core.h, the kernel's own words */
const struct trace_event_def trace_event_defs[MEMTRACE_NEVENTS] = {
	[MEMTRACE_EV_REFUSE_SEND] = { "refused-send", "refusal", NULL, "send",
				      "a send charge refused (sock_exceed_buf_limit)" },
	[MEMTRACE_EV_REFUSE_RECV] = { "refused-receive", "refusal", NULL, "receive",
				      "a receive charge refused (sock_exceed_buf_limit)" },
	[MEMTRACE_EV_DROP0 + MEMTRACE_R_PROTO_MEM] = {
		"drop-PROTO_MEM", "drop", "PROTO_MEM", "receive",
		"proto memory limitation: the charge against tcp_mem/udp_mem or the memory cgroup failed" },
	[MEMTRACE_EV_DROP0 + MEMTRACE_R_SOCKET_RCVBUFF] = {
		"drop-SOCKET_RCVBUFF", "drop", "SOCKET_RCVBUFF", "receive",
		"socket receive buffer is full" },
	[MEMTRACE_EV_DROP0 + MEMTRACE_R_SOCKET_BACKLOG] = {
		"drop-SOCKET_BACKLOG", "drop", "SOCKET_BACKLOG", "receive",
		"socket backlog is full (the owner held the lock, rcvbuf + sndbuf exceeded)" },
	[MEMTRACE_EV_DROP0 + MEMTRACE_R_TCP_OFO_QUEUE_PRUNE] = {
		"drop-TCP_OFO_QUEUE_PRUNE", "drop", "TCP_OFO_QUEUE_PRUNE", "receive",
		"pruned from the TCP out-of-order queue to free memory" },
	[MEMTRACE_EV_DROP0 + MEMTRACE_R_TCP_OFO_DROP] = {
		"drop-TCP_OFO_DROP", "drop", "TCP_OFO_DROP", "receive",
		"out-of-order data already in the receive queue" },
	[MEMTRACE_EV_DROP0 + MEMTRACE_R_TCP_ZEROWINDOW] = {
		"drop-TCP_ZEROWINDOW", "drop", "TCP_ZEROWINDOW", "receive",
		"TCP receive window is zero (the receive buffer is full)" },
	[MEMTRACE_EV_PRESS_ENTER] = { "press-enter", "pressure", NULL, "any",
				      "TCP entered memory pressure (tcp_mem[1] passed, or an skb "
				      "allocation failed): this socket's charge set the flag" },
	[MEMTRACE_EV_PRESS_LEAVE] = { "press-leave", "pressure", NULL, "any",
				      "TCP left memory pressure (usage fell below tcp_mem[0]): the "
				      "episode's length" },
	[MEMTRACE_EV_ABORT_MEMORY] = { "abort-memory", "abort", NULL, "send",
				       "connection reset for memory (tcp_check_oom: over tcp_mem[2] "
				       "or too many orphans; TCPAbortOnMemory)" },
};

#define EV_DROP(r) (MEMTRACE_EV_DROP0 + MEMTRACE_R_##r)

/* The counters over the window and the events each one counts. */
static const struct {
	const char *group, *name, *meaning;
	enum trace_match match;
	int ev[2];			/* event codes, -1: none */
	uint16_t protocol;		/* IPPROTO_* of the events */
	uint8_t family;			/* AF_INET: the IPv4 MIB only; 0: both */
	bool press;			/* the events come from the pressure programs */
} trace_counter_defs[] = {
	{ "Udp", "RcvbufErrors", "IPv4 datagrams dropped: receive buffer full", TRACE_MATCH_EXACT,
	  { EV_DROP(SOCKET_RCVBUFF), -1 }, IPPROTO_UDP, AF_INET, false },
	/* related, not exact: 6.18 drops a datagram whose receive charge the
	 * memory cgroup refused (PROTO_MEM, the socket's drop count) without
	 * MemErrors or InErrors (tests/trace.sh's memcg case) */
	{ "Udp", "MemErrors", "IPv4 datagrams dropped: udp_mem or memory cgroup charge failed "
	  "(6.18 leaves memcg refusals out: see the socket's drops)",
	  TRACE_MATCH_RELATED, { EV_DROP(PROTO_MEM), -1 }, IPPROTO_UDP, AF_INET, false },
	{ "Udp", "InErrors", "IPv4 receive errors of any kind (the two above, checksums, ...)",
	  TRACE_MATCH_RELATED, { EV_DROP(SOCKET_RCVBUFF), EV_DROP(PROTO_MEM) }, IPPROTO_UDP, AF_INET, false },
	{ "Udp", "SndbufErrors", "IPv4 sends failed: send buffer full", TRACE_MATCH_CONTEXT,
	  { -1, -1 }, 0, 0, false },
	{ "TcpExt", "TCPRcvQDrop", "in-order segments dropped: receive charge failed",
	  TRACE_MATCH_RELATED, { EV_DROP(PROTO_MEM), -1 }, IPPROTO_TCP, 0, false },
	{ "TcpExt", "TCPOFODrop", "out-of-order segments dropped: receive charge failed",
	  TRACE_MATCH_RELATED, { EV_DROP(PROTO_MEM), -1 }, IPPROTO_TCP, 0, false },
	{ "TcpExt", "TCPBacklogDrop", "segments dropped: socket backlog full", TRACE_MATCH_EXACT,
	  { EV_DROP(SOCKET_BACKLOG), -1 }, IPPROTO_TCP, 0, false },
	{ "TcpExt", "TCPZeroWindowDrop", "segments dropped: zero receive window", TRACE_MATCH_EXACT,
	  { EV_DROP(TCP_ZEROWINDOW), -1 }, IPPROTO_TCP, 0, false },
	{ "TcpExt", "OfoPruned", "out-of-order queues pruned (one per prune, events per packet)",
	  TRACE_MATCH_RELATED, { EV_DROP(TCP_OFO_QUEUE_PRUNE), -1 }, IPPROTO_TCP, 0, false },
	{ "TcpExt", "PruneCalled", "receive queue prunes for memory", TRACE_MATCH_CONTEXT, { -1, -1 },
	  0, 0, false },
	{ "TcpExt", "RcvPruned", "prunes that could not free enough", TRACE_MATCH_CONTEXT, { -1, -1 },
	  0, 0, false },
	{ "TcpExt", "TCPRcvCollapsed", "skbs collapsed to save memory", TRACE_MATCH_CONTEXT, { -1, -1 },
	  0, 0, false },
	/* counted in the namespace of the socket that entered: the events
	 * of the others' sockets are shown, not compared */
	{ "TcpExt", "TCPMemoryPressures", "times TCP entered memory pressure (by this namespace's "
	  "sockets)", TRACE_MATCH_EXACT, { MEMTRACE_EV_PRESS_ENTER, -1 }, IPPROTO_TCP, 0, true },
	{ "TcpExt", "TCPMemoryPressuresChrono", "ms in memory pressure (added when an episode ends)",
	  TRACE_MATCH_CONTEXT, { -1, -1 }, 0, 0, false },
	{ "TcpExt", "TCPAbortOnMemory", "connections reset: over tcp_mem max or too many orphans",
	  TRACE_MATCH_EXACT, { MEMTRACE_EV_ABORT_MEMORY, -1 }, IPPROTO_TCP, 0, true },
};

_Static_assert(sizeof(trace_counter_defs) / sizeof(trace_counter_defs[0]) <= TRACE_MAX_COUNTERS,
	       "TRACE_MAX_COUNTERS holds every counter");

enum trace_level report_trace_level_nobpf(bool counted)
{
	return counted ? TRACE_LEVEL_COUNTS : TRACE_LEVEL_COUNTERS;
}

enum trace_level report_trace_level(bool bpf, bool procs_partial)
{
	if (!bpf)
		return TRACE_LEVEL_COUNTERS;
	return procs_partial ? TRACE_LEVEL_SOCKET : TRACE_LEVEL_PROCESS;
}

static const char *report_trace_protocol(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_SCTP:
		return "sctp";
	case 262:		/* IPPROTO_MPTCP */
		return "mptcp";
	default:
		return "other";
	}
}

/* ss's names of the TCP states (include/net/tcp_states.h); UDP's are the
 * same numbers: ESTAB when connected, UNCONN (TCP_CLOSE) otherwise. */
static const char *report_trace_state(uint16_t proto, uint8_t s)
{
	static const char *const names[] = { "UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
					      "FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT",
					      "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV" };

	if (proto == IPPROTO_TCP && s == 7)
		return "CLOSE";
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "UNKNOWN";
}

static void report_trace_addr(char *dst, size_t n, int family, const uint8_t *a, uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (family == AF_INET6)
		snprintf(dst, n, "[%s]:%u", ip, port);
	else
		snprintf(dst, n, "%s:%u", ip, port);
}

static void report_trace_times(double unix_s, char *iso, size_t isosz, char *local, size_t localsz)
{
	time_t sec = (time_t)floor(unix_s);
	int us = (int)((unix_s - floor(unix_s)) * 1e6);
	struct tm tm;
	size_t n;

	if (us > 999999)
		us = 999999;
	if (!gmtime_r(&sec, &tm))
		memset(&tm, 0, sizeof(tm));
	n = strftime(iso, isosz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(iso + n, isosz - n, ".%06dZ", us);
	if (local) {
		if (!localtime_r(&sec, &tm))
			memset(&tm, 0, sizeof(tm));
		n = strftime(local, localsz, "%H:%M:%S", &tm);
		snprintf(local + n, localsz - n, ".%03d", us / 1000);
	}
}

static uint64_t report_trace_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Signed pages to bytes, saturated. */
static int64_t report_trace_bytes(int64_t pages, uint64_t unit)
{
	return report_pages_to_bytes(pages, unit);
}

static uint64_t report_trace_ubytes(int64_t pages, uint64_t unit)
{
	int64_t b = report_pages_to_bytes(pages, unit);

	return b < 0 ? 0 : (uint64_t)b;
}

/* __sk_mem_raise_allocated(): what the figures say refused the charge.
 * Above limit[2]: the hard limit.  Below limit[0] the protocol never
 * refuses: the memory cgroup did.  Between, TCP refuses a socket above its
 * fair share under pressure; UDP (no pressure state) refuses any socket
 * above its minimum, so udp_mem[0] is its effective limit. */
static const char *report_trace_cause(const struct trace_line *l)
{
	const struct memtrace_event *e = l->e;

	/* tcp_check_oom(): tcp_out_of_memory() (over tcp_mem[2]) or
	 * tcp_too_many_orphans() */
	if (e->event == MEMTRACE_EV_ABORT_MEMORY)
		return (e->flags & MEMTRACE_F_LIMITS) && e->allocated_pages > e->sysctl_mem_pages[2]
		       ? "hard-limit" : "orphans";

	if (!(e->flags & MEMTRACE_F_LIMITS))
		return e->flags & MEMTRACE_F_MEMCG ? "memcg" : NULL;
	if (e->allocated_pages > e->sysctl_mem_pages[2])
		return "hard-limit";
	if (e->allocated_pages <= e->sysctl_mem_pages[0])
		return e->flags & MEMTRACE_F_MEMCG ? "memcg" : NULL;
	if (e->protocol == IPPROTO_UDP || e->protocol == IPPROTO_UDPLITE)
		return "udp-min";
	return "pressure";
}

void report_trace_line(struct trace_line *l, const struct memtrace_event *e,
		       const struct trace_names *names, const struct trace_clock *clk,
		       uint64_t mem_unit_bytes)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->e = e;
	l->def = &trace_event_defs[e->event < MEMTRACE_NEVENTS ? e->event : 0];
	l->time_unix_s = (double)e->time_ns / 1e9 + clk->realtime_minus_monotonic_s;
	report_trace_times(l->time_unix_s, l->time_iso, sizeof(l->time_iso), l->time_local,
			   sizeof(l->time_local));
	l->names = names;
	l->attributed = "none";
	if (e->event == MEMTRACE_EV_PRESS_LEAVE && (e->flags & MEMTRACE_F_EPISODE)) {
		l->episode_known = true;
		l->episode_s = (double)e->episode_ms / 1000.0;
	}
	if (!(e->flags & MEMTRACE_F_SOCK)) {
		l->protocol = e->xflags & MEMTRACE_X_POLLED ? "tcp" : "other";
		return;
	}
	l->attributed = names && names->pid_found ? "process" : "socket";
	l->protocol = report_trace_protocol(e->protocol);
	l->family = e->family == AF_INET6 ? "ipv6" : "ipv4";
	l->state = report_trace_state(e->protocol, e->state);
	report_trace_addr(l->local, sizeof(l->local), e->family, e->src, e->sport);
	report_trace_addr(l->peer, sizeof(l->peer), e->family, e->dst, e->dport);
	l->pressure = e->flags & MEMTRACE_F_PRESSURE;
	l->memcg = e->flags & MEMTRACE_F_MEMCG;
	if (e->flags & MEMTRACE_F_LIMITS) {
		l->limits_ok = true;
		l->allocated_bytes = report_trace_bytes(e->allocated_pages, mem_unit_bytes);
		for (i = 0; i < 3; i++)
			l->limit_bytes[i] = report_trace_ubytes(e->sysctl_mem_pages[i], mem_unit_bytes);
		l->usage_pct_of_max = e->sysctl_mem_pages[2] > 0
				      ? (double)e->allocated_pages * 100.0 / (double)e->sysctl_mem_pages[2]
				      : 0;
	}
	if (!strcmp(l->def->kind, "refusal") || !strcmp(l->def->kind, "abort"))
		l->cause = report_trace_cause(l);
	if (names && names->cgroup_found)
		report_pod_from_cgroup(names->cgroup, &l->pod);
}

void report_trace_coverage(struct report_trace *t)
{
	const struct kversion *kv = &t->kver;
	char *absent = t->absent_reasons;
	const size_t absentsz = sizeof(t->absent_reasons);
	size_t len = 0;
	int i;

	t->ncoverage = 0;
	if (!t->bpf && !t->counted) {
		t->coverage[t->ncoverage++] = "no event was traced: only the kernel's counters over the "
					      "window, without attribution";
		return;
	}
	if (t->counted) {
		const struct tpcount_info *ci = &t->count_info;

		snprintf(t->count_note, sizeof(t->count_note), "without BPF: the events counted "
			 "through perf_event_open on sock:sock_exceed_buf_limit%s and skb:kfree_skb%s "
			 "(%s, %d CPUs): the whole host's, every network namespace%s, no socket, "
			 "process or cgroup", ci->kind ? " by direction" : " (no kind field: every "
			 "refusal counted as a receive one)", ci->reasons ? " by memory reason"
			 : " (no reason field: drops not counted)", ci->tracefs, ci->ncpus,
			 !t->protocol ? "" : ci->protocol_filtered ? "; refusals of this protocol, drops "
			 "of every one" : "; every protocol");
		t->coverage[t->ncoverage++] = t->count_note;
	}
	if (t->bpf && !t->drops)
		t->coverage[t->ncoverage++] = "before Linux 5.17 skb:kfree_skb has no drop reason: memory "
					      "drops are not traced, only counted by the kernel (the "
					      "counters over the window); the refused charges behind "
					      "most of them are, with their socket (the programs loaded "
					      "through libbpf: no light skeleton before 5.17)";
	else if (t->bpf && !t->rx_sk)
		t->coverage[t->ncoverage++] = "before Linux 6.11 skb:kfree_skb has no rx_sk: a receive "
					      "drop names its socket when the packet was already charged "
					      "to it (skb->sk), or, for a PROTO_MEM drop, when a receive "
					      "charge was refused just before on the same CPU (that "
					      "socket: drops_given_refusal_socket); the others are "
					      "counted, not attributed";
	/* as for 8542d6fac25c below: the version does not say whether the
	 * stable fix is in (Debian's 6.1.176 has it, 5.10.223 not); a memcg
	 * receive refusal traced says it is */
	if (kv->ok && sysinfo_kver_ge(kv, 4, 19) && !sysinfo_kver_ge(kv, 6, 18)) {
		if (t->memcg_recv_refusals)
			snprintf(t->memcg_note, sizeof(t->memcg_note),
				 "Linux 4.19 to 6.17 without 9d85c565a7b7 (6.18; stable 5.4-6.17 from "
				 "late 2025) does not pass a receive charge refused by the memory cgroup "
				 "to sock_exceed_buf_limit; this kernel did, %llu times in this window: "
				 "it has the fix", (unsigned long long)t->memcg_recv_refusals);
		else
			snprintf(t->memcg_note, sizeof(t->memcg_note),
				 "Linux 4.19 to 6.17: a receive charge refused by the memory cgroup does "
				 "not reach sock_exceed_buf_limit (fixed by 9d85c565a7b7 in 6.18, in "
				 "stable 5.4-6.17 from late 2025; no memcg receive refusal in this window "
				 "tells whether this kernel has it): it shows as a PROTO_MEM drop");
		t->coverage[t->ncoverage++] = t->memcg_note;
	}
	/* The version does not say whether the fix is in: stable trees took it
	 * (Debian's 6.12.117 has it).  Memcg refusals are silent before 6.18
	 * (above), so any receive refusal seen here was one outside a memory
	 * cgroup: the run itself shows the fix. */
	if (kv->ok && sysinfo_kver_ge(kv, 6, 7) && !sysinfo_kver_ge(kv, 6, 16)) {
		if (t->events[MEMTRACE_EV_REFUSE_RECV])
			snprintf(t->backport_note, sizeof(t->backport_note),
				 "Linux 6.7 to 6.15 without 8542d6fac25c does not pass a receive charge "
				 "refused outside a memory cgroup to sock_exceed_buf_limit (2def8ff3fdb6); "
				 "this kernel did, %llu times in this window: it has the fix",
				 (unsigned long long)t->events[MEMTRACE_EV_REFUSE_RECV]);
		else
			snprintf(t->backport_note, sizeof(t->backport_note),
				 "Linux 6.7 to 6.15: a receive charge refused outside a memory cgroup "
				 "does not reach sock_exceed_buf_limit (2def8ff3fdb6) unless the kernel "
				 "has 8542d6fac25c (stable trees took it; no refusal in this window "
				 "tells which): it shows as a PROTO_MEM drop");
		t->coverage[t->ncoverage++] = t->backport_note;
	}
	t->coverage[t->ncoverage++] = "a TCP send charge above the limits is forced, not refused, while "
				      "the socket's queue is below its sndbuf: no event (the kernel's design)";
	/* the pressure programs need BPF: a counted run says nothing of them */
	if (t->bpf && t->press)
		t->coverage[t->ncoverage++] = "TCP memory pressure episodes and aborts on memory: fentry/fexit "
					      "on tcp_enter_memory_pressure, tcp_leave_memory_pressure and "
					      "tcp_check_oom; the pressure state is the host's: an episode "
					      "shows whichever namespace's socket entered or left it";
	else if (t->bpf) {
		snprintf(t->press_note, sizeof(t->press_note), "TCP memory pressure episodes from the "
			 "press flag of /proc/net/protocols polled every %d ms, without the socket that "
			 "entered, their lengths to that resolution; aborts on memory not traced (see "
			 "TCPAbortOnMemory): the pressure programs: %s", TRACE_PRESS_POLL_MS,
			 t->press_why ? t->press_why : "not loaded");
		t->coverage[t->ncoverage++] = t->press_note;
	}
	for (i = 0; (!t->bpf || t->drops) && i < MEMTRACE_NREASONS; i++) {
		if (t->reason_value[i] >= 0)
			continue;
		len += (size_t)snprintf(absent + len, absentsz - len, "%s%s",
					len ? ", " : "this kernel has no drop reason ",
					trace_event_defs[MEMTRACE_EV_DROP0 + i].reason);
		if (len >= absentsz)
			len = absentsz - 1;
	}
	if (len && t->ncoverage < TRACE_MAX_COVERAGE)
		t->coverage[t->ncoverage++] = absent;
}

static struct opt report_trace_counter(const struct trace_counters *c, const char *group,
				       const char *name)
{
	struct opt none = { 0, false };

	if (!c)
		return none;
	if (!strcmp(group, "TcpExt"))
		return c->netstat_rc ? none : netstat_get(&c->netstat, group, name);
	return c->snmp_rc ? none : netstat_get(&c->snmp, group, name);
}

static bool report_trace_entry_counts(const struct tracer_entry *en, int ev, uint16_t protocol,
				      uint8_t family, uint32_t netns_ino)
{
	const struct memtrace_event *f = &en->val.first;

	if ((int)en->key.event != ev || !(f->flags & MEMTRACE_F_SOCK) || f->protocol != protocol)
		return false;
	/* the pressure events of every namespace are traced; the counters
	 * are this one's */
	if (netns_ino && en->key.netns_ino != netns_ino)
		return false;
	return !family || f->family == family;
}

static void report_trace_counters(struct report_trace *t, const struct trace_window *w)
{
	size_t i, j;
	int k;

	t->ncounter = 0;
	for (i = 0; i < sizeof(trace_counter_defs) / sizeof(trace_counter_defs[0]); i++) {
		struct trace_counter *c = &t->counter[t->ncounter++];

		memset(c, 0, sizeof(*c));
		c->group = trace_counter_defs[i].group;
		c->name = trace_counter_defs[i].name;
		c->meaning = trace_counter_defs[i].meaning;
		c->match = trace_counter_defs[i].match;
		c->before = report_trace_counter(w->before, c->group, c->name);
		c->after = report_trace_counter(w->after, c->group, c->name);
		if (c->before.ok && c->after.ok && c->after.v >= c->before.v) {
			c->delta.ok = true;
			c->delta.v = c->after.v - c->before.v;
		}
		if (c->delta.ok && w->opened && w->closing) {
			struct opt o = report_trace_counter(w->opened, c->group, c->name);
			struct opt e = report_trace_counter(w->closing, c->group, c->name);

			if (o.ok && e.ok && o.v >= c->before.v && e.v >= o.v && c->after.v >= e.v) {
				c->delta_min.ok = true;
				c->delta_min.v = e.v - o.v;
			}
		}
		if (c->match == TRACE_MATCH_CONTEXT || (!t->bpf && !t->counted) ||
		    (trace_counter_defs[i].press && !t->press))
			continue;
		c->has_events = true;
		if (t->counted) {
			/* the host's events by code: a bound, never comparable */
			for (k = 0; k < 2; k++)
				if (trace_counter_defs[i].ev[k] >= 0)
					c->events_seen = report_trace_add(c->events_seen,
									  t->events[trace_counter_defs[i].ev[k]]);
			continue;
		}
		for (j = 0; j < w->nentries; j++)
			for (k = 0; k < 2; k++)
				if (trace_counter_defs[i].ev[k] >= 0 &&
				    report_trace_entry_counts(&w->entries[j], trace_counter_defs[i].ev[k],
							      trace_counter_defs[i].protocol,
							      trace_counter_defs[i].family, w->netns_ino))
					c->events_seen = report_trace_add(c->events_seen,
								      w->entries[j].val.count);
		c->comparable = t->counters_comparable && !t->agg_full &&
				(!w->protocol_num || w->protocol_num == trace_counter_defs[i].protocol);
		/* events that came while the counters were read at an edge are
		 * the kernel's and maybe not the programs': between the inner
		 * and the outer readings (equal when nothing came) */
		c->agrees = c->match == TRACE_MATCH_EXACT && c->comparable && c->delta.ok &&
			    c->events_seen <= c->delta.v &&
			    c->events_seen >= (c->delta_min.ok ? c->delta_min.v : c->delta.v);
	}
}

/* ---- the top groups ---- */

static uint64_t report_trace_group_key(enum trace_by by, const struct tracer_entry *en,
				       const struct trace_names *nm)
{
	const struct memtrace_event *f = &en->val.first;

	switch (by) {
	case TRACE_BY_SOCKET:
		/* a socket without a cookie (skb->sk before anyone asked, no
		 * helper before 5.12): its inode, in the key already
		 * (MEMTRACE_COOKIE_INODE) or from the first event */
		if (en->key.cookie)
			return en->key.cookie;
		return (1ull << 63) | ((uint64_t)en->key.netns_ino << 32) | f->inode;
	case TRACE_BY_PROCESS:
		return nm && nm->pid_found ? nm->pid : 0;
	case TRACE_BY_CGROUP:
		return en->key.cgroup_id;
	case TRACE_BY_PORT:
		if (!(f->flags & MEMTRACE_F_SOCK))
			return 0;
		return ((uint64_t)f->protocol << 16 | f->sport) + 1;
	default:
		return 0;
	}
}

static int report_trace_cmp(const void *a, const void *b)
{
	const struct trace_row *x = a, *y = b;

	if (x->events != y->events)
		return x->events < y->events ? 1 : -1;
	return x->first.time_ns < y->first.time_ns ? -1 : x->first.time_ns > y->first.time_ns;
}

struct report_trace_group {
	size_t row;
	uint64_t largest;		/* the count of the entry that names the row */
	uint64_t last_socket;
};

static int report_trace_top(struct report_trace *t, const struct trace_window *w, enum trace_by by)
{
	struct trace_row *rows = NULL, *grown;
	size_t nrows = 0, cap = 0, i;
	struct keymap groups;
	struct keymap seen;		/* (group, socket) pairs already counted */
	int rc = 0;

	if (keymap_init(&groups, sizeof(struct report_trace_group)) ||
	    keymap_init(&seen, sizeof(uint8_t)))
		return -ENOMEM;
	for (i = 0; i < w->nentries; i++) {
		const struct tracer_entry *en = &w->entries[i];
		const struct trace_names *nm = w->names ? w->names[i] : NULL;
		uint64_t key = report_trace_group_key(by, en, nm);
		uint64_t sock = report_trace_group_key(TRACE_BY_SOCKET, en, nm);
		struct report_trace_group *g = keymap_find(&groups, key);
		struct trace_row *r;
		uint8_t *s;

		if (!g) {
			g = keymap_get(&groups, key);
			if (!g) {
				rc = -ENOMEM;
				break;
			}
			if (nrows == cap) {
				cap = cap ? 2 * cap : 64;
				grown = realloc(rows, cap * sizeof(*rows));
				if (!grown) {
					rc = -ENOMEM;
					break;
				}
				rows = grown;
			}
			g->row = nrows++;
			memset(&rows[g->row], 0, sizeof(rows[g->row]));
		}
		r = &rows[g->row];
		r->events = report_trace_add(r->events, en->val.count);
		if (en->key.event < MEMTRACE_NEVENTS)
			r->by_event[en->key.event] = report_trace_add(r->by_event[en->key.event],
								  en->val.count);
		r->dropped_bytes = report_trace_add(r->dropped_bytes, en->val.truesize_sum);
		/* distinct sockets of the group: a socket's entries are per event */
		s = keymap_find(&seen, sock ^ (key * 0x9e3779b97f4a7c15ull));
		if (!s) {
			s = keymap_get(&seen, sock ^ (key * 0x9e3779b97f4a7c15ull));
			if (!s) {
				rc = -ENOMEM;
				break;
			}
			r->sockets++;
		}
		if (en->val.count > g->largest || !r->first.time_ns) {
			g->largest = en->val.count;
			r->first = en->val.first;
			report_trace_line(&r->line, &r->first, nm, &w->clock, t->mem_unit_bytes);
		}
	}
	keymap_free(&seen);
	keymap_free(&groups);
	if (rc) {
		free(rows);
		return rc;
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), report_trace_cmp);
	/* line.e points into the row: sorting moved them */
	for (i = 0; i < nrows; i++) {
		rows[i].line.e = &rows[i].first;
		rows[i].share_pct = t->total_events ? (double)rows[i].events * 100.0 /
						      (double)t->total_events : 0;
	}
	t->groups[by] = nrows;
	t->ntop[by] = nrows < (size_t)w->requested ? (int)nrows : w->requested;
	t->top[by] = rows;
	return 0;
}

void report_trace_press_init(struct trace_press_poll *p)
{
	memset(p, 0, sizeof(*p));
	p->last = -1;
}

bool report_trace_press_step(struct trace_press_poll *p, int press, uint64_t now_ns,
			     struct memtrace_event *out)
{
	bool first = p->last < 0;
	int was = p->last;

	if (press < 0) {
		p->last_rc = press;
		return false;	/* unreadable: no transition is made up */
	}
	p->polls++;
	p->last = press ? 1 : 0;
	if (first)
		p->on_at_start = p->last;
	if (first || p->last == was)
		return false;
	memset(out, 0, sizeof(*out));
	out->time_ns = now_ns;
	out->protocol = IPPROTO_TCP;
	out->xflags = MEMTRACE_X_POLLED;
	if (p->last) {
		out->event = MEMTRACE_EV_PRESS_ENTER;
		p->enters++;
		p->entered_seen = true;
		p->entered_ns = now_ns;
	} else {
		out->event = MEMTRACE_EV_PRESS_LEAVE;
		p->leaves++;
		if (p->entered_seen && now_ns >= p->entered_ns) {
			uint64_t ms = (now_ns - p->entered_ns) / 1000000u;

			out->episode_ms = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
			out->flags |= MEMTRACE_F_EPISODE;
		}
		p->entered_seen = false;
	}
	return true;
}

int report_trace_build(struct report_trace *t, const struct trace_window *w)
{
	size_t i;
	int by, rc, k;

	memset(t, 0, sizeof(*t));
	t->bpf = w->info != NULL;
	t->rx_sk = w->info && w->info->rx_sk;
	t->drops = w->info && w->info->drops;
	if (w->info && w->info->loader)
		snprintf(t->loader, sizeof(t->loader), "%s", w->info->loader);
	t->press = w->info && w->info->press;
	t->press_why = w->info && !w->info->press ? w->info->press_why : NULL;
	t->counted = !t->bpf && w->counted && w->counts;
	if (t->counted)
		t->count_info = *w->counted;
	t->level = t->bpf ? report_trace_level(true, w->procs_partial)
		   : report_trace_level_nobpf(t->counted);
	t->level_why = !t->bpf ? w->bpf_why
		       : w->procs_partial ? "some processes' file descriptors could not be read "
					    "(run as root to name every socket's process)"
		       : NULL;
	if (w->h) {
		t->kver = w->h->kver;
		t->mem_unit_bytes = model_mem_unit_bytes(t->kver.major, t->kver.minor,
							 w->h->page_size_bytes);
	}
	if (!t->mem_unit_bytes)
		t->mem_unit_bytes = 4096;
	for (k = 0; k < MEMTRACE_NREASONS; k++)
		t->reason_value[k] = w->info ? w->info->reason_value[k]
				     : w->counted ? w->counted->reason_value[k] : -1;
	t->netns_ino = w->netns_ino;
	t->protocol = w->protocol;
	t->summary_only = w->summary_only;
	t->requested = w->requested;
	t->start_unix_s = w->start_unix_s;
	t->end_unix_s = w->end_unix_s;
	t->window_s = w->end_unix_s > w->start_unix_s ? w->end_unix_s - w->start_unix_s : 0;
	report_trace_times(w->start_unix_s, t->start_iso, sizeof(t->start_iso), NULL, 0);
	report_trace_times(w->end_unix_s, t->end_iso, sizeof(t->end_iso), NULL, 0);
	t->end_reason = w->end_reason;
	t->lines_printed = w->lines_printed;
	if (w->counts) {
		for (k = 0; k < MEMTRACE_NEVENTS; k++) {
			t->events[k] = w->counts->events[k];
			t->total_events = report_trace_add(t->total_events, t->events[k]);
		}
		t->ring_lost = w->counts->ring_lost;
		t->agg_full = w->counts->agg_full;
		t->no_sock = w->counts->no_sock;
		t->paired = w->counts->paired;
		t->oom_checks = w->counts->oom_checks;
		t->missed = w->missed;
	}
	if (w->press_poll && !t->press) {
		t->press_polled = true;
		t->press_polls = w->press_poll->polls;
		t->press_before_trace = w->press_poll->on_at_start;
		t->events[MEMTRACE_EV_PRESS_ENTER] = report_trace_add(t->events[MEMTRACE_EV_PRESS_ENTER],
								      w->press_poll->enters);
		t->events[MEMTRACE_EV_PRESS_LEAVE] = report_trace_add(t->events[MEMTRACE_EV_PRESS_LEAVE],
								      w->press_poll->leaves);
		t->total_events = report_trace_add(t->total_events,
						   report_trace_add(w->press_poll->enters,
								    w->press_poll->leaves));
	}
	t->events_per_s = t->window_s > 0 ? (double)t->total_events / t->window_s : 0;
	t->unattributed_events = t->no_sock;
	for (i = 0; i < w->nentries; i++)
		if ((w->entries[i].val.first.flags & MEMTRACE_F_SOCK) &&
		    !(w->names && w->names[i] && w->names[i]->pid_found))
			t->unattributed_events = report_trace_add(t->unattributed_events,
							      w->entries[i].val.count);
	/* receive charges the memory cgroup refused, traced: the kernel has
	 * 9d85c565a7b7 (the coverage says so) */
	for (i = 0; i < w->nentries; i++) {
		const struct memtrace_event *f = &w->entries[i].val.first;
		struct trace_line fl;

		if (w->entries[i].key.event != MEMTRACE_EV_REFUSE_RECV || !(f->flags & MEMTRACE_F_MEMCG))
			continue;
		report_trace_line(&fl, f, NULL, &w->clock, t->mem_unit_bytes);
		if (fl.cause && !strcmp(fl.cause, "memcg"))
			t->memcg_recv_refusals = report_trace_add(t->memcg_recv_refusals,
								  w->entries[i].val.count);
	}
	report_trace_coverage(t);
	/* the counters are this namespace's: comparable when the events are too */
	t->counters_comparable = t->bpf && w->netns_ino != 0;
	t->counters_scope = w->netns_ino ? "this network namespace" :
			    "this network namespace; the events: every one";
	report_trace_counters(t, w);
	for (by = 0; by < TRACE_BY_COUNT; by++) {
		rc = report_trace_top(t, w, (enum trace_by)by);
		if (rc) {
			report_trace_free(t);
			return rc;
		}
	}
	return 0;
}

void report_trace_free(struct report_trace *t)
{
	int by;

	for (by = 0; by < TRACE_BY_COUNT; by++) {
		free(t->top[by]);
		t->top[by] = NULL;
		t->ntop[by] = 0;
	}
}

/* ---- watch --events ---- */

static enum trace_proto report_trace_proto_index(const struct memtrace_event *e)
{
	if (!(e->flags & MEMTRACE_F_SOCK))
		return TRACE_P_NONE;
	switch (e->protocol) {
	case IPPROTO_TCP:
		return TRACE_P_TCP;
	case IPPROTO_UDP:
		return TRACE_P_UDP;
	case IPPROTO_UDPLITE:
		return TRACE_P_UDPLITE;
	case IPPROTO_SCTP:
		return TRACE_P_SCTP;
	case 262:
		return TRACE_P_MPTCP;
	default:
		return TRACE_P_OTHER;
	}
}

/* The counter of event code ev for protocol p, NULL for the other events. */
static uint64_t *report_trace_events_slot(struct trace_events_report *e, enum trace_proto p, int ev)
{
	if (ev == MEMTRACE_EV_REFUSE_SEND || ev == MEMTRACE_EV_REFUSE_RECV)
		return &e->refusals[p][ev == MEMTRACE_EV_REFUSE_RECV];
	if (ev >= MEMTRACE_EV_DROP0 && ev < MEMTRACE_EV_DROP0 + MEMTRACE_NREASONS)
		return &e->drops[p][ev - MEMTRACE_EV_DROP0];
	return NULL;
}

void report_trace_events_build(struct trace_events_report *e, const struct report_trace *t,
			       const struct trace_window *w)
{
	uint64_t seen[MEMTRACE_NEVENTS] = { 0 };
	uint64_t *slot;
	size_t i;
	int k;

	memset(e, 0, sizeof(*e));
	e->bpf = t->bpf;
	e->level = t->level;
	e->why = t->level_why;
	if (!t->bpf)
		return;
	for (i = 0; i < w->nentries; i++) {
		const struct tracer_entry *en = &w->entries[i];
		int ev = (int)en->key.event;

		if (ev < 0 || ev >= MEMTRACE_NEVENTS)
			continue;
		seen[ev] = report_trace_add(seen[ev], en->val.count);
		slot = report_trace_events_slot(e, report_trace_proto_index(&en->val.first), ev);
		if (slot)
			*slot = report_trace_add(*slot, en->val.count);
	}
	/* what the kernel counted beyond the map's entries (a full map) */
	for (k = 0; k < MEMTRACE_NEVENTS; k++) {
		slot = report_trace_events_slot(e, TRACE_P_UNKNOWN, k);
		if (slot && t->events[k] > seen[k])
			*slot = t->events[k] - seen[k];
	}
	e->press_enters = t->events[MEMTRACE_EV_PRESS_ENTER];
	e->press_leaves = t->events[MEMTRACE_EV_PRESS_LEAVE];
	e->aborts = t->events[MEMTRACE_EV_ABORT_MEMORY];
	e->ring_lost = t->ring_lost;
	e->map_full = t->agg_full;
	e->missed = t->missed;
	for (k = 0; k < t->ntop[TRACE_BY_CGROUP] && k < TRACE_EVENTS_TOP; k++) {
		const struct trace_row *r = &t->top[TRACE_BY_CGROUP][k];
		struct trace_events_group *g = &e->cgroup[e->ncgroups++];

		g->events = r->events;
		g->cgroup_id = r->first.cgroup_id;
		if (r->line.names && r->line.names->cgroup_found) {
			g->found = true;
			snprintf(g->cgroup, sizeof(g->cgroup), "%s", r->line.names->cgroup);
		}
	}
	for (k = 0; k < t->ntop[TRACE_BY_PROCESS] && k < TRACE_EVENTS_TOP; k++) {
		const struct trace_row *r = &t->top[TRACE_BY_PROCESS][k];
		struct trace_events_group *g;

		/* the events no process was found for are not a process */
		if (!r->line.names || !r->line.names->pid_found)
			continue;
		g = &e->process[e->nprocesses++];
		g->events = r->events;
		g->found = true;
		g->pid = r->line.names->pid;
		snprintf(g->comm, sizeof(g->comm), "%s", r->line.names->comm);
	}
}
