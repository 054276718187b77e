/* cli.h - the command layer's shared parts: named exit codes, the common
 * options and the argp groups every command mounts, error reporting in the
 * form "sockmem: WHAT: WHY", the atomic output file, colour, and the
 * command table entry with the capabilities that main() enforces. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_CLI_H
#define SOCKMEM_CLI_H

#include <argp.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes: documented in sockmem(8) EXIT STATUS and in --help. */
enum sockmem_exit {
	SM_EXIT_OK = 0,		/* report complete */
	SM_EXIT_FINDINGS = 1,	/* a check found what it was asked to fail on */
	SM_EXIT_ERROR = 2,	/* runtime error: nothing (or nothing useful) could be reported */
	SM_EXIT_PARTIAL = 3,	/* report printed, but some inputs could not be used */
	SM_EXIT_USAGE = 64,	/* bad command line (EX_USAGE) */
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Output formats; a command accepts those its capabilities name. */
enum output_format { OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_PROMETHEUS, OUTPUT_SYSCTL, OUTPUT_COUNT };
extern const char *const cli_format_name[OUTPUT_COUNT];

struct common_opts {
	const char *diag_file;	/* --diag-file: replay a recorded TCP dump */
	bool no_sockets;	/* --no-sockets */
	bool all_netns;		/* --all-netns */
	int backend;		/* --backend: enum collect_backend (collect.h); 0 = auto */
	const char *root;	/* --root DIR or $SOCKMEM_ROOT; NULL = live */
	bool json;		/* the output is JSON: --json or --format json */
	bool json_given;	/* --json */
	enum output_format format;	/* --format, or OUTPUT_JSON for --json */
	bool format_given;
	const char *output;	/* --output FILE */
	bool exact_bytes;
	uint64_t page_size;	/* --page-size; 0 = from snapshot or this kernel */
	enum color_mode color;
	double interval_s;	/* --interval; 0 = not given */
	uint64_t count;		/* --count; 0 = not given */
};

extern struct common_opts sm_common;

/* Option keys of the shared groups (letters are short options). */
enum cli_opt_key {
	OPT_PAGE_SIZE = 0x100, OPT_COLOR, OPT_NO_COLOR,
	OPT_DIAG_FILE = 0x200, OPT_NO_SOCKETS, OPT_SS_FILE, OPT_BACKEND,
	OPT_SIM_BASE = 0x300,	/* simulate's own options */
	OPT_ADV_BASE = 0x400,	/* advise's own options */
	OPT_WATCH_BASE = 0x500,	/* watch's own options */
	OPT_CHECK_BASE = 0x600,	/* check's own options */
	OPT_TRACE_BASE = 0x700,	/* trace's own options */
};

/* Capabilities of a command, enforced by main() before it runs. */
enum cli_caps {
	CAP_JSON = 1 << 0,	/* --json / --format json */
	CAP_PROMETHEUS = 1 << 1,	/* --format prometheus */
	CAP_SYSCTL = 1 << 2,	/* --format sysctl */
	CAP_OUTPUT = 1 << 3,	/* --output FILE */
	CAP_LIVE_ONLY = 1 << 4,	/* refuses --root: it samples the live system */
	CAP_SOCKETS = 1 << 5,	/* mounts the per-socket options */
	CAP_PLUGIN_EXIT = 1 << 6,	/* exits 0, 1 or 2 only (node-problem-detector's protocol) */
	CAP_STATIC_FRAME = 1 << 7,	/* --interval on a snapshot: one static frame */
};

struct sm_command {
	const char *name;
	const char *summary;
	const struct argp *argp;
	int (*run)(void);	/* after its argp has parsed; returns an exit code */
	unsigned caps;		/* enum cli_caps */
	const char *live_why;	/* with CAP_LIVE_ONLY: the message for --root */
};

/* The command being run (set by main before its argp parses). */
extern const struct sm_command *cli_command;

/* Report an error once, in the form "sockmem: WHAT: WHY". */
void sm_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The shared option groups: common (--root, --json, ...), output
 * (--format, --output), sampling (--interval, --count) and the per-socket
 * view (--diag-file, --no-sockets).  A command mounts them as children. */
extern const struct argp sm_common_argp, sm_sockets_argp;
extern const struct argp_child sm_children_common[], sm_children_sockets[], sm_children_format[],
	sm_children_top[], sm_children_sampled[], sm_children_snapshot[],
	sm_children_advise[], sm_children_check[];
/* After every parser has run: --json against --format, the capabilities of
 * the command, live-only options against --root.  Returns an exit code to
 * stop with, or -1 to go on. */
int cli_check_options(const char *name);

/* Sleeps SECONDS; a signal ends it early only if it set *stop. */
void sm_sleep(double seconds, volatile sig_atomic_t *stop);
/* Checks --root before anything is read so the message names the directory. */
int sm_check_root(const char *root);
bool sm_use_color(void);
struct host;
/* Names on stderr the host's problems from index from on (those a walk
 * added after the last call); returns how many there are now. */
int sm_report_problems(const struct host *h, int from);

/* Output to stdout, or to FILE through FILE.tmp.PID renamed over it, so a
 * reader (node_exporter's textfile collector) never sees half a file. */
struct sm_out {
	FILE *f;
	char path[PATH_MAX];
	char tmp[PATH_MAX + 32];
	int err;		/* the last failure, -errno (reported); 0: none */
};
FILE *sm_out_open(struct sm_out *o, const char *path);
/* Returns 0 or -errno (reported); discard: remove the temporary file. */
int sm_out_close(struct sm_out *o, bool discard);
/* Whether an output error may pass by itself (a full disk, a quota, EIO),
 * so that a long-running writer should retry at the next sample, or not
 * (the directory removed, permission, a read-only filesystem). */
bool sm_out_error_heals(int err);

/* Prints a JSON document (and frees it): 0, -ENOMEM when it could not be
 * built (reported), -EIO when the write failed (main reports stdout). */
typedef struct json_t json_t;
int cli_print_json(FILE *f, json_t *doc);
/* The index of arg among names, or an argp usage error that lists them. */
int cli_parse_choice(struct argp_state *state, const char *option, const char *arg,
		     const char *const *names, int n);
/* --fail-on LEVEL (advise --check, check): SEV_WARN or SEV_CRIT. */
int cli_parse_fail_on(struct argp_state *state, const char *arg);

/* Parsers of option values shared by several commands. */
int sm_parse_rate(const char *arg, double *bytes_per_s);
int sm_parse_duration(const char *arg, double *s);
int sm_parse_size(const char *arg, uint64_t *out);

/* The commands. */
int cmd_show_run(void);
int cmd_snapshot_run(void);
int cmd_top_run(void);
int cmd_simulate_run(void);
int cmd_advise_run(void);
int cmd_watch_run(void);
int cmd_check_run(void);
int cmd_trace_run(void);
extern const struct argp cmd_show_argp, cmd_snapshot_argp, cmd_top_argp, cmd_simulate_argp,
	cmd_advise_argp, cmd_watch_argp, cmd_check_argp, cmd_trace_argp;

#endif
