/* cmd_top.c - "sockmem top": the largest holders of charged socket memory,
 * by socket, process, cgroup, port or state, with the evidence for each. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collect.h"
#include "output.h"
#include "procscan.h"

static int top_n = 10;
static enum sockets_by top_by = BY_SOCKET;

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;
	int i;

	switch (key) {
	case 'n':
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1 || v > 100000)
			argp_error(state, "-n: '%s' is not a number from 1 to 100000", arg);
		top_n = (int)v;
		break;
	case 'B':
		for (i = 0; i < BY_COUNT; i++)
			if (!strcmp(arg, sockets_by_name[i]))
				break;
		if (i == BY_COUNT)
			argp_error(state, "--by: '%s' is not socket, process, cgroup, port or state", arg);
		top_by = (enum sockets_by)i;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		/* ports: watch's file has them (a second file with the same series
		 * would make node_exporter refuse both) */
		if (sm_common.format == OUTPUT_PROMETHEUS && top_by != BY_PROCESS && top_by != BY_CGROUP)
			argp_error(state, "--format prometheus: --by process or cgroup (bounded labels; "
				   "watch's exposition has the ports)");
		if (sm_common.output && sm_common.format != OUTPUT_PROMETHEUS)
			argp_error(state, "--output goes with --format prometheus");
		/* ss -p text names the processes (users:), a capture's ss too */
		if (top_by == BY_PROCESS && (sm_common.root || sm_common.diag_file) &&
		    !collect_from_text(sm_common.diag_file, sm_common.root))
			argp_error(state, "--by %s needs the live system or ss -p text (processes are "
				   "not in a snapshot or a recorded dump)", sockets_by_name[top_by]);
		if (top_by == BY_CGROUP && (sm_common.root || sm_common.diag_file))
			argp_error(state, "--by %s needs the live system (cgroups are not in a snapshot, "
				   "a recorded dump or ss text)", sockets_by_name[top_by]);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option top_options[] = {
	{ "number", 'n', "N", 0, "Show the N largest (default 10)", 0 },
	{ "count", 'n', "N", OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "by", 'B', "KEY", 0, "Group by socket (default), process, cgroup, port or state", 0 },
	{ 0 }
};

const struct argp cmd_top_argp = {
	top_options, top_parse, NULL,
	"The largest holders of charged socket memory (TCP rmem_alloc + wmem_queued + fwd_alloc, "
	"UDP rmem_alloc + fwd_alloc: what counts against tcp_mem and udp_mem), from one sock_diag "
	"pass, with the evidence for each: queue against buffer sizes, drops, backlog.  Flags: "
	"'slow-reader' (receive queue at 90% of rcvbuf or more, drops or backlog), 'sndbuf-small' "
	"(send buffer below tcp_wmem default: shrunk under memory pressure, or SO_SNDBUF).\v"
	"--by process reads /proc/PID/fd of every process (root sees all; others only their own: "
	"the rest is counted as not attributed).  --by cgroup maps INET_DIAG_CGROUP_ID to the cgroup "
	"v2 path and shows the memory controller's own socket figure beside the sum, and the "
	"Kubernetes pod and container the path names.  --format prometheus [--output FILE] (by "
	"process or cgroup): the rows as series for node_exporter's textfile collector.",
	sm_children_top, NULL, NULL
};

int cmd_top_run(void)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct collect_req q = { sm_common.diag_file, sm_common.all_netns, top_by, top_n, NULL, false,
				 false };
	struct keymap inode_pid = { 0 };
	struct procscan_stats ps = { 0, 0, 0 };
	struct collect_out co = { 0 };
	struct sockets agg = { 0 };
	struct report_top t = { 0 };
	struct host *h;
	int rc, i, reported, ret = SM_EXIT_OK;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	if (!h) {
		sm_error("top", "out of memory");
		return SM_EXIT_ERROR;
	}
	/* collect */
	/* for the page size and tcp_rmem/tcp_wmem; what could not be read is said */
	host_collect(h, sm_common.root, sm_common.page_size);
	reported = sm_report_problems(h, 0);
	/* the processes of ss text are its users:(...), not this machine's */
	if (top_by == BY_PROCESS && !collect_from_text(sm_common.diag_file, sm_common.root)) {
		/* what /proc could not show is named (h's problems) */
		if (keymap_init(&inode_pid, sizeof(uint32_t)) ||
		    procscan_socket_inodes(h, &inode_pid, &ps, true) == -ENOMEM) {
			sm_error("/proc", "out of memory");
			ret = SM_EXIT_ERROR;
			goto out;
		}
		q.inode_pid = &inode_pid;
	}
	rc = collect_sockets(h, &q, &agg, &co);
	reported = sm_report_problems(h, reported);
	for (i = 0; i < co.st.nproblems; i++)
		sm_error("sockets", "%s", co.st.problem[i]);
	if (rc || !co.present) {
		if (!rc)
			sm_error(h->root[0] ? h->root : "sockets", "%s", co.absent_reason);
		else
			sm_error(co.failed ? co.failed : sm_common.diag_file ? sm_common.diag_file
				 : "sockets", "%s", strerror(-rc));
		ret = SM_EXIT_ERROR;
		goto out;
	}
	/* report */
	if (report_top_build(&t, &agg, top_n, co.source, co.st.partial || h->partial, ps.processes,
			     ps.denied)) {
		sm_error("top", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	collect_top_names(h, &t, &co);
	sm_report_problems(h, reported);
	report_top_pods(&t);
	t.h = h;
	t.st = &co.st;
	t.partial |= h->partial;	/* the names' walk could not read everything */
	ret = t.partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	/* render */
	if (sm_common.format == OUTPUT_PROMETHEUS) {
		struct sm_out o;
		FILE *out = sm_out_open(&o, sm_common.output);

		if (!out)
			ret = SM_EXIT_ERROR;
		else
			output_prom_top(out, &t);
		if (out && sm_out_close(&o, false))
			ret = SM_EXIT_ERROR;
	} else if (sm_common.json) {
		if (cli_print_json(stdout, output_json_top(&t)))
			ret = SM_EXIT_ERROR;
	} else {
		output_text_top(stdout, &t, &oo);
	}
out:
	report_top_free(&t);
	if (h)
		host_free(h);
	free(h);
	sockets_free(&agg);
	collect_free(&co);
	if (inode_pid.keys)
		keymap_free(&inode_pid);
	return ret;
}
