/* cmd_advise.c - "sockmem advise": runs the rules over the report (and the
 * per-socket view) and prints ranked findings with evidence and fixes: text,
 * JSON, or a sysctl.d file.  Never applies anything. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "collect.h"
#include "collect_trace.h"
#include "output.h"
#include "procscan.h"
#include "report_advise.h"

static bool adv_check;
static enum sev adv_fail_on = SEV_CRIT;
static double adv_bw_bytes_per_s, adv_rtt_s;
static uint64_t adv_connections;
static double adv_trace_s;		/* --trace: 0 without */
static volatile sig_atomic_t adv_stop;

enum { OPT_CHECK = OPT_ADV_BASE, OPT_FAIL_ON, OPT_BW, OPT_RTT, OPT_CONNS, OPT_TRACE };

static const struct argp_option adv_options[] = {
	{ "check", OPT_CHECK, NULL, 0,
	  "Exit 1 if a finding is at or above --fail-on (for cron, CI or a node health check)", 0 },
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0, "warn or crit (default crit)", 0 },
	{ "bandwidth", OPT_BW, "RATE", 0, "Link rate for buffer sizing, e.g. 10Gbit, 100Mbit", 0 },
	{ "rtt", OPT_RTT, "TIME", 0, "Round-trip time for buffer sizing, e.g. 80ms", 0 },
	{ "connections", OPT_CONNS, "N", 0,
	  "Connections at that size, for the tcp_mem they need (default: the established ones)", 0 },
	{ "trace", OPT_TRACE, "D", 0,
	  "Trace UDP refusals and memory drops for D (30s, 5m) first and use them as evidence: "
	  "one socket's buffer, or the host's udp_mem (BPF, as 'sockmem trace')", 0 },
	{ 0 }
};

static error_t adv_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_CHECK:
		adv_check = true;
		break;
	case OPT_FAIL_ON:
		adv_fail_on = (enum sev)cli_parse_fail_on(state, arg);
		break;
	case OPT_BW:
		if (sm_parse_rate(arg, &adv_bw_bytes_per_s))
			argp_error(state, "--bandwidth: '%s' is not a rate such as 10Gbit or 100Mbit", arg);
		break;
	case OPT_RTT:
		if (sm_parse_duration(arg, &adv_rtt_s))
			argp_error(state, "--rtt: '%s' is not a time such as 80ms, 0.08s or 500us", arg);
		break;
	case OPT_CONNS:
		if (util_parse_u64(arg, strlen(arg), &adv_connections) || !adv_connections)
			argp_error(state, "--connections: '%s' is not a positive number", arg);
		break;
	case OPT_TRACE:
		if (sm_parse_duration(arg, &adv_trace_s) || !(adv_trace_s > 0))
			argp_error(state, "--trace: '%s' is not a duration (30s, 5m, 1h)", arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if ((adv_bw_bytes_per_s > 0) != (adv_rtt_s > 0))
			argp_error(state, "--bandwidth and --rtt go together");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_advise_argp = {
	adv_options, adv_parse, NULL,
	"Ranked findings from the same inputs as 'show' run through the model: what is wrong, "
	"why (the kernel mechanism), the numbers that show it, and what to change - sysctl lines "
	"with values computed for this host (pages for tcp_mem/udp_mem, bytes for the rest), each "
	"run through the model first (state and headroom before -> after), or an application "
	"change when no sysctl is the answer.  sockmem never applies anything.\v"
	"Exit status with --check: 1 if a finding is at or above --fail-on, else as without it "
	"(0 complete, 3 partial).",
	sm_children_advise, NULL, NULL
};

static void adv_on_signal(int sig)
{
	adv_stop = sig;
}

/* The window's end before its duration: a signal. */
static const char *adv_until(void *arg)
{
	return !adv_stop ? NULL : adv_stop == SIGTERM ? "sigterm" : "sigint";
}

/* advise --trace: a window over UDP in summary mode (collect), its report,
 * condensed into in->trace (report).  Returns 0, or 1 when the evidence is
 * partial (no BPF: said on stderr), -ENOMEM. */
static int adv_trace(struct host *h, struct advise_in *in, struct collect_trace_window *cw,
		     struct report_trace *t)
{
	struct collect_trace_req q = { 0 };
	struct trace_window w;
	struct sigaction sa, old_int, old_term;
	struct stat st;
	int rc;

	q.duration_s = adv_trace_s;
	q.netns_ino = sm_common.all_netns || stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
	q.protocol = IPPROTO_UDP;
	q.protocol_name = "udp";
	q.possible_cpus = h->possible_cpus.ok ? h->possible_cpus.v : 0;
	q.until = adv_until;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = adv_on_signal;	/* Ctrl-C ends the window, not the advice */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = collect_trace_window(h, &q, cw);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc)
		return rc;
	if (!cw->bpf)
		sm_error("advise", "--trace: %s; the advice has no events as evidence", cw->why);
	collect_trace_window_view(cw, h, &q, &w);
	if (report_trace_build(t, &w))
		return -ENOMEM;
	report_advise_trace(in, t, &w);
	return cw->bpf ? 0 : 1;
}

int cmd_advise_run(void)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct host *h = malloc(sizeof(*h)), *h0 = NULL;
	struct report *r = malloc(sizeof(*r)), *r0 = NULL;
	struct finding *f = calloc(RULES_MAX_FINDINGS, sizeof(*f));
	struct report_advise *a = malloc(sizeof(*a));
	struct advise_in in;
	struct sockets agg = { 0 };
	struct collect_out co = { 0 };
	struct report_top t = { 0 };
	struct keymap inode_pid = { 0 };
	struct procscan_stats ps;
	struct collect_trace_window cw;
	struct report_trace tr;
	struct host *ht = NULL;
	bool live = !sm_common.root, partial, trace_partial = false;
	int rc, i, reported, ret = SM_EXIT_ERROR;

	memset(&in, 0, sizeof(in));
	memset(&cw, 0, sizeof(cw));
	memset(&tr, 0, sizeof(tr));
	if (!h || !r || !f || !a) {
		sm_error("advise", "out of memory");
		goto out;
	}
	if (sm_check_root(sm_common.root))
		goto out;
	if (adv_trace_s > 0 && !live) {
		sm_error("advise", "--trace traces the running kernel: not with --root");
		ret = SM_EXIT_USAGE;
		goto out;
	}
	/* collect: the events of --trace first, then the host as it is after them */
	if (adv_trace_s > 0) {
		ht = malloc(sizeof(*ht));
		if (!ht) {
			sm_error("advise", "out of memory");
			goto out;
		}
		host_collect(ht, NULL, sm_common.page_size);
		rc = adv_trace(ht, &in, &cw, &tr);
		if (rc < 0) {
			sm_error("advise", "out of memory");
			goto out;
		}
		trace_partial = rc > 0;
		/* what naming the sockets could not read */
		trace_partial |= sm_report_problems(ht, 0) > 0;
	}
	/* collect: the host (twice with --interval), the sockets, the cgroups */
	if (sm_common.interval_s) {
		h0 = malloc(sizeof(*h0));
		r0 = malloc(sizeof(*r0));
		if (!h0 || !r0 || host_collect(h0, NULL, sm_common.page_size)) {
			if (h0)
				sm_report_problems(h0, 0);
			goto out;
		}
		report_build(r0, h0);
		sm_sleep(sm_common.interval_s, NULL);
	}
	rc = host_collect(h, sm_common.root, sm_common.page_size);
	reported = sm_report_problems(h, 0);
	if (rc)
		goto out;
	report_build(r, h);
	partial = r->partial;
	if (!sm_common.no_sockets) {
		struct collect_req q = { sm_common.diag_file, sm_common.all_netns, BY_PORT, 3, NULL,
					 true, false };

		/* by process when every fd table could be read (root): another
		 * user's is not a problem, the slow readers are then named by port */
		if (live && !sm_common.diag_file && keymap_init(&inode_pid, sizeof(uint32_t)) == 0 &&
		    procscan_socket_inodes(h, &inode_pid, &ps, false) == 0 && !ps.denied) {
			q.by = BY_PROCESS;
			q.inode_pid = &inode_pid;
		}
		rc = collect_sockets(h, &q, &agg, &co);
		for (i = 0; i < co.st.nproblems; i++)
			sm_error("sockets", "%s", co.st.problem[i]);
		if (rc == 0 && co.present) {
			collect_to_report(r, &agg, &co);
			partial |= co.st.partial;
			/* the largest holders, named, for the slow readers among them */
			if (report_top_build(&t, &agg, 3, co.source, false, 0, 0) == 0) {
				collect_top_names(h, &t, &co);
				report_advise_slow(&in, &t);
			}
			if (agg.sum[DP_TCP].bdp_n) {
				in.bdp.measured = true;
				in.bdp.measured_bdp_bytes = sockets_bdp_quantile(&agg.sum[DP_TCP], 0.9);
				in.bdp.measured_connections = agg.sum[DP_TCP].bdp_n;
			}
		}
	}
	if (live)
		collect_advise_extras(h, &in);
	/* what the walks of /proc and the cgroups could not read */
	sm_report_problems(h, reported);
	partial |= h->partial;
	/* report */
	in.h = h;
	in.r = r;
	partial |= trace_partial;
	if (r0)
		report_advise_rates(&in, r0, r, sm_common.interval_s);
	if (adv_bw_bytes_per_s > 0) {
		in.bdp.given = true;
		in.bdp.bandwidth_bytes_per_s = adv_bw_bytes_per_s;
		in.bdp.rtt_s = adv_rtt_s;
	}
	in.bdp.connections = adv_connections ? adv_connections
			     : r->sk.present ? agg.sum[DP_TCP].by_state[1] : 0;
	report_advise_build(a, &in, f, partial, adv_check ? (int)adv_fail_on : -1);
	ret = a->partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	/* render */
	if (sm_common.format == OUTPUT_SYSCTL) {
		output_text_advise_sysctl(stdout, a);
	} else if (sm_common.json) {
		if (cli_print_json(stdout, output_json_advise(a)))
			ret = SM_EXIT_ERROR;
	} else {
		output_text_advise(stdout, a, &oo);
	}
	if (a->check_failed && ret != SM_EXIT_ERROR)
		ret = SM_EXIT_FINDINGS;
out:
	report_trace_free(&tr);
	collect_trace_window_free(&cw);
	if (ht) {
		host_free(ht);
		free(ht);
	}
	report_top_free(&t);
	sockets_free(&agg);
	collect_free(&co);
	if (inode_pid.keys)
		keymap_free(&inode_pid);
	if (h0)
		host_free(h0);
	if (h)
		host_free(h);
	free(h0);
	free(h);
	free(r0);
	free(r);
	free(f);
	free(a);
	return ret;
}
