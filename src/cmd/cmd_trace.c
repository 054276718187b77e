/* cmd_trace.c - "sockmem trace": every charge refused and every packet
 * dropped for memory as it happens, with its socket, process and cgroup
 * (BPF on sock:sock_exceed_buf_limit and skb:kfree_skb, and TCP's memory
 * pressure and aborts), one line each or --summary; on exit (Ctrl-C,
 * SIGTERM, --duration, --count, a closed pipe) the summary with the
 * kernel's counters over the same window.  Without BPF it says what is
 * missing and counts the tracepoints through perf_event_open (tpcount.c),
 * or reports the counters' deltas alone. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect_trace.h"
#include "output.h"

/* How long one wait for events lasts: the loop's reaction time to
 * --duration and --count in summary mode. */
#define TRACE_TICK_MS 100

enum { OPT_TRACE_DURATION = OPT_TRACE_BASE, OPT_TRACE_PROTOCOL, OPT_TRACE_SUMMARY,
       OPT_TRACE_BACKEND };

/* Where the events come from (--backend). */
enum { TRACE_SRC_AUTO, TRACE_SRC_BPF, TRACE_SRC_PERF, TRACE_SRC_COUNTERS };
static const char *const trace_sources[] = { "auto", "bpf", "perf", "counters" };
static int trace_source = TRACE_SRC_AUTO;

static const char *const trace_protocols[] = { "tcp", "udp", "udplite", "sctp", "mptcp" };
static const uint16_t trace_protocol_nums[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE,
						IPPROTO_SCTP, 262 /* IPPROTO_MPTCP */ };

static double trace_duration_s;		/* 0: until interrupted */
static uint64_t trace_count;		/* 0: no limit */
static int trace_protocol = -1;		/* index in trace_protocols, -1: every one */
static bool trace_summary_only, trace_all_netns;
static int trace_top_n = 10;
static volatile sig_atomic_t trace_stop;	/* the signal that ended it, 0: none */

static error_t trace_parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;

	switch (key) {
	case OPT_TRACE_DURATION:
		if (sm_parse_duration(arg, &trace_duration_s) || !(trace_duration_s > 0))
			argp_error(state, "--duration: '%s' is not a duration (30s, 5m, 1h)", arg);
		break;
	case 'c':
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1)
			argp_error(state, "--count: '%s' is not a number of events from 1", arg);
		trace_count = v;
		break;
	case OPT_TRACE_PROTOCOL:
		trace_protocol = cli_parse_choice(state, "--protocol", arg, trace_protocols,
						  (int)ARRAY_SIZE(trace_protocols));
		break;
	case OPT_TRACE_SUMMARY:
		trace_summary_only = true;
		break;
	case OPT_TRACE_BACKEND:
		trace_source = cli_parse_choice(state, "--backend", arg, trace_sources,
						(int)ARRAY_SIZE(trace_sources));
		break;
	case 'n':
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1 || v > 1000)
			argp_error(state, "-n: '%s' is not a number from 1 to 1000", arg);
		trace_top_n = (int)v;
		break;
	case 'A':
		trace_all_netns = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option trace_options[] = {
	{ "duration", OPT_TRACE_DURATION, "D", 0, "Stop after D (30s, 5m, 1h); default: Ctrl-C", 0 },
	{ "count", 'c', "N", 0, "Stop after N events", 0 },
	{ "protocol", OPT_TRACE_PROTOCOL, "P", 0, "Only tcp, udp, udplite, sctp or mptcp sockets", 0 },
	{ "summary", OPT_TRACE_SUMMARY, NULL, 0,
	  "No line per event: count in the kernel, print the summary at the end", 0 },
	{ "number", 'n', "N", 0, "Rows per group in the summary (default 10)", 0 },
	{ "all-netns", 'A', NULL, 0,
	  "Every network namespace (default: this one; the counters stay this namespace's)", 0 },
	{ "backend", OPT_TRACE_BACKEND, "SOURCE", 0,
	  "Where the events come from: auto (default: BPF, else counted through perf_event_open, "
	  "else the counters alone), bpf (or an error), perf (counted, no attribution) or counters",
	  0 },
	{ 0 }
};

const struct argp cmd_trace_argp = {
	trace_options, trace_parse, NULL,
	"Every socket memory refusal and memory drop as it happens: a charge refused "
	"(sock:sock_exceed_buf_limit: the hard limit, the fair share under pressure, the memory "
	"cgroup) and a packet dropped for memory (skb:kfree_skb with PROTO_MEM, SOCKET_RCVBUFF, "
	"SOCKET_BACKLOG, TCP_OFO_QUEUE_PRUNE, TCP_OFO_DROP, TCP_ZEROWINDOW), each with the "
	"protocol's usage against tcp_mem/udp_mem at that moment, the socket, its buffers, its "
	"process (from the socket's inode, as top --by process finds it) and its cgroup with the "
	"Kubernetes pod.  On exit (Ctrl-C, SIGTERM, --duration, --count, a closed pipe) a "
	"summary: events by kind, the top sockets, processes, cgroups and ports, and the kernel's "
	"counters over the same window beside the events.  --json: one object per line (a start "
	"object, one per event, the summary).\v"
	"Needs BPF (CAP_BPF and CAP_PERFMON, or root; Linux 5.17+ with BTF).  Without it, trace "
	"says what is missing and counts the same tracepoints through perf_event_open (CAP_PERFMON, "
	"tracefs mounted), without attribution, or else reports the counters' deltas over the "
	"window alone (exit status 3).  Nothing is pinned: the programs are detached on every exit.",
	sm_children_common, NULL, NULL
};

static void trace_on_signal(int sig)
{
	trace_stop = sig;
}

static double trace_clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the event callback needs. */
struct trace_run {
	struct collect_trace names;
	struct trace_clock clock;
	struct output_opts oo;
	uint64_t mem_unit_bytes;
	bool lines;			/* a line per event */
	uint64_t printed;
	int write_err;			/* the first failed write, -errno */
	bool oom;
};

/* No more lines: stopped, or --count lines printed. */
static bool trace_done(const struct trace_run *run)
{
	return trace_stop || run->write_err || (trace_count && run->printed >= trace_count);
}

static void trace_on_event(const struct memtrace_event *e, void *arg)
{
	struct trace_run *run = arg;
	const struct trace_names *nm;
	struct trace_line l;

	/* the names while the socket lives, also for the summary's first events */
	nm = collect_trace_names(&run->names, e->inode, e->cgroup_id, trace_clock_s(CLOCK_MONOTONIC));
	if (!nm)
		run->oom = true;
	if (!run->lines || trace_done(run))
		return;
	report_trace_line(&l, e, nm, &run->clock, run->mem_unit_bytes);
	if (sm_common.json) {
		json_t *doc = output_json_trace_line(&l);

		if (!doc) {
			run->oom = true;
			return;
		}
		if (output_json_dump_line(stdout, doc))
			run->write_err = errno ? -errno : -EIO;
		json_decref(doc);
	} else {
		output_text_trace_line(stdout, &l, &run->oo);
	}
	if (fflush(stdout) && !run->write_err)
		run->write_err = -errno;
	run->printed++;
}

static uint64_t trace_total(const struct memtrace_counts *c)
{
	uint64_t total = 0;
	int k;

	for (k = 0; k < MEMTRACE_NEVENTS; k++)
		total += c->events[k];
	return total;
}

/* A pipe whose reader has gone: poll() says POLLERR on its write end, so
 * that "trace | head" ends without waiting for the next event to write. */
static bool trace_stdout_closed(bool pipe)
{
	struct pollfd p = { STDOUT_FILENO, 0, 0 };

	return pipe && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

static uint32_t trace_netns_inode(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
}

int cmd_trace_run(void)
{
	struct trace_run run;
	struct host *h = malloc(sizeof(*h));
	struct trace_counters before, after;
	struct tracer_opts to = { 0 };
	struct tracer_info info;
	struct memtrace_counts counts;
	struct tracer_entry *entries = NULL;
	struct trace_press_poll press;
	struct memtrace_event pev;
	double last_press_s = 0;
	const struct trace_names **names = NULL;
	struct trace_window w;
	struct report_trace t;
	struct sigaction sa;
	size_t nentries = 0, i;
	const char *why = NULL, *end = NULL;
	char read_why[160];
	double start_mono, end_mono;
	struct stat out_st;
	bool bpf = false, counted = false, out_pipe;
	struct tpcount_info cinfo;
	char nobpf_why[480];
	int rc, reported, ret = SM_EXIT_OK;

	memset(&run, 0, sizeof(run));
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	memset(&t, 0, sizeof(t));
	if (!h || collect_trace_init(&run.names, h)) {
		sm_error("trace", "out of memory");
		free(h);
		return SM_EXIT_ERROR;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = trace_on_signal;	/* no SA_RESTART: poll() returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is EPIPE on write: the summary's end */
	run.oo.color = sm_use_color();
	run.oo.exact_bytes = sm_common.exact_bytes;
	run.lines = !trace_summary_only;
	out_pipe = !fstat(STDOUT_FILENO, &out_st) && (S_ISFIFO(out_st.st_mode) || S_ISSOCK(out_st.st_mode));

	/* collect: the host (kernel version, page size, CPUs), then the programs */
	host_collect(h, NULL, sm_common.page_size);
	reported = sm_report_problems(h, 0);
	run.mem_unit_bytes = model_mem_unit_bytes(h->kver.major, h->kver.minor, h->page_size_bytes);
	to.netns_ino = trace_all_netns ? 0 : trace_netns_inode();
	to.protocol = trace_protocol >= 0 ? trace_protocol_nums[trace_protocol] : 0;
	to.every_event = run.lines;
	to.possible_cpus = h->possible_cpus.ok ? h->possible_cpus.v : 0;
	if (trace_source == TRACE_SRC_AUTO || trace_source == TRACE_SRC_BPF) {
		rc = tracer_open(&to, &info, &why);
		bpf = !rc;
		if (!bpf && trace_source == TRACE_SRC_BPF) {
			sm_error("trace", "%s", why);
			ret = SM_EXIT_ERROR;
			goto out;
		}
	} else {
		why = trace_source == TRACE_SRC_PERF ? "--backend perf" : "--backend counters";
	}
	/* without BPF: counted through perf_event_open, else the counters */
	if (!bpf && trace_source != TRACE_SRC_COUNTERS) {
		const char *cwhy;

		counted = !tpcount_open(trace_protocol >= 0 ? trace_protocols[trace_protocol] : NULL,
					&cinfo, &cwhy);
		if (!counted) {
			snprintf(nobpf_why, sizeof(nobpf_why), "%s; %s", why, cwhy);
			why = nobpf_why;
		}
	}
	if (!bpf) {
		sm_error("trace", "%s; %s", why, counted ? "the events counted through perf_event_open, "
			 "without attribution" : "only the kernel's counters over the window, without "
			 "attribution");
		ret = SM_EXIT_PARTIAL;
	}
	/* the window: counters read while the programs are attached but paused */
	collect_trace_counters(&before);
	run.clock.realtime_minus_monotonic_s = trace_clock_s(CLOCK_REALTIME) -
					       trace_clock_s(CLOCK_MONOTONIC);
	start_mono = trace_clock_s(CLOCK_MONOTONIC);
	tracer_pause(false);
	if (counted)
		tpcount_enable(true);
	/* the pressure programs could not attach: TCP's flag polled instead */
	report_trace_press_init(&press);
	if (bpf && !info.press)
		report_trace_press_step(&press, collect_trace_press_flag(),
					(uint64_t)(start_mono * 1e9), &pev);

	/* report and render the start */
	memset(&w, 0, sizeof(w));
	w.h = h;
	w.info = bpf ? &info : NULL;
	w.bpf_why = why;
	w.counted = counted ? &cinfo : NULL;
	w.counts = counted ? &counts : NULL;
	memset(&counts, 0, sizeof(counts));
	w.clock = run.clock;
	w.netns_ino = to.netns_ino;
	w.protocol = trace_protocol >= 0 ? trace_protocols[trace_protocol] : NULL;
	w.protocol_num = to.protocol;
	w.summary_only = trace_summary_only;
	w.start_unix_s = w.end_unix_s = start_mono + run.clock.realtime_minus_monotonic_s;
	w.requested = trace_top_n;
	if (report_trace_build(&t, &w)) {
		sm_error("trace", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (sm_common.json) {
		json_t *doc = output_json_trace_start(&t);

		if (!doc || output_json_dump_line(stdout, doc))
			run.write_err = doc ? -EIO : -ENOMEM;
		json_decref(doc);
	} else {
		output_text_trace_start(stdout, &t, &run.oo);
	}
	report_trace_free(&t);
	if (fflush(stdout))
		run.write_err = -errno;

	/* the loop: events until a signal, --duration, --count or a closed pipe */
	while (!end) {
		double now = trace_clock_s(CLOCK_MONOTONIC), left_ms = TRACE_TICK_MS;
		long n;

		if (trace_stop) {
			end = trace_stop == SIGTERM ? "sigterm" : "sigint";
			break;
		}
		if (!run.write_err && trace_stdout_closed(out_pipe))
			run.write_err = -EPIPE;
		if (run.write_err) {
			end = run.write_err == -EPIPE ? "pipe" : "error";
			break;
		}
		if (trace_count && run.lines && run.printed >= trace_count) {
			end = "count";
			break;
		}
		if (trace_duration_s > 0) {
			if (now - start_mono >= trace_duration_s) {
				end = "duration";
				break;
			}
			if ((trace_duration_s - (now - start_mono)) * 1000 < left_ms)
				left_ms = (trace_duration_s - (now - start_mono)) * 1000;
		}
		if (!bpf) {
			poll(NULL, 0, (int)left_ms + 1);
			if (counted && trace_count && !tpcount_read(&counts) &&
			    trace_total(&counts) >= trace_count)
				end = "count";
			continue;
		}
		if (!info.press && now - last_press_s >= TRACE_PRESS_POLL_MS / 1000.0) {
			last_press_s = now;
			if (report_trace_press_step(&press, collect_trace_press_flag(),
						    (uint64_t)(now * 1e9), &pev))
				trace_on_event(&pev, &run);
		}
		n = tracer_poll((int)left_ms + 1, trace_on_event, &run);
		if (n < 0) {
			sm_error("trace", "reading the ring buffer: %s", strerror((int)-n));
			ret = SM_EXIT_ERROR;
			end = "error";
			break;
		}
		collect_trace_tick(&run.names, trace_clock_s(CLOCK_MONOTONIC), false);
		if (trace_count && !run.lines && !tracer_read_counts(&counts) &&
		    trace_total(&counts) >= trace_count)
			end = "count";
	}
	/* close the window, then read what it holds */
	tracer_pause(true);
	if (counted)
		tpcount_enable(false);
	end_mono = trace_clock_s(CLOCK_MONOTONIC);
	collect_trace_counters(&after);
	if (bpf) {
		/* the first events still in the ring name their processes */
		tracer_poll(0, trace_on_event, &run);
		w.missed = tracer_missed();
		if ((rc = tracer_read_counts(&counts)) || (rc = tracer_read_agg(&entries, &nentries))) {
			/* the events are lost: the summary is the counters' */
			snprintf(read_why, sizeof(read_why), "reading the programs' maps: %s",
				 strerror(-rc));
			sm_error("trace", "%s; only the kernel's counters over the window", read_why);
			why = read_why;
			bpf = false;
			free(entries);
			entries = NULL;
			nentries = 0;
			ret = SM_EXIT_PARTIAL;
		}
	}
	if (counted && (rc = tpcount_read(&counts))) {
		snprintf(read_why, sizeof(read_why), "reading the perf counters: %s", strerror(-rc));
		sm_error("trace", "%s; only the kernel's counters over the window", read_why);
		why = read_why;
		counted = false;
	}
	tpcount_close();
	tracer_close();		/* detached before the summary is written */
	collect_trace_tick(&run.names, end_mono, true);
	if (nentries) {
		names = calloc(nentries, sizeof(*names));
		if (!names) {
			sm_error("trace", "out of memory");
			ret = SM_EXIT_ERROR;
			goto out;
		}
		for (i = 0; i < nentries; i++)
			names[i] = collect_trace_names(&run.names, entries[i].val.first.inode,
						       entries[i].key.cgroup_id, end_mono);
	}
	/* what the walks of /proc and the cgroup tree could not read */
	if (sm_report_problems(h, reported) > reported && ret == SM_EXIT_OK)
		ret = SM_EXIT_PARTIAL;
	if (run.oom) {
		sm_error("trace", "out of memory: some sockets are not named");
		ret = SM_EXIT_PARTIAL;
	}

	/* report */
	w.before = &before;
	w.after = &after;
	w.procs_partial = run.names.partial;
	w.info = bpf ? &info : NULL;
	w.bpf_why = why;
	w.counts = bpf || counted ? &counts : NULL;
	w.counted = counted ? &cinfo : NULL;
	w.entries = entries;
	w.nentries = nentries;
	w.names = names;
	w.end_unix_s = end_mono + run.clock.realtime_minus_monotonic_s;
	w.end_reason = end;
	w.lines_printed = run.printed;
	w.press_poll = bpf && !info.press ? &press : NULL;
	if (report_trace_build(&t, &w)) {
		sm_error("trace", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (t.level == TRACE_LEVEL_SOCKET && ret == SM_EXIT_OK)
		ret = SM_EXIT_PARTIAL;
	/* render: the summary, after a closed pipe as text on stderr */
	if (run.write_err) {
		if (run.write_err != -EPIPE)
			sm_error("stdout", "write error: %s", strerror(-run.write_err));
		output_text_trace_summary(stderr, &t, &run.oo);
		clearerr(stdout);
	} else if (sm_common.json) {
		json_t *doc = output_json_trace_summary(&t);

		if (!doc) {
			sm_error("json", "could not build the summary (out of memory)");
			ret = SM_EXIT_ERROR;
		} else {
			output_json_dump_line(stdout, doc);
			json_decref(doc);
		}
	} else {
		output_text_trace_summary(stdout, &t, &run.oo);
	}
out:
	tpcount_close();
	tracer_close();
	report_trace_free(&t);
	free(names);
	free(entries);
	collect_trace_counters_free(&before);
	collect_trace_counters_free(&after);
	collect_trace_free(&run.names);
	host_free(h);
	free(h);
	return ret;
}
