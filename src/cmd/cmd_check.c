/* cmd_check.c - "sockmem check": one health condition in
 * node-problem-detector's custom plugin protocol: one line of at most 80
 * bytes on stdout, useful alone (the state, usage against the limit, the pod
 * holding the most socket memory), and exit 0 (OK), 1 (the problem is
 * there) or 2 (unknown), nothing else - a usage error too is 2.  With
 * --format prometheus --output FILE: advise's findings as series for
 * node_exporter's textfile collector instead. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collect.h"
#include "output.h"
#include "report_check.h"

static enum check_condition chk_cond = CHECK_FINDINGS;
static enum sev chk_fail_on = SEV_CRIT;
static const char *chk_state_file;

enum { OPT_CONDITION = OPT_CHECK_BASE, OPT_FAIL_ON, OPT_STATE_FILE };

static const struct argp_option chk_options[] = {
	{ "condition", OPT_CONDITION, "COND", 0,
	  "findings (default: advise's findings at or above --fail-on), tcp-pressure (the "
	  "kernel's flag, TCP above tcp_mem[1]), tcp-over-limit (above tcp_mem[2]) or "
	  "tcp-abort-on-memory (TCPAbortOnMemory rose since the last check)", 0 },
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0, "findings: warn or crit (default crit)", 0 },
	{ "state-file", OPT_STATE_FILE, "FILE", 0,
	  "tcp-abort-on-memory: where the counter of the last check is kept", 0 },
	{ 0 }
};

static error_t chk_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		/* the plugin protocol: anything but 0 and 1 is "unknown" */
		argp_err_exit_status = SM_EXIT_ERROR;
		break;
	case OPT_CONDITION:
		chk_cond = (enum check_condition)cli_parse_choice(state, "--condition", arg,
								   check_condition_name, CHECK_COUNT);
		break;
	case OPT_FAIL_ON:
		chk_fail_on = (enum sev)cli_parse_fail_on(state, arg);
		break;
	case OPT_STATE_FILE:
		chk_state_file = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (chk_cond == CHECK_TCP_ABORT && !chk_state_file)
			argp_error(state, "--condition tcp-abort-on-memory needs --state-file FILE");
		if (sm_common.format == OUTPUT_PROMETHEUS && (!sm_common.output || chk_cond != CHECK_FINDINGS))
			argp_error(state, "--format prometheus writes the findings: it needs --output "
				   "FILE and no --condition");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_check_argp = {
	chk_options, chk_parse, NULL,
	"One condition of the host in node-problem-detector's custom plugin protocol: one line "
	"of at most 80 bytes (the state, usage against the limit, the Kubernetes pod holding "
	"the most socket memory) and exit 0 (OK), 1 (the problem is there) or 2 (unknown: the "
	"report could not be made, the limits are not visible, a usage error).  A partial "
	"report that shows the problem exits 1.  With --format prometheus --output FILE: "
	"advise's findings as sockmem_finding{id,severity,scope,subject} series for "
	"node_exporter's textfile collector, a file of its own beside watch's (exit 0 once "
	"written, 2 if not).\v"
	"contrib/node-problem-detector has the monitor configs: a TCPMemoryPressure node "
	"condition from tcp-pressure and tcp-over-limit, and TCPAbortOnMemory events.",
	sm_children_check, NULL, NULL
};

/* The counter of the last check: "TCPAbortOnMemory N". */
static struct opt chk_read_state(const char *path)
{
	struct opt o = { 0, false };
	unsigned long long v;
	FILE *f = fopen(path, "r");

	if (!f)
		return o;
	if (fscanf(f, "TCPAbortOnMemory %llu", &v) == 1)
		o = opt_some(v);
	fclose(f);
	return o;
}

static int chk_write_state(const char *path, uint64_t v)
{
	struct sm_out o;
	FILE *f = sm_out_open(&o, path);

	if (!f)
		return o.err;
	fprintf(f, "TCPAbortOnMemory %llu\n", (unsigned long long)v);
	return sm_out_close(&o, false);
}

static struct opt chk_counter(const struct report *r, const char *key)
{
	struct opt none = { 0, false };
	int i;

	for (i = 0; i < r->ncounter; i++)
		if (!strcmp(r->counter[i].key, key))
			return r->counter[i].value;
	return none;
}

int cmd_check_run(void)
{
	struct host *h = calloc(1, sizeof(*h));
	struct report *r = malloc(sizeof(*r));
	struct finding *f = calloc(RULES_MAX_FINDINGS, sizeof(*f));
	struct report_advise *a = malloc(sizeof(*a));
	struct sockets agg = { 0 };
	struct collect_out co = { 0 };
	struct report_top t = { 0 };
	struct advise_in ain;
	struct check_in in;
	struct report_check c;
	bool live = !sm_common.root, partial;
	int rc, reported = 0, ret = SM_EXIT_ERROR;

	memset(&in, 0, sizeof(in));
	memset(&ain, 0, sizeof(ain));
	in.cond = chk_cond;
	if (!h || !r || !f || !a) {
		in.why = "out of memory";
		goto verdict;
	}
	if (sm_common.root && sm_check_root(sm_common.root)) {
		in.why = "--root is not a directory";
		goto verdict;
	}
	/* collect: the host; the sockets by cgroup for the pod that holds the most */
	rc = host_collect(h, sm_common.root, sm_common.page_size);
	reported = sm_report_problems(h, 0);
	if (rc) {
		in.why = "/proc/net/sockstat could not be read";
		goto verdict;
	}
	report_build(r, h);
	partial = r->partial;
	if (!sm_common.no_sockets) {
		struct collect_req q = { sm_common.diag_file, sm_common.all_netns, BY_CGROUP, 1, NULL,
					 false, false };
		int i;

		rc = collect_sockets(h, &q, &agg, &co);
		for (i = 0; i < co.st.nproblems; i++)
			sm_error("sockets", "%s", co.st.problem[i]);
		if (rc == 0 && co.present) {
			collect_to_report(r, &agg, &co);
			partial |= co.st.partial;
			if (live && report_top_build(&t, &agg, 1, co.source, false, 0, 0) == 0 && t.n > 0) {
				collect_top_names(h, &t, &co);
				report_top_pods(&t);
				in.pod = t.row[0].pod;
			}
		}
	}
	/* report */
	in.r = r;
	if (chk_cond == CHECK_FINDINGS) {
		if (live)
			collect_advise_extras(h, &ain);
		partial |= h->partial;	/* what the walks could not read */
		ain.h = h;
		ain.r = r;
		report_advise_build(a, &ain, f, partial, (int)chk_fail_on);
		in.a = a;
	}
	sm_report_problems(h, reported);	/* and those of the walks */
	if (chk_cond == CHECK_TCP_ABORT) {
		in.aborts = chk_counter(r, "TCPAbortOnMemory");
		in.aborts_prev = chk_read_state(chk_state_file);
	}
verdict:
	report_check_build(&c, &in);
	if (c.store_aborts && chk_write_state(chk_state_file, in.aborts.v))
		c.verdict = CHECK_UNKNOWN;	/* the next run could not tell what is new */
	/* render */
	if (sm_common.format == OUTPUT_PROMETHEUS) {
		struct sm_out o;
		FILE *out = in.a ? sm_out_open(&o, sm_common.output) : NULL;

		/* written: 0, whatever was found (a timer's unit stays green) */
		if (out) {
			output_prom_findings(out, in.a);
			ret = sm_out_close(&o, false) ? SM_EXIT_ERROR : SM_EXIT_OK;
		}
	} else {
		printf("%s\n", c.line);
		ret = (int)c.verdict;
	}
	report_top_free(&t);
	sockets_free(&agg);
	collect_free(&co);
	if (h)
		host_free(h);
	free(h);
	free(r);
	free(f);
	free(a);
	return ret;
}
