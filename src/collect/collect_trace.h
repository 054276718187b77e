/* collect_trace.h - the names of trace's sockets, looked up while they live:
 * the process from the socket's inode (the /proc/PID/fd scan of top --by
 * process, never the task that happened to run the event) and the cgroup v2
 * path from the socket's cgroup id.  The scan is repeated only for a socket
 * not found yet, at most as often as keeps its cost under a twentieth of
 * the time.  Returns -errno; never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_COLLECT_TRACE_H
#define SOCKMEM_COLLECT_TRACE_H

#include <signal.h>

#include "keymap.h"
#include "report_trace.h"

struct host;

struct collect_trace {
	struct host *h;			/* where the walks name what they could not read */
	struct keymap inode_pid;	/* the last scan: socket inode -> PID */
	struct keymap index;		/* socket key -> 1 + index in names[] */
	struct trace_names **names;	/* stable addresses: the report points at them */
	size_t nnames, cap;
	struct keymap cgroups;		/* cgroup id -> 1 + index in cgroup_path[] */
	char (*cgroup_path)[PATH_MAX];	/* "" when not found */
	size_t ncgroups, cgcap;
	struct collect_trace_pending {
		size_t i;		/* names[i] was not in the last scan */
		int misses;		/* scans that did not find it */
	} *pending;
	size_t npending, pcap;
	double last_scan_s;		/* CLOCK_MONOTONIC of the last scan, 0: none */
	double scan_cost_s;		/* what the last one took */
	uint64_t scans;
	bool partial;			/* some processes' fds could not be read */
	int last_rc;			/* the last scan's failure, 0: none */
};

/* Reads /proc/net/snmp and /proc/net/netstat (free with
 * collect_trace_counters_free); a file that cannot be used is absent, its
 * -errno in *_rc. */
void collect_trace_counters(struct trace_counters *out);
void collect_trace_counters_free(struct trace_counters *c);

/* TCP's pressure flag from /proc/net/protocols: 1 yes, 0 no, -errno
 * (-ENOENT: no TCP row or no press column). */
int collect_trace_press_flag(void);

/* h: the host whose problems the walks add to (host_problem_add). */
int collect_trace_init(struct collect_trace *c, struct host *h);
void collect_trace_free(struct collect_trace *c);

/* The names of the socket with this inode (0: none) in this cgroup; a
 * socket not in the last scan may trigger a new one (now_s: CLOCK_MONOTONIC)
 * or wait in the pending list.  NULL only when out of memory. */
const struct trace_names *collect_trace_names(struct collect_trace *c, uint32_t inode,
					      uint64_t cgroup_id, double now_s);
/* Scans again for the pending sockets when the budget allows (force: now,
 * for the summary).  Returns 0 or the scan's -errno. */
int collect_trace_tick(struct collect_trace *c, double now_s, bool force);

/* A window traced in summary mode for another command (advise --trace):
 * the programs attached, the counters read around the window, the events
 * counted in the kernel, the sockets named while they live.  Everything a
 * trace_window needs, owned here (collect_trace_window_free). */
struct collect_trace_req {
	double duration_s;
	uint32_t netns_ino;		/* 0: every network namespace */
	uint16_t protocol;		/* IPPROTO_*, 0: every one */
	const char *protocol_name;	/* its name for the report, or NULL */
	uint64_t possible_cpus;
	volatile sig_atomic_t *stop;	/* set (by a signal): end the window early */
};

struct collect_trace_window {
	struct collect_trace names;
	struct trace_counters before, after;
	struct tracer_info info;
	bool bpf;			/* the programs ran */
	const char *why;		/* why not, or a read failure */
	char read_why[160];
	struct memtrace_counts counts;
	struct tracer_entry *entries;
	size_t nentries;
	const struct trace_names **entry_names;
	struct trace_clock clock;
	double start_mono_s, end_mono_s;
	const char *end_reason;		/* "duration", "sigint" (stop), "error" */
	uint64_t missed;
	bool oom;
};

/* Runs the window (h: collected, for the problems and the CPU count).
 * 0 even without BPF (out->bpf false, out->why says why: the counters
 * alone); -ENOMEM. */
int collect_trace_window(struct host *h, const struct collect_trace_req *q,
			 struct collect_trace_window *out);
/* The report's view of it (pointers into out). */
void collect_trace_window_view(const struct collect_trace_window *cw, const struct host *h,
			       const struct collect_trace_req *q, struct trace_window *w);
void collect_trace_window_free(struct collect_trace_window *cw);

/* watch --events: the programs attached for the whole watch (summary mode,
 * unpaused), their counts read at each sample, the sockets named while
 * they live.  Built on collect_trace_window's state. */
int collect_trace_live_open(struct host *h, const struct collect_trace_req *q,
			    struct collect_trace_window *cw);
/* watch --events' request: this network namespace (every one with
 * all_netns), every protocol, the possible CPUs read here. */
void collect_trace_events_req(struct collect_trace_req *q, bool all_netns);
/* One sample: collect_trace_live_read, then the report of the totals
 * (report_trace_events_build).  0, or -errno: no events this sample. */
int collect_trace_events(struct collect_trace_window *cw, const struct host *h,
			 const struct collect_trace_req *q, struct trace_events_report *out);
/* Drains the ring (names), reads the counts and the map into cw and gives
 * the report's view of everything since the start.  0 or -errno (the
 * programs stay: the next sample may read them). */
int collect_trace_live_read(struct collect_trace_window *cw, const struct host *h,
			    const struct collect_trace_req *q, struct trace_window *w);

#endif
