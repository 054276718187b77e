/* sockmem.c - entry point: global options and the table of commands, each
 * parsed with its own argp ("sockmem [OPTION...] COMMAND [OPTION...]"). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sockmem.h"
#include "util.h"

const char *argp_program_version = PACKAGE_NAME " " PACKAGE_VERSION;
const char *argp_program_bug_address = NULL;

struct common_opts sm_common;

void sm_error(const char *what, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "sockmem: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

enum { OPT_PAGE_SIZE = 0x100, OPT_COLOR, OPT_NO_COLOR };

static const struct argp_option common_options[] = {
	{ "root", 'r', "DIR", 0,
	  "Read every /proc and /sys file under DIR (a snapshot) instead of the live system", 0 },
	{ "json", 'j', NULL, 0, "JSON output (schema: sockmem-json(5))", 0 },
	{ "bytes", 'b', NULL, 0, "Exact byte counts instead of KiB/MiB/GiB in text output", 0 },
	{ "page-size", OPT_PAGE_SIZE, "BYTES", 0,
	  "Page size of the machine the input comes from (default: snapshot metadata, else "
	  "this kernel's)", 0 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "Colour text output: auto (default: on a terminal, not with NO_COLOR), always, never", 0 },
	{ "no-color", OPT_NO_COLOR, NULL, 0, "Same as --color=never", 0 },
	{ 0 }
};

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;

	switch (key) {
	case 'r':
		sm_common.root = arg;
		break;
	case 'j':
		sm_common.json = true;
		break;
	case 'b':
		sm_common.exact_bytes = true;
		break;
	case OPT_PAGE_SIZE:
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1024 || v > (1u << 20) ||
		    (v & (v - 1)))
			argp_error(state, "--page-size: '%s' is not a power of two between 1024 and "
				   "1048576", arg);
		sm_common.page_size = v;
		break;
	case OPT_COLOR:
		if (!arg || !strcmp(arg, "auto"))
			sm_common.color = COLOR_AUTO;
		else if (!strcmp(arg, "always"))
			sm_common.color = COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			sm_common.color = COLOR_NEVER;
		else
			argp_error(state, "--color: '%s' is not auto, always or never", arg);
		break;
	case OPT_NO_COLOR:
		sm_common.color = COLOR_NEVER;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp sm_common_argp = { common_options, common_parse, NULL, NULL, NULL, NULL, NULL };

enum { OPT_DIAG_FILE = 0x200, OPT_NO_SOCKETS };

static const struct argp_option sockets_options[] = {
	{ "diag-file", OPT_DIAG_FILE, "FILE", 0,
	  "Per-socket view from a recorded TCP sock_diag dump (iproute2 'ss -D FILE') instead of "
	  "the kernel", 0 },
	{ "no-sockets", OPT_NO_SOCKETS, NULL, 0, "Skip the per-socket pass (show)", 0 },
	{ 0 }
};

static error_t sockets_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_DIAG_FILE:
		sm_common.diag_file = arg;
		break;
	case OPT_NO_SOCKETS:
		sm_common.no_sockets = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp sm_sockets_argp = { sockets_options, sockets_parse, NULL, NULL, NULL, NULL, NULL };

/* The option groups a command mounts: the common ones, and with the
 * per-socket view its options too. */
const struct argp_child sm_children_common[] = {
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};
const struct argp_child sm_children_sockets[] = {
	{ &sm_sockets_argp, 0, "Per-socket view:", 0 },
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};

void sm_sleep(double seconds, volatile sig_atomic_t *stop)
{
	struct timespec d;

	d.tv_sec = (time_t)seconds;
	d.tv_nsec = (long)((seconds - (double)d.tv_sec) * 1e9);
	while (nanosleep(&d, &d) && errno == EINTR && !(stop && *stop))
		;
}

static const struct sm_command commands[] = {
	{ "show", "how much memory sockets hold, against the kernel's limits", &cmd_show_argp,
	  cmd_show_run },
	{ "top", "the largest holders of socket memory and the evidence",
	  &cmd_top_argp, cmd_top_run },
	{ "advise", "ranked findings with evidence and sysctl changes computed for this host",
	  &cmd_advise_argp, cmd_advise_run },
	{ "watch", "a live view, an NDJSON stream, or a Prometheus textfile, sample after sample",
	  &cmd_watch_argp, cmd_watch_run },
	{ "simulate", "what if: proposed sysctls and more sockets through the model", &cmd_simulate_argp,
	  cmd_simulate_run },
	{ "snapshot", "copy every input of show into a directory for offline analysis",
	  &cmd_snapshot_argp, cmd_snapshot_run },
};

static const struct sm_command *selected;
static int cmd_index;

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	size_t i;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case ARGP_KEY_ARG:
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			if (!strcmp(arg, commands[i].name))
				selected = &commands[i];
		if (!selected)
			argp_error(state, "'%s' is not a sockmem command", arg);
		cmd_index = state->next - 1;
		state->next = state->argc; /* the rest belongs to the command */
		break;
	case ARGP_KEY_END:
		if (!selected)
			argp_error(state, "no command given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static char *top_help_filter(int key, const char *text, void *input)
{
	if (key == ARGP_KEY_HELP_POST_DOC) {
		char *buf = NULL;
		size_t len = 0, i;
		FILE *f = open_memstream(&buf, &len);

		if (!f)
			return (char *)text;
		fputs("Commands:\n", f);
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
		fputs("\n'sockmem COMMAND --help' describes each command.  Common options work "
		      "before or after the command word.\n\n"
		      "Exit status: 0 complete report; 1 reserved for checks that found what they "
		      "fail on; 2 runtime error (nothing useful could be reported); 3 partial "
		      "report (some inputs could not be used); 64 usage error.\n"
		      "Environment: SOCKMEM_ROOT (as --root), NO_COLOR (no colour).", f);
		fclose(f);
		return buf;
	}
	return (char *)text;
}

static const struct argp_child top_children[] = {
	{ &sm_common_argp, 0, "Common options:", 0 },
	{ 0 }
};

static const struct argp top_argp = {
	NULL, top_parse, "COMMAND [OPTION...]",
	"sockmem -- how much memory the kernel's sockets hold, how close TCP and UDP are to "
	"the kernel's limits, and why.\v",
	top_children, top_help_filter, NULL
};

int main(int argc, char **argv)
{
	char name[64];
	int rc;

	argp_err_exit_status = SM_EXIT_USAGE;
	sm_common.root = getenv("SOCKMEM_ROOT");
	if (sm_common.root && !sm_common.root[0])
		sm_common.root = NULL;

	argp_parse(&top_argp, argc, argv, ARGP_IN_ORDER, NULL, NULL);

	/* The command's own argp, named "sockmem show" in its messages and --help. */
	snprintf(name, sizeof(name), "sockmem %s", selected->name);
	argv[cmd_index] = name;
	argp_parse(selected->argp, argc - cmd_index, argv + cmd_index, 0, NULL, NULL);

	rc = selected->run();
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			sm_error("stdout", "write error: %s", strerror(errno));
		return SM_EXIT_ERROR;
	}
	return rc;
}
