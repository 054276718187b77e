/* report_advise.h - the report of "sockmem advise": the findings of the
 * rules with what every renderer needs computed once (counts per severity,
 * the --check verdict, which fix lines the sysctl file carries) and the
 * assembly of the rules' input from the other reports.  Pure. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_REPORT_ADVISE_H
#define SOCKMEM_REPORT_ADVISE_H

#include "report_trace.h"
#include "rules.h"

/* What the sysctl file does with one fix. */
enum advise_line {
	ADVISE_LINE_SET,		/* "name = values" */
	ADVISE_LINE_INFO,		/* an info finding's fix: left out of the file */
	ADVISE_LINE_SET_ABOVE,		/* a more urgent finding set the same values above */
	ADVISE_LINE_OTHER_ABOVE,	/* ... set other values above: this one is a comment */
	ADVISE_LINE_HOST_ONLY,		/* a host-only sysctl (host_sysctl[].scope) in a child
					 * network namespace: it cannot be set there (absent,
					 * or read-only like net.core.rmem_max since 6.18), so
					 * a comment: set it on the host */
};

struct report_advise {
	const struct host *h;
	const struct report *r;
	struct finding *f;		/* RULES_MAX_FINDINGS, most urgent first */
	int n;
	int count[3];			/* by enum sev */
	bool partial;
	bool check_failed;		/* --check: a finding at or above --fail-on */
	enum advise_line line[RULES_MAX_FINDINGS][FINDING_MAX_SYSCTL];
	int sysctl_lines, sysctl_info_skipped;
	int sysctl_host_only;		/* ADVISE_LINE_HOST_ONLY lines */
	const struct advise_trace *trace;	/* advise --trace, NULL without */
};

/* The slow readers among the largest holders (a top of 3, names filled). */
void report_advise_slow(struct advise_in *in, const struct report_top *t);
/* Counter rates between the first and the last sample of --interval. */
void report_advise_rates(struct advise_in *in, const struct report *first,
			 const struct report *last, double seconds);
/* The events of advise --trace (a window over UDP in summary mode: t built
 * from w), condensed for the rules: the socket and the cgroup with the
 * most, whether that socket's buffer was full, the highest usage an event
 * refused by a limit saw. */
void report_advise_trace(struct advise_in *in, const struct report_trace *t,
			 const struct trace_window *w);
/* Runs the rules; f has RULES_MAX_FINDINGS entries.  fail_on < 0: no --check. */
void report_advise_build(struct report_advise *a, const struct advise_in *in, struct finding *f,
			 bool partial, int fail_on);

#endif
