/* sockmem.h - command layer shared by the command implementations:
 * named exit codes, common options and the command table entry type. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SOCKMEM_H
#define SOCKMEM_SOCKMEM_H

#include <argp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Exit codes: documented in sockmem(8) EXIT STATUS and in --help. */
enum sockmem_exit {
	SM_EXIT_OK = 0,		/* report complete */
	SM_EXIT_FINDINGS = 1,	/* reserved: a check found what it was asked to fail on */
	SM_EXIT_ERROR = 2,	/* runtime error: nothing (or nothing useful) could be reported */
	SM_EXIT_PARTIAL = 3,	/* report printed, but some inputs could not be used */
	SM_EXIT_USAGE = 64,	/* bad command line (EX_USAGE) */
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct common_opts {
	const char *diag_file;	/* --diag-file: replay a recorded TCP dump */
	bool no_sockets;	/* --no-sockets */
	const char *root;	/* --root DIR or $SOCKMEM_ROOT; NULL = live */
	bool json;
	bool exact_bytes;
	uint64_t page_size;	/* --page-size; 0 = from snapshot or this kernel */
	enum color_mode color;
};

extern struct common_opts sm_common;
extern const struct argp sm_common_argp;

/* Report an error once, in the form "sockmem: WHAT: WHY". */
void sm_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct sm_command {
	const char *name;
	const char *summary;
	const struct argp *argp;
	int (*run)(void);	/* after its argp has parsed; returns an exit code */
};

int cmd_show_run(void);
extern const struct argp cmd_show_argp;
int cmd_snapshot_run(void);
int cmd_top_run(void);
int cmd_simulate_run(void);
int cmd_advise_run(void);
int cmd_watch_run(void);
extern const struct argp cmd_watch_argp;
extern const struct argp cmd_advise_argp;
int sm_parse_rate(const char *arg, double *bytes_per_s);
int sm_parse_duration(const char *arg, double *s);
extern const struct argp cmd_simulate_argp;
int sm_parse_size(const char *arg, uint64_t *out);
extern const struct argp cmd_top_argp;
extern const struct argp cmd_snapshot_argp;

#include <limits.h>
#include <stdio.h>

struct sm_out {
	FILE *f;
	char path[PATH_MAX];
	char tmp[PATH_MAX + 32];
};
FILE *sm_out_open(struct sm_out *o, const char *path);
int sm_out_close(struct sm_out *o, bool discard);

struct host;
struct sockets;
struct sockdump_status;
struct keymap;
/* The per-socket pass for show and top: live dump, replay of --diag-file,
 * or the dumps of a --root snapshot.  Returns 1 when a view was made, 0 when
 * none is available (snapshot without dumps), <0 on error (reported). */
int sm_collect_sockets(const struct host *h, struct sockets *agg, int by, int topn,
		       const struct keymap *inode_pid, struct sockdump_status *st, char *source,
		       size_t sourcesz);
extern const struct argp sm_sockets_argp;
extern const struct argp_child sm_children_common[], sm_children_sockets[];
/* Sleeps SECONDS; a signal ends it early only if it set *stop. */
void sm_sleep(double seconds, volatile sig_atomic_t *stop);
int sm_check_root(const char *root);
bool sm_use_color(void);
void sm_report_problems(const struct host *h);

#endif
