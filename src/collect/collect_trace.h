/* collect_trace.h - the names of trace's sockets, looked up while they live:
 * the process from the socket's inode (the /proc/PID/fd scan of top --by
 * process, never the task that happened to run the event) and the cgroup v2
 * path from the socket's cgroup id.  The scan is repeated only for a socket
 * not found yet, at most as often as keeps its cost under a twentieth of
 * the time.  And the traced window around them, one for every command
 * that traces (trace, advise --trace, watch --events).  Returns -errno;
 * never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_COLLECT_TRACE_H
#define SOCKMEM_COLLECT_TRACE_H

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
	struct keymap memcgs;		/* memcg's cgroup id -> 1 + index in memcg[] */
	struct collect_trace_memcg {
		bool found, v1;
		char path[PATH_MAX];
	} *memcg;
	size_t nmemcgs, mcap;
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
/* collect_trace_names() for an event's socket, with its memory cgroup
 * (memcg_cgroup_id: the v1 memory hierarchy's path when there is one). */
const struct trace_names *collect_trace_event_names(struct collect_trace *c,
						    const struct memtrace_event *e, double now_s);
const struct trace_names *collect_trace_names(struct collect_trace *c, uint32_t inode,
					      uint64_t cgroup_id, double now_s);
/* Scans again for the pending sockets when the budget allows (force: now,
 * for the summary).  Returns 0 or the scan's -errno. */
int collect_trace_tick(struct collect_trace *c, double now_s, bool force);

/* The traced window, one implementation for trace (line or summary mode),
 * advise --trace (collect_trace_window) and watch --events (the live
 * calls below): the programs attached (else, when asked, the tracepoints
 * counted through perf_event_open, else nothing: the counters alone), the
 * counters read around the window, the events waited for until the
 * request's until() or duration or count says it ends, each handed to
 * on_event with its socket's names, TCP's pressure flag polled where the
 * pressure programs cannot attach.  What the caller decides (signals, a
 * closed pipe, lines printed) it says through until(), which names the end
 * ("sigint", "sigterm", "pipe", "count", "error") or returns NULL to go on.
 * Everything a trace_window needs is owned here (collect_trace_window_free). */
typedef void (*collect_trace_event_cb)(const struct memtrace_event *e,
				       const struct trace_names *nm, void *arg);
typedef const char *(*collect_trace_until_cb)(void *arg);

struct collect_trace_req {
	double duration_s;		/* ends after it ("duration"); 0: no limit */
	uint32_t netns_ino;		/* 0: every network namespace */
	uint16_t protocol;		/* IPPROTO_*, 0: every one */
	const char *protocol_name;	/* its name for the report and perf's filter, or NULL */
	uint64_t possible_cpus;
	bool every_event;		/* line mode: every event to on_event, not each
					 * entry's first (summary mode) */
	uint64_t count;			/* "count" once the kernel has counted this many
					 * (summary mode, or perf_event_open); 0: no limit */
	bool press_poll;		/* poll TCP's flag if the pressure programs cannot attach */
	const char *skip_bpf_why;	/* non-NULL: BPF not tried, this is why */
	bool bpf_required;		/* the programs or an error (collect_trace_window_open) */
	bool perf_fallback;		/* without BPF: counted through perf_event_open */
	collect_trace_event_cb on_event;	/* NULL: the names only */
	collect_trace_until_cb until;	/* NULL: the duration alone ends it */
	void *arg;			/* on_event's and until's */
};

struct collect_trace_window {
	struct collect_trace_req req;	/* a copy of the request */
	struct collect_trace names;
	/* the counters on both sides of each edge of the window: before it
	 * opens and just after, just before it closes and after */
	struct trace_counters before, opened, closing, after;
	bool edges;			/* opened and closing were read */
	struct tracer_info info;
	bool bpf;			/* the programs ran */
	bool counted;			/* without them, perf_event_open counted */
	struct tpcount_info cinfo;	/* how (counted) */
	const char *why;		/* why not, or a read failure */
	char nobpf_why[480];
	char read_why[160];
	int poll_rc;			/* the ring buffer's read failure (-errno), 0: none */
	int read_rc;			/* the maps' or perf counters' (-errno), 0: none */
	struct memtrace_counts counts;
	struct tracer_entry *entries;
	size_t nentries;
	const struct trace_names **entry_names;
	struct trace_press_poll press;	/* TCP's flag, polled when press_polled */
	bool press_polled;
	struct trace_clock clock;
	double start_mono_s, end_mono_s;
	/* "duration", "count", "error" (the ring), until()'s, "sample" (live) */
	const char *end_reason;
	uint64_t missed;
	bool oom;			/* some sockets are not named */
};

/* The window's four steps.  init (h: where the walks name their problems):
 * -ENOMEM.  open: attaches and opens the window; 0 even without BPF
 * (cw->bpf false, cw->why says why), except with q->bpf_required: the
 * tracer's -errno (nothing attached).  run: until the end (cw->end_reason;
 * a ring buffer failure in cw->poll_rc).  close: closes the window, reads
 * what it holds (a failure in cw->read_rc: the counters alone), detaches
 * and names the entries; 0 or -ENOMEM. */
int collect_trace_window_init(struct collect_trace_window *cw, struct host *h);
int collect_trace_window_open(struct collect_trace_window *cw, const struct collect_trace_req *q);
void collect_trace_window_run(struct collect_trace_window *cw);
int collect_trace_window_close(struct collect_trace_window *cw);
/* All four, for another command (advise --trace: summary mode; h
 * collected, for the problems and the CPU count).  0 or -ENOMEM. */
int collect_trace_window(struct host *h, const struct collect_trace_req *q,
			 struct collect_trace_window *out);
/* The report's view of the window just opened (trace's start line), and
 * of the window closed (pointers into cw; requested: 10 rows). */
void collect_trace_window_start_view(const struct collect_trace_window *cw, const struct host *h,
				     struct trace_window *w);
void collect_trace_window_view(const struct collect_trace_window *cw, const struct host *h,
			       const struct collect_trace_req *q, struct trace_window *w);
void collect_trace_window_free(struct collect_trace_window *cw);

/* watch --events: the programs attached for the whole watch (summary mode,
 * unpaused), their counts read at each sample, the sockets named while
 * they live.  Built on the window's state (no loop: each sample reads). */
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
