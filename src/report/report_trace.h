/* report_trace.h - the report of "sockmem trace": each refusal or memory
 * drop as a line (decoded once for every renderer: protocol, direction, the
 * protocol's usage against its limits, the socket, its process and cgroup),
 * and the summary of a window: events by kind, the top sockets, processes,
 * cgroups and ports, the kernel's counters over the same window beside the
 * events they count, the attribution level and what this kernel lets the
 * tracepoints see.  Pure: no I/O (the command collects, collect_trace.c
 * names sockets from /proc). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_REPORT_TRACE_H
#define SOCKMEM_REPORT_TRACE_H

#include "host.h"
#include "report.h"
#include "tpcount.h"
#include "tracer.h"

/* What a run can say about who: from the best to the least. */
enum trace_level {
	TRACE_LEVEL_PROCESS,	/* BPF: socket, cgroup and the process from /proc */
	TRACE_LEVEL_SOCKET,	/* BPF: socket and cgroup; /proc only partly readable */
	TRACE_LEVEL_COUNTS,	/* no BPF: the events counted (perf_event_open), no attribution */
	TRACE_LEVEL_COUNTERS,	/* no BPF: the kernel's counters over the window only */
	TRACE_LEVEL_COUNT
};
extern const char *const trace_level_name[TRACE_LEVEL_COUNT];

/* Per event code (MEMTRACE_EV_*): its name, kind and reason. */
struct trace_event_def {
	const char *name;	/* "refused-send", "drop-SOCKET_RCVBUFF" */
	const char *kind;	/* "refusal", "drop", "pressure", "abort" */
	const char *reason;	/* "SOCKET_RCVBUFF"; NULL for refusals */
	const char *direction;	/* "send", "receive", "any" (pressure) */
	const char *meaning;
};
extern const struct trace_event_def trace_event_defs[MEMTRACE_NEVENTS];

/* The names of a socket, from /proc when it was seen (collect_trace.c). */
struct trace_names {
	uint32_t inode;			/* the socket's inode, 0: none */
	bool pid_found;
	uint32_t pid;
	char comm[64];			/* escaped for a terminal; "?" when unreadable */
	bool cgroup_found;
	char cgroup[PATH_MAX];		/* relative to the cgroup2 mount, "/" for the root */
	uint64_t memcg_id;		/* the memory cgroup's own cgroup id, 0: none */
	bool memcg_found;
	bool memcg_v1;			/* in the cgroup v1 memory hierarchy */
	char memcg[PATH_MAX];		/* relative to that hierarchy's mount */
};

/* The clock of the programs (CLOCK_MONOTONIC) against the wall clock. */
struct trace_clock {
	double realtime_minus_monotonic_s;
};

/* One event, decoded. */
struct trace_line {
	const struct memtrace_event *e;
	const struct trace_event_def *def;
	double time_unix_s;
	char time_iso[40];		/* "2026-12-01T08:00:00.123456Z" */
	char time_local[16];		/* "08:00:00.123" */
	const char *protocol;		/* "tcp", "udp", "udplite", "sctp", "mptcp", "other" */
	const char *family;		/* "ipv4", "ipv6", NULL without a socket */
	const char *state;		/* "ESTAB", "UNCONN", ... NULL without a socket */
	char local[64], peer[64];	/* "addr:port", "[addr]:port" */
	const char *attributed;		/* "process", "socket", "none" */
	/* the protocol's usage and limits, when the event carried them */
	bool limits_ok;
	int64_t allocated_bytes;
	uint64_t limit_bytes[3];
	double usage_pct_of_max;	/* allocated / limit[2] * 100 */
	bool pressure;			/* the protocol's pressure flag was set */
	bool memcg;			/* the socket is charged to a memory cgroup */
	/* refusals: why the kernel refused, from the figures above */
	const char *cause;		/* "hard-limit", "pressure", "udp-min", "memcg", "orphans"
					 * (aborts), NULL */
	/* press-leave: the episode's length, when its enter was seen */
	bool episode_known;
	double episode_s;
	const struct trace_names *names;	/* NULL: not looked up */
	struct report_pod pod;
};

void report_trace_line(struct trace_line *l, const struct memtrace_event *e,
		       const struct trace_names *names, const struct trace_clock *clk,
		       uint64_t mem_unit_bytes);

/* The kernel's counters over the window, beside the events that match them. */
enum trace_match {
	TRACE_MATCH_EXACT,	/* the kernel counts the same event where it is traced */
	TRACE_MATCH_RELATED,	/* counts more (or less) than the events: a bound */
	TRACE_MATCH_CONTEXT,	/* no event of its own: shown for the window */
};
extern const char *const trace_match_name[3];

#define TRACE_MAX_COUNTERS 20

struct trace_counter {
	const char *group, *name;	/* "Udp", "RcvbufErrors" */
	const char *meaning;
	enum trace_match match;
	struct opt before, after, delta;	/* delta absent when either is, or it went back */
	struct opt delta_min;		/* between the inner readings of the edges: the
					 * kernel's count of the window is in
					 * [delta_min, delta] (absent: unknown) */
	bool has_events;		/* exact or related: events_seen is set */
	bool comparable;		/* the events cover what the counter counts:
					 * the same namespace, the protocol traced, no
					 * entry lost to a full map */
	uint64_t events_seen;		/* the matching events of the window */
	bool agrees;			/* exact: delta_min <= events_seen <= delta
					 * (events_seen == delta without the edges) */
};

/* The summary's groups. */
enum trace_by { TRACE_BY_SOCKET, TRACE_BY_PROCESS, TRACE_BY_CGROUP, TRACE_BY_PORT, TRACE_BY_COUNT };
extern const char *const trace_by_name[TRACE_BY_COUNT];

struct trace_row {
	uint64_t events;
	double share_pct;		/* of every event of the window */
	uint64_t by_event[MEMTRACE_NEVENTS];
	uint64_t dropped_bytes;		/* truesize of the packets dropped */
	/* the first event of the group's largest entry: names the socket */
	struct trace_line line;
	struct memtrace_event first;
	uint64_t sockets;		/* distinct sockets in the group */
};

#define TRACE_MAX_COVERAGE 8

struct report_trace {
	enum trace_level level;
	const char *level_why;		/* what is missing for a better level, or NULL */
	bool bpf;			/* the programs ran */
	bool rx_sk;			/* drops name their socket (6.11+) */
	bool drops;			/* memory drops are traced (5.17+: kfree_skb's reason) */
	char loader[64];		/* "light skeleton", "libbpf vX.Y"; "" without BPF */
	bool press;			/* pressure episodes and aborts are traced */
	bool counted;			/* no BPF: the events counted by perf_event_open */
	struct tpcount_info count_info;	/* how (counted) */
	char count_note[400];		/* the coverage note on it */
	char backport_note[400];	/* 6.7-6.15: what this run says of 8542d6fac25c */
	char memcg_note[400];		/* 4.19-6.17: what this run says of 9d85c565a7b7 */
	uint64_t memcg_recv_refusals;	/* receive charges the memcg refused, traced */
	const char *press_why;		/* why not, when they are not (and bpf) */
	uint64_t oom_checks;		/* tcp_check_oom calls seen (true or false) */
	bool press_polled;		/* instead: TCP's flag polled in /proc/net/protocols */
	uint64_t press_polls;		/* readings of it */
	bool press_before_trace;	/* an episode was on when the trace began */
	struct kversion kver;
	uint64_t mem_unit_bytes;
	/* what the run traced */
	uint32_t netns_ino;		/* 0: every network namespace */
	const char *protocol;		/* --protocol, or NULL */
	bool summary_only;		/* --summary */
	/* the window */
	double start_unix_s, end_unix_s, window_s;
	char start_iso[40], end_iso[40];
	const char *end_reason;		/* "duration", "count", "signal", "pipe", "error" */
	/* events by code (the kernel's per-CPU counts: every event, whatever the map held) */
	uint64_t events[MEMTRACE_NEVENTS];
	uint64_t total_events;
	double events_per_s;
	uint64_t lines_printed, ring_lost, agg_full, no_sock;
	uint64_t paired;		/* drops given the socket refused just before them */
	uint64_t missed;		/* the kernel did not run the programs (nested) */
	uint64_t unattributed_events;	/* no socket, or no process found */
	/* the reasons this kernel has: -1 absent */
	int32_t reason_value[MEMTRACE_NREASONS];
	const char *coverage[TRACE_MAX_COVERAGE];	/* per-kernel notes */
	int ncoverage;
	char absent_reasons[200];	/* the note on reasons this kernel lacks */
	char press_note[480];		/* the note on pressure events not traced */
	/* counters */
	struct trace_counter counter[TRACE_MAX_COUNTERS];
	int ncounter;
	const char *counters_scope;	/* "this network namespace" ... */
	bool counters_comparable;	/* events and counters cover the same namespaces */
	/* the top groups, largest first */
	struct trace_row *top[TRACE_BY_COUNT];
	int ntop[TRACE_BY_COUNT];
	uint64_t groups[TRACE_BY_COUNT];	/* distinct groups of each kind */
	int requested;			/* rows per group (-n) */
};

/* /proc/net/snmp and /proc/net/netstat at one moment (collect_trace.c). */
struct trace_counters {
	char *snmp_text, *netstat_text;	/* the files; the parsed views point into them */
	struct netstat snmp, netstat;
	int snmp_rc, netstat_rc;	/* 0 or -errno */
};

/* What the command hands the report at the end of a window. */
struct trace_window {
	const struct host *h;		/* the kernel version and page size */
	const struct trace_counters *before, *after;	/* at the start and the end */
	/* NULL, or read just inside the window's edges: after it opened,
	 * before it closed */
	const struct trace_counters *opened, *closing;
	const struct tracer_info *info;	/* NULL without BPF */
	const char *bpf_why;		/* why not, without BPF */
	bool procs_partial;		/* some processes' fds could not be read */
	const struct memtrace_counts *counts;	/* NULL without BPF */
	const struct tracer_entry *entries;
	size_t nentries;
	/* the names of each entry's socket (entries[i] -> names[i], NULL: none) */
	const struct trace_names *const *names;
	struct trace_clock clock;
	uint32_t netns_ino;
	const char *protocol;		/* --protocol, or NULL */
	uint16_t protocol_num;		/* its IPPROTO_*, 0: every protocol */
	bool summary_only;
	double start_unix_s, end_unix_s;
	const char *end_reason;
	uint64_t lines_printed;
	uint64_t missed;		/* tracer_missed() */
	const struct trace_press_poll *press_poll;	/* NULL: the flag was not polled */
	/* without BPF: counts holds perf_event_open's counts (info NULL) */
	const struct tpcount_info *counted;	/* NULL: not counted */
	int requested;
};

/* TCP's pressure flag polled (/proc/net/protocols "press"), where the
 * pressure programs cannot attach: each transition an event without a
 * socket, the episode's length to the poll's resolution. */
#define TRACE_PRESS_POLL_MS 100
struct trace_press_poll {
	int last;			/* -1: not read yet, 0: no, 1: yes */
	bool on_at_start;		/* the first reading was yes: an episode began before */
	bool entered_seen;		/* the current episode's start was seen */
	uint64_t entered_ns;		/* CLOCK_MONOTONIC of the read that saw it */
	uint64_t polls, enters, leaves;
	int last_rc;			/* the last read's -errno, 0: none */
};
void report_trace_press_init(struct trace_press_poll *p);
/* One reading (press: 1 yes, 0 no, -errno when unreadable) at now_ns:
 * true with *out filled when it is a transition (the first reading never
 * is: it says whether an episode began before the trace). */
bool report_trace_press_step(struct trace_press_poll *p, int press, uint64_t now_ns,
			     struct memtrace_event *out);

/* Builds the summary (t->top[] malloc'ed: report_trace_free).  -ENOMEM. */
int report_trace_build(struct report_trace *t, const struct trace_window *w);
void report_trace_free(struct report_trace *t);

/* watch --events: the programs' in-kernel counts since watch began, as
 * bounded-cardinality totals: refusals by protocol and direction, memory
 * drops by protocol and reason (an event whose entry the full map could
 * not keep under protocol "unknown", so that the totals are the kernel's),
 * and the TRACE_EVENTS_TOP cgroups and processes with the most events. */
#define TRACE_EVENTS_TOP 5
enum trace_proto { TRACE_P_TCP, TRACE_P_UDP, TRACE_P_UDPLITE, TRACE_P_SCTP, TRACE_P_MPTCP,
		   TRACE_P_OTHER, TRACE_P_NONE, TRACE_P_UNKNOWN, TRACE_P_COUNT };
extern const char *const trace_proto_name[TRACE_P_COUNT];

struct trace_events_group {
	uint64_t events;
	bool found;			/* named (the cgroup's path, the process) */
	uint64_t cgroup_id;
	char cgroup[PATH_MAX];
	uint32_t pid;
	char comm[64];
};

struct trace_events_report {
	bool bpf;
	enum trace_level level;
	const char *why;		/* no BPF: why */
	uint64_t refusals[TRACE_P_COUNT][2];	/* [protocol][0 send, 1 receive] */
	uint64_t drops[TRACE_P_COUNT][MEMTRACE_NREASONS];
	uint64_t press_enters, press_leaves, aborts;
	uint64_t ring_lost, map_full, missed;
	struct trace_events_group cgroup[TRACE_EVENTS_TOP], process[TRACE_EVENTS_TOP];
	int ncgroups, nprocesses;
};
/* From a window (t built from it: its top cgroups and processes). */
void report_trace_events_build(struct trace_events_report *e, const struct report_trace *t,
			       const struct trace_window *w);

/* The run's level from what was available (also for the start line). */
enum trace_level report_trace_level(bool bpf, bool procs_partial);
/* Without BPF: counted (perf_event_open) or the counters alone. */
enum trace_level report_trace_level_nobpf(bool counted);
/* The per-kernel notes on what the tracepoints can see (into t->coverage). */
void report_trace_coverage(struct report_trace *t);

#endif
