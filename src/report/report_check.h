/* report_check.h - the report of "sockmem check": one verdict and one line
 * for node-problem-detector's custom plugin protocol (exit 0 OK, 1 the
 * problem is there, 2 unknown; a message of at most 80 bytes that is useful
 * alone), per condition.  Pure: the command collects, reads and writes the
 * state file. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_REPORT_CHECK_H
#define SOCKMEM_REPORT_CHECK_H

#include "report_advise.h"

/* NPD's max_output_length default; longer messages are cut by NPD. */
#define CHECK_LINE_MAX 80

enum check_condition {
	CHECK_FINDINGS,		/* advise's findings at or above --fail-on */
	CHECK_TCP_PRESSURE,	/* TCP in memory pressure (the kernel's flag), not over max */
	CHECK_TCP_OVER_LIMIT,	/* TCP usage above tcp_mem[2] */
	CHECK_TCP_ABORT,	/* TCPAbortOnMemory rose since the last check */
	CHECK_COUNT
};
extern const char *const check_condition_name[CHECK_COUNT];

enum check_verdict { CHECK_OK = 0, CHECK_PROBLEM = 1, CHECK_UNKNOWN = 2 };

struct check_in {
	enum check_condition cond;
	const struct report *r;		/* NULL: no report could be made */
	const char *why;		/* when r is NULL */
	const struct report_advise *a;	/* CHECK_FINDINGS */
	struct report_pod pod;		/* the largest holder's pod, if any */
	/* CHECK_TCP_ABORT: TCPAbortOnMemory now, and at the last check */
	struct opt aborts, aborts_prev;
};

struct report_check {
	enum check_verdict verdict;
	char line[CHECK_LINE_MAX + 1];
	bool store_aborts;		/* CHECK_TCP_ABORT: write aborts to the state file */
};

void report_check_build(struct report_check *c, const struct check_in *in);

#endif
