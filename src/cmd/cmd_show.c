/* cmd_show.c - "sockmem show": the system-wide picture of socket memory. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "output.h"

/* show's own checks of the shared options (cli.c parses them). */
static error_t show_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_END:
		if (sm_common.count && !sm_common.interval_s)
			argp_error(state, "--count needs --interval");
		if (sm_common.interval_s && !sm_common.count)
			sm_common.count = 5;
		if (sm_common.interval_s && (sm_common.count < 2 || sm_common.count > 1000))
			argp_error(state, "--count: %llu is not a number of samples from 2 to 1000",
				   (unsigned long long)sm_common.count);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* show has no options of its own (all come from the shared groups): NULL, not
 * an empty array, which glibc's argp help leaks (make_hol allocates for it,
 * hol_free frees only non-empty ones). */
const struct argp cmd_show_argp = {
	NULL, show_parse, NULL,
	"Show how much memory TCP, UDP and IP fragment reassembly hold against the kernel's "
	"limits (net.ipv4.tcp_mem, udp_mem, ipfrag_high_thresh), the kernel's own pressure flag, "
	"the state that follows, socket counts, pressure counters since boot and the relevant "
	"settings; then, from one sock_diag pass over this network namespace, the sockets seen "
	"with the sums of their SK_MEMINFO fields, the bytes they have charged, and sockstat's "
	"figure reconciled with them.\v"
	"States: TCP normal (usage <= min), elevated (above min, no kernel pressure), pressure "
	"(kernel flag set, including the hysteresis band), over-limit (above max); UDP normal, "
	"limited (above udp_mem min: sockets holding udp_rmem_min stop growing), over-limit.",
	sm_children_sampled, NULL, NULL
};

int cmd_show_run(void)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct host *h;
	struct report *r;
	struct sockets agg = { 0 };
	struct collect_out co = { 0 };
	struct report_history hist = { 0 };
	struct timespec t0 = { 0, 0 };
	int rc = 0, ret, i;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	r = malloc(sizeof(*r));
	ret = SM_EXIT_ERROR;
	if (!h || !r) {
		sm_error("show", "out of memory");
		goto out;
	}
	if (sm_common.interval_s) {
		/* sampled: the trend comes from the history, the rest from the last */
		if (report_history_init(&hist, (int)sm_common.count)) {
			sm_error("show", "out of memory");
			goto out;
		}
		for (i = 0; i < (int)sm_common.count; i++) {
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (i == 0)
				t0 = now;
			rc = host_collect(h, NULL, sm_common.page_size);
			if (rc)
				break;
			report_build(r, h);
			report_history_add(&hist, r, (double)(now.tv_sec - t0.tv_sec) +
					   (now.tv_nsec - t0.tv_nsec) / 1e9);
			if (i + 1 == (int)sm_common.count)
				break;
			sm_sleep(sm_common.interval_s, NULL);
		}
	} else {
		rc = host_collect(h, sm_common.root, sm_common.page_size);
	}
	if (rc) {
		sm_report_problems(h, 0);
		goto out;	/* without sockstat there is no usage to report */
	}
	if (!sm_common.no_sockets) {
		struct collect_req q = { sm_common.diag_file, sm_common.all_netns, BY_SOCKET, 0, NULL, false,
					 true };

		rc = collect_sockets(h, &q, &agg, &co);
		/* the host's files, then what the walks of /proc could not read */
		sm_report_problems(h, 0);
		for (i = 0; i < co.st.nproblems; i++)
			sm_error("sockets", "%s", co.st.problem[i]);
		if (rc) {
			sm_error(co.failed ? co.failed : sm_common.diag_file ? sm_common.diag_file
				 : sm_common.all_netns ? "--all-netns" : "sockets", "%s", strerror(-rc));
			goto out;
		}
	} else {
		struct collect_req q = { sm_common.diag_file, false, BY_SOCKET, 0, NULL, false, false };

		/* the exact charge needs no per-socket pass */
		rc = collect_exact(h, &q, &co);
		sm_report_problems(h, 0);
		for (i = 0; i < co.st.nproblems; i++)
			sm_error("sockets", "%s", co.st.problem[i]);
		if (rc)
			goto out;	/* --backend bpf that cannot load */
	}
	report_build(r, h);
	report_history_trend(&hist, r);
	if (sm_common.no_sockets)
		r->sk.absent_reason = "--no-sockets";
	collect_to_report(r, &agg, &co);
	ret = r->partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	{
		struct sm_out out;
		FILE *f = sm_out_open(&out, sm_common.output);

		if (!f) {
			ret = SM_EXIT_ERROR;
			goto out;
		}
		if (sm_common.format == OUTPUT_PROMETHEUS) {
			output_prom_show(f, r);
		} else if (sm_common.json) {
			if (cli_print_json(f, output_json_show(r)))
				ret = SM_EXIT_ERROR;
		} else {
			if (sm_common.output)
				oo.color = false;
			output_text_show(f, r, &oo);
		}
		if (sm_out_close(&out, ret == SM_EXIT_ERROR))
			ret = SM_EXIT_ERROR;
	}
out:
	sockets_free(&agg);
	collect_free(&co);
	report_history_free(&hist);
	if (h)
		host_free(h);
	free(h);
	free(r);
	return ret;
}
