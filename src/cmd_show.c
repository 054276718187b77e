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

static bool show_all_netns;
static int show_format;		/* 0 text/json, 1 prometheus */
static const char *show_output;
static double show_interval_s;
static int show_count;

static const struct argp_option show_options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Sample usage every SECONDS (--count times) and predict when each threshold will be "
	  "crossed", 0 },
	{ "count", 'c', "N", 0, "Samples with --interval (default 5, at most 1000)", 0 },
	{ "format", 'F', "FMT", 0, "text (default), json (as --json) or prometheus", 0 },
	{ "output", 'o', "FILE", 0,
	  "Write to FILE atomically (a temporary file renamed over it), e.g. for node_exporter's "
	  "textfile collector", 0 },
	{ "all-netns", 'A', NULL, 0,
	  "Dump the sockets of every network namespace in use (/run/netns and those of running "
	  "processes, each once) and attribute memory per namespace (needs CAP_SYS_ADMIN)", 0 },
	{ 0 }
};

static error_t show_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'A':
		show_all_netns = true;
		break;
	case 'i': {
		char *end;

		show_interval_s = strtod(arg, &end);
		if (*end || !(show_interval_s >= 0.01 && show_interval_s <= 86400))
			argp_error(state, "--interval: '%s' is not a number of seconds from 0.01 to 86400",
				   arg);
		break;
	}
	case 'c': {
		uint64_t v;

		if (util_parse_u64(arg, strlen(arg), &v) || v < 2 || v > 1000)
			argp_error(state, "--count: '%s' is not a number from 2 to 1000", arg);
		show_count = (int)v;
		break;
	}
	case 'F':
		if (!strcmp(arg, "text"))
			show_format = 0;
		else if (!strcmp(arg, "json"))
			sm_common.json = true;
		else if (!strcmp(arg, "prometheus"))
			show_format = 1;
		else
			argp_error(state, "--format: '%s' is not text, json or prometheus", arg);
		break;
	case 'o':
		show_output = arg;
		break;
	case ARGP_KEY_END:
		if (show_count && !show_interval_s)
			argp_error(state, "--count needs --interval");
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_show_argp = {
	show_options, show_parse, NULL,
	"Show how much memory TCP, UDP and IP fragment reassembly hold against the kernel's "
	"limits (net.ipv4.tcp_mem, udp_mem, ipfrag_high_thresh), the kernel's own pressure flag, "
	"the state that follows, socket counts, pressure counters since boot and the relevant "
	"settings; then, from one sock_diag pass over this network namespace, the sockets seen "
	"with the sums of their SK_MEMINFO fields, the bytes they have charged, and sockstat's "
	"figure reconciled with them.\v"
	"States: TCP normal (usage <= min), elevated (above min, no kernel pressure), pressure "
	"(kernel flag set, including the hysteresis band), over-limit (above max); UDP normal, "
	"limited (above udp_mem min: sockets holding udp_rmem_min stop growing), over-limit.",
	sm_children_sockets, NULL, NULL
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
	if (show_interval_s && !show_count)
		show_count = 5;
	if (show_interval_s && sm_common.root) {
		sm_error("show", "--interval samples the live system; a snapshot does not move");
		goto out;
	}
	if (show_interval_s) {
		/* sampled: the trend comes from the history, the rest from the last */
		if (report_history_init(&hist, show_count)) {
			sm_error("show", "out of memory");
			goto out;
		}
		for (i = 0; i < show_count; i++) {
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
			if (i + 1 == show_count)
				break;
			sm_sleep(show_interval_s, NULL);
		}
	} else {
		rc = host_collect(h, sm_common.root, sm_common.page_size);
	}
	sm_report_problems(h);
	if (rc)
		goto out;	/* without sockstat there is no usage to report */
	report_build(r, h);
	report_history_trend(&hist, r);
	ret = r->partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	if (sm_common.no_sockets) {
		r->sk.absent_reason = "--no-sockets";
	} else {
		struct collect_req q = { sm_common.diag_file, show_all_netns, BY_SOCKET, 0, NULL, false,
					 true };

		if (show_all_netns && (h->root[0] || sm_common.diag_file)) {
			sm_error("show", "--all-netns needs the live system");
			ret = SM_EXIT_ERROR;
			goto out;
		}
		rc = collect_sockets(h, &q, &agg, &co);
		for (i = 0; i < co.st.nproblems; i++)
			sm_error("sockets", "%s", co.st.problem[i]);
		if (rc) {
			sm_error(sm_common.diag_file ? sm_common.diag_file
				 : show_all_netns ? "--all-netns" : "sockets", "%s", strerror(-rc));
			ret = SM_EXIT_ERROR;
			goto out;
		}
		collect_to_report(r, &agg, &co);
		if (r->partial)
			ret = SM_EXIT_PARTIAL;
	}
	{
		struct sm_out out;
		FILE *f = sm_out_open(&out, show_output);

		if (!f) {
			ret = SM_EXIT_ERROR;
			goto out;
		}
		if (show_format == 1) {
			output_prom_show(f, r);
		} else if (sm_common.json) {
			json_t *doc = output_json_show(r);

			if (!doc) {
				sm_error("json", "could not build the document (out of memory)");
				ret = SM_EXIT_ERROR;
			} else {
				if (output_json_dump(f, doc))
					ret = SM_EXIT_ERROR;
				json_decref(doc);
			}
		} else {
			if (show_output)
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
	free(h);
	free(r);
	return ret;
}
