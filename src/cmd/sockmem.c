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

#include "cli.h"
#include "collect.h"
#include "util.h"

const char *argp_program_version = PACKAGE_NAME " " PACKAGE_VERSION;
const char *argp_program_bug_address = NULL;

/* The commands and what each accepts; main() enforces the capabilities so
 * that no command re-implements "needs the live system" or "has JSON". */
static const struct sm_command commands[] = {
	{ "show", "how much memory sockets hold, against the kernel's limits", &cmd_show_argp,
	  cmd_show_run, CAP_JSON | CAP_PROMETHEUS | CAP_OUTPUT | CAP_SOCKETS, NULL },
	{ "top", "the largest holders of socket memory and the evidence",
	  &cmd_top_argp, cmd_top_run,
	  CAP_JSON | CAP_PROMETHEUS | CAP_OUTPUT | CAP_SOCKETS | CAP_STATIC_FRAME, NULL },
	{ "advise", "ranked findings with evidence and sysctl changes computed for this host",
	  &cmd_advise_argp, cmd_advise_run, CAP_JSON | CAP_SYSCTL | CAP_SOCKETS, NULL },
	{ "watch", "a live view, an NDJSON stream, or a Prometheus textfile, sample after sample",
	  &cmd_watch_argp, cmd_watch_run,
	  CAP_JSON | CAP_PROMETHEUS | CAP_OUTPUT | CAP_SOCKETS | CAP_LIVE_ONLY,
	  "watch samples the live system; use show with --root" },
	{ "trace", "every memory refusal and drop as it happens: its socket, process and cgroup",
	  &cmd_trace_argp, cmd_trace_run, CAP_JSON | CAP_LIVE_ONLY,
	  "trace follows the live kernel's events; use show with --root" },
	{ "simulate", "what if: proposed sysctls and more sockets through the model", &cmd_simulate_argp,
	  cmd_simulate_run, CAP_JSON, NULL },
	{ "snapshot", "copy every input of show into a directory for offline analysis",
	  &cmd_snapshot_argp, cmd_snapshot_run, CAP_JSON | CAP_SOCKETS, NULL },
	{ "check", "one condition for node-problem-detector: one line, exit 0 OK, 1 problem, 2 unknown",
	  &cmd_check_argp, cmd_check_run,
	  CAP_PROMETHEUS | CAP_OUTPUT | CAP_SOCKETS | CAP_PLUGIN_EXIT, NULL },
};

static const struct sm_command *selected, *help_for;
static int cmd_index = -1;

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	size_t i;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case ARGP_KEY_ARG:
		if (!strcmp(arg, "help")) {
			/* "sockmem help [COMMAND]": that command's --help, or this one */
			const char *c = state->next < state->argc ? state->argv[state->next] : NULL;

			for (i = 0; c && i < ARRAY_SIZE(commands); i++)
				if (!strcmp(c, commands[i].name))
					help_for = &commands[i];
			if (c && !help_for)
				argp_error(state, "'%s' is not a sockmem command", c);
			if (!help_for)
				argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
			state->next = state->argc;
			break;
		}
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			if (!strcmp(arg, commands[i].name))
				selected = &commands[i];
		if (!selected)
			argp_error(state, "'%s' is not a sockmem command (see 'sockmem --help')", arg);
		cmd_index = state->next - 1;
		state->next = state->argc; /* the rest belongs to the command */
		break;
	case ARGP_KEY_END:
		if (!selected && !help_for)
			selected = &commands[0];	/* no command: show */
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* "  name       summary", wrapped under the summary before argp's margin
 * (argp would wrap a long line back to column 0). */
static void help_wrapped(FILE *f, const char *name, const char *text)
{
	const int indent = 13, width = 78;
	int col = fprintf(f, "  %-10s ", name);

	while (*text) {
		const char *sp = strchr(text, ' ');
		int len = sp ? (int)(sp - text) : (int)strlen(text);

		if (col > indent && col + 1 + len > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", len, text);
		text += len;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static char *top_help_filter(int key, const char *text, void *input)
{
	if (key == ARGP_KEY_HELP_POST_DOC) {
		char *buf = NULL;
		size_t len = 0, i;
		FILE *f = open_memstream(&buf, &len);

		if (!f)
			return (char *)text;
		fputs("Commands (without one: show):\n", f);
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			help_wrapped(f, commands[i].name, commands[i].summary);
		fputs("  help CMD   the options of a command (as 'sockmem CMD --help')\n", f);
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

	argv[0] = (char *)"sockmem";	/* messages name the program, not its path */
	argp_parse(&top_argp, argc, argv, ARGP_IN_ORDER, NULL, NULL);

	/* The command's own argp, named "sockmem show" in its messages and --help. */
	if (help_for) {
		char *hv[] = { name, (char *)"--help", NULL };

		cli_command = help_for;
		snprintf(name, sizeof(name), "sockmem %s", help_for->name);
		argp_parse(help_for->argp, 2, hv, 0, NULL, NULL);
		return SM_EXIT_OK;
	}
	cli_command = selected;
	snprintf(name, sizeof(name), "sockmem %s", selected->name);
	if (cmd_index < 0) {
		char *none[] = { name, NULL };

		argp_parse(selected->argp, 1, none, 0, NULL, NULL);
	} else {
		argv[cmd_index] = name;
		argp_parse(selected->argp, argc - cmd_index, argv + cmd_index, 0, NULL, NULL);
	}

	/* What the table says the command accepts. */
	rc = cli_check_options(name);
	if (rc >= 0)
		return rc == SM_EXIT_USAGE && (selected->caps & CAP_PLUGIN_EXIT) ? SM_EXIT_ERROR : rc;
	/* --backend holds for every pass the command makes */
	collect_set_backend((enum collect_backend)sm_common.backend);
	rc = selected->run();
	collect_release();
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
			return rc;	/* the reader went away: a normal end (watch | head) */
		sm_error("stdout", "write error: %s", strerror(errno));
		return SM_EXIT_ERROR;
	}
	return rc;
}
