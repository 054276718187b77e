/* cmd_trace.c - "sockmem trace": every charge refused and every packet
 * dropped for memory as it happens, with its socket, process and cgroup
 * (BPF on sock:sock_exceed_buf_limit and skb:kfree_skb, and TCP's memory
 * pressure and aborts), one line each or --summary; on exit (Ctrl-C,
 * SIGTERM, --duration, --count, a closed pipe) the summary with the
 * kernel's counters over the same window.  Without BPF it says what is
 * missing and counts the tracepoints through perf_event_open (tpcount.c),
 * or reports the counters' deltas alone.  Parse, then the window from
 * collect_trace.c (line mode: each event reported and rendered here as it
 * arrives, through the window's callback; the signals, --count lines and a
 * closed pipe decided here, through its until()), then the summary's
 * report and render. */
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
#include <unistd.h>

#include "cli.h"
#include "collect_trace.h"
#include "output.h"

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

/* What the event callback needs. */
struct trace_run {
	struct trace_clock clock;
	struct output_opts oo;
	uint64_t mem_unit_bytes;
	bool lines;			/* a line per event */
	bool out_pipe;			/* stdout is a pipe or a socket */
	uint64_t printed;
	int write_err;			/* the first failed write, -errno */
	bool oom;
};

/* No more lines: stopped, or --count lines printed. */
static bool trace_done(const struct trace_run *run)
{
	return trace_stop || run->write_err || (trace_count && run->printed >= trace_count);
}

/* Each event as it arrives (the names looked up by collect_trace): its
 * line, in line mode. */
static void trace_on_event(const struct memtrace_event *e, const struct trace_names *nm, void *arg)
{
	struct trace_run *run = arg;
	struct trace_line l;

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

/* A pipe whose reader has gone: poll() says POLLERR on its write end, so
 * that "trace | head" ends without waiting for the next event to write. */
static bool trace_stdout_closed(bool pipe)
{
	struct pollfd p = { STDOUT_FILENO, 0, 0 };

	return pipe && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* The window's end that the command decides: a signal, a closed pipe or a
 * failed write, --count lines printed; NULL: go on (--duration and the
 * summary's --count are collect_trace's). */
static const char *trace_until(void *arg)
{
	struct trace_run *run = arg;

	if (trace_stop)
		return trace_stop == SIGTERM ? "sigterm" : "sigint";
	if (!run->write_err && trace_stdout_closed(run->out_pipe))
		run->write_err = -EPIPE;
	if (run->write_err)
		return run->write_err == -EPIPE ? "pipe" : "error";
	if (trace_count && run->lines && run->printed >= trace_count)
		return "count";
	return NULL;
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
	struct collect_trace_window cw;
	struct collect_trace_req q = { 0 };
	struct trace_window w;
	struct report_trace t;
	struct sigaction sa;
	struct stat out_st;
	int rc, reported, ret = SM_EXIT_OK;

	memset(&run, 0, sizeof(run));
	memset(&t, 0, sizeof(t));
	if (!h || collect_trace_window_init(&cw, h)) {
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
	run.out_pipe = !fstat(STDOUT_FILENO, &out_st) &&
		       (S_ISFIFO(out_st.st_mode) || S_ISSOCK(out_st.st_mode));

	/* collect: the host (kernel version, page size, CPUs), then the window */
	host_collect(h, NULL, sm_common.page_size);
	reported = sm_report_problems(h, 0);
	run.mem_unit_bytes = model_mem_unit_bytes(h->kver.major, h->kver.minor, h->page_size_bytes);
	q.duration_s = trace_duration_s;
	q.netns_ino = trace_all_netns ? 0 : trace_netns_inode();
	q.protocol = trace_protocol >= 0 ? trace_protocol_nums[trace_protocol] : 0;
	q.protocol_name = trace_protocol >= 0 ? trace_protocols[trace_protocol] : NULL;
	q.possible_cpus = h->possible_cpus.ok ? h->possible_cpus.v : 0;
	q.every_event = run.lines;
	q.count = trace_count;
	q.press_poll = true;
	q.skip_bpf_why = trace_source == TRACE_SRC_PERF ? "--backend perf"
			 : trace_source == TRACE_SRC_COUNTERS ? "--backend counters" : NULL;
	q.bpf_required = trace_source == TRACE_SRC_BPF;
	/* without BPF: counted through perf_event_open, else the counters */
	q.perf_fallback = trace_source != TRACE_SRC_COUNTERS;
	q.on_event = trace_on_event;
	q.until = trace_until;
	q.arg = &run;
	if (collect_trace_window_open(&cw, &q)) {
		sm_error("trace", "%s", cw.why);
		ret = SM_EXIT_ERROR;
		goto out;
	}
	if (!cw.bpf) {
		sm_error("trace", "%s; %s", cw.why, cw.counted ? "the events counted through "
			 "perf_event_open, without attribution" : "only the kernel's counters over the "
			 "window, without attribution");
		ret = SM_EXIT_PARTIAL;
	}
	run.clock = cw.clock;

	/* report and render the start */
	collect_trace_window_start_view(&cw, h, &w);
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

	/* collect: events (each line rendered as it arrives) until a signal,
	 * --duration, --count or a closed pipe, then what the window holds */
	collect_trace_window_run(&cw);
	if (cw.poll_rc) {
		sm_error("trace", "reading the ring buffer: %s", strerror(-cw.poll_rc));
		ret = SM_EXIT_ERROR;
	}
	rc = collect_trace_window_close(&cw);
	if (cw.read_rc) {
		sm_error("trace", "%s; only the kernel's counters over the window", cw.read_why);
		if (ret == SM_EXIT_OK)	/* a ring buffer that failed stays an error */
			ret = SM_EXIT_PARTIAL;
	}
	if (rc) {
		sm_error("trace", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	/* what the walks of /proc and the cgroup tree could not read */
	if (sm_report_problems(h, reported) > reported && ret == SM_EXIT_OK)
		ret = SM_EXIT_PARTIAL;
	if (run.oom || cw.oom) {
		sm_error("trace", "out of memory: some sockets are not named");
		if (ret == SM_EXIT_OK)
			ret = SM_EXIT_PARTIAL;
	}

	/* report */
	collect_trace_window_view(&cw, h, &q, &w);
	w.requested = trace_top_n;
	w.lines_printed = run.printed;
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
	report_trace_free(&t);
	collect_trace_window_free(&cw);
	host_free(h);
	free(h);
	return ret;
}
