/* cmd_show.c - "sockmem show": the system-wide picture of socket memory. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "sockmem.h"

static error_t show_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
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

static const struct argp_child show_children[] = {
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};

const struct argp cmd_show_argp = {
	NULL, show_parse, NULL,
	"Show how much memory TCP, UDP and IP fragment reassembly hold against the kernel's "
	"limits (net.ipv4.tcp_mem, udp_mem, ipfrag_high_thresh), the kernel's own pressure flag, "
	"the state that follows, socket counts, pressure counters since boot and the relevant "
	"settings.\v"
	"States: TCP normal (usage <= min), elevated (above min, no kernel pressure), pressure "
	"(kernel flag set, including the hysteresis band), over-limit (above max); UDP normal, "
	"limited (above udp_mem min: sockets holding udp_rmem_min stop growing), over-limit.",
	show_children, NULL, NULL
};

/* Checks --root before anything is read so the message names the directory. */
int sm_check_root(const char *root)
{
	struct stat st;

	if (!root)
		return 0;
	if (stat(root, &st)) {
		sm_error(root, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		sm_error(root, "not a directory");
		return -ENOTDIR;
	}
	return 0;
}

bool sm_use_color(void)
{
	const char *nc = getenv("NO_COLOR");

	if (sm_common.color == COLOR_ALWAYS)
		return true;
	if (sm_common.color == COLOR_NEVER || (nc && nc[0]))
		return false;
	return isatty(STDOUT_FILENO);
}

void sm_report_problems(const struct host *h)
{
	int i;

	for (i = 0; i < h->nproblems; i++) {
		const struct host_problem *p = &h->problem[i];
		char safe[512];

		util_safe_token(safe, sizeof(safe), p->path, strlen(p->path));
		if (p->line)
			sm_error(safe, "line %d: %s", p->line, p->msg);
		else
			sm_error(safe, "%s", p->msg);
	}
}

int cmd_show_run(void)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct host *h;
	struct report *r;
	int rc, ret;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	h = malloc(sizeof(*h));
	r = malloc(sizeof(*r));
	if (!h || !r) {
		sm_error("show", "out of memory");
		free(h);
		free(r);
		return SM_EXIT_ERROR;
	}
	rc = host_collect(h, sm_common.root, sm_common.page_size);
	sm_report_problems(h);
	if (rc) {
		/* Without sockstat there is no usage to report. */
		free(h);
		free(r);
		return SM_EXIT_ERROR;
	}
	report_build(r, h);
	ret = h->partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	if (sm_common.json) {
		json_t *doc = output_json_show(r);

		if (!doc) {
			sm_error("json", "could not build the document (out of memory)");
			ret = SM_EXIT_ERROR;
		} else {
			if (output_json_dump(stdout, doc))
				ret = SM_EXIT_ERROR;
			json_decref(doc);
		}
	} else {
		output_text_show(stdout, r, &oo);
	}
	free(h);
	free(r);
	return ret;
}
