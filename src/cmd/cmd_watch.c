/* cmd_watch.c - "sockmem watch": samples repeatedly.  On a terminal: a live
 * view redrawn in place (usage against the thresholds as bars, state, counter
 * rates, growth and time to pressure, top holders); otherwise, or with
 * --json: one JSON object per line (NDJSON) per sample, the show schema plus
 * the sample time and counter rates; with --format prometheus --output FILE:
 * the exposition file rewritten atomically at every sample. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "output.h"

#define WATCH_HISTORY 120	/* samples kept for the growth rate */

static volatile sig_atomic_t watch_stop;

/* watch's own checks of the shared options (cli.c parses them). */
static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!sm_common.interval_s)
			sm_common.interval_s = 2.0;
		if (sm_common.format == OUTPUT_PROMETHEUS && !sm_common.output)
			argp_error(state, "--format prometheus needs --output FILE");
		if (sm_common.output && sm_common.format != OUTPUT_PROMETHEUS)
			argp_error(state, "--output goes with --format prometheus");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* No options of its own: NULL, not an empty array (glibc's argp help leaks
 * an empty one). */
const struct argp cmd_watch_argp = {
	NULL, watch_parse, NULL,
	"Sample the live system every --interval seconds (default 2), --count times or until "
	"interrupted.  On a terminal: a view redrawn in "
	"place.  Not on a terminal, or with --json: one JSON object per line per sample (the "
	"'show --json' document plus sample_time and counter_rates_per_s), flushed per line, for "
	"jq and log shippers.  With --format prometheus --output FILE: FILE rewritten atomically "
	"at every sample.  Ends cleanly on Ctrl-C, SIGTERM or a closed pipe.",
	sm_children_sampled, NULL, NULL
};

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* --output: one exposition file per sample.  A failure keeps the previous
 * file; one that may heal (a full disk) is retried at the next sample and
 * counted in the next file written; one that cannot (the directory removed,
 * permission) ends watch.  Returns 0, or -errno to stop. */
static int watch_write_prom(struct report_sample *smp, uint64_t *errors, int *last_errno)
{
	struct sm_out o;
	FILE *f;

	smp->output_errors = *errors;
	smp->output_last_errno = *last_errno;	/* 0 after a success */
	f = sm_out_open(&o, sm_common.output);
	if (f) {
		output_prom_sample(f, smp);
		if (!sm_out_close(&o, false)) {
			*last_errno = 0;
			return 0;
		}
	}
	++*errors;
	*last_errno = -o.err;
	if (!sm_out_error_heals(o.err)) {
		sm_error(sm_common.output, "%s: cannot heal, stopping", strerror(-o.err));
		return o.err;
	}
	sm_error(sm_common.output, "kept the previous file; retrying at the next sample");
	return 0;
}

int cmd_watch_run(void)
{
	struct host *h = malloc(sizeof(*h));
	struct report *r = malloc(sizeof(*r)), *prev = malloc(sizeof(*prev));
	struct report_history hist = { 0 };
	struct timespec t0;
	bool tty = isatty(STDOUT_FILENO) && !sm_common.json && !(sm_common.format == OUTPUT_PROMETHEUS);
	bool color = tty && sm_use_color(), have_prev = false;
	uint64_t n = 0, out_errors = 0;
	double prev_t = 0;
	int ret = SM_EXIT_OK, out_errno = 0, reported_problems = 0, reported_dump_problems = 0;
	struct sigaction sa;

	if (!h || !r || !prev || report_history_init(&hist, WATCH_HISTORY)) {
		sm_error("watch", "out of memory");
		ret = SM_EXIT_ERROR;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watch_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is EPIPE on write: stop cleanly */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (tty)
		output_text_screen(stdout, SCREEN_ENTER);

	while (!watch_stop) {
		struct collect_req q = { NULL, sm_common.all_netns, BY_PORT, 5, NULL, false, false };
		struct collect_out co = { 0 };
		struct sockets agg = { 0 };
		struct report_rates rates;
		struct report_sample smp;
		struct timespec now, wall;
		bool sockets = false;
		double t;
		struct report *swap;

		/* collect */
		clock_gettime(CLOCK_MONOTONIC, &now);
		clock_gettime(CLOCK_REALTIME, &wall);
		t = (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
		/* without /proc/net/sockstat this sample is partial (its usage
		 * from /proc/net/protocols, or null), not the last: the next may
		 * read it */
		host_collect(h, NULL, sm_common.page_size);
		if (!sm_common.no_sockets) {
			int rc = collect_sockets(h, &q, &agg, &co);

			sockets = rc == 0 && co.present;
			if (co.st.nproblems != reported_dump_problems) {
				for (int i = 0; i < co.st.nproblems; i++)
					sm_error("sockets", "%s", co.st.problem[i]);
				reported_dump_problems = co.st.nproblems;
			}
			if (rc && co.stranded) {
				/* every later sample would read another namespace */
				sm_error(co.failed, "%s", strerror(-rc));
				ret = SM_EXIT_ERROR;
				sockets_free(&agg);
				collect_free(&co);
				break;
			}
			/* fatal for show (/proc/self/ns/net): here this sample's */
			if (rc)
				host_problem_add(h, co.failed ? co.failed : "sock_diag", rc, NULL);
		}
		/* on stderr too, once while they last (the NDJSON says it per
		 * sample): the host's files and what the walks could not read */
		if (host_problem_count(h) != reported_problems)
			reported_problems = sm_report_problems(h, 0);
		/* report */
		report_build(r, h);
		report_history_add(&hist, r, t);
		report_history_trend(&hist, r);
		report_rates(&rates, have_prev ? prev : NULL, r, t - prev_t);
		if (sockets)
			collect_to_report(r, &agg, &co);
		n++;
		report_sample_build(&smp, r, n, t - prev_t, &rates, sockets ? &agg : NULL, &wall);
		/* render */
		if ((sm_common.format == OUTPUT_PROMETHEUS)) {
			if (watch_write_prom(&smp, &out_errors, &out_errno)) {
				ret = SM_EXIT_ERROR;
				sockets_free(&agg);
				collect_free(&co);
				break;
			}
		} else if (tty) {
			output_text_screen(stdout, SCREEN_CLEAR);
			output_text_watch(stdout, &smp, sm_common.interval_s, color);
			fflush(stdout);
		} else {
			json_t *doc = output_json_sample(&smp);
			int rc = doc ? output_json_dump_line(stdout, doc) : -ENOMEM;

			json_decref(doc);
			if (rc) {
				if (rc == -ENOMEM) {
					sm_error("json", "could not build the document (out of memory)");
					ret = SM_EXIT_ERROR;
				}
				sockets_free(&agg);
				collect_free(&co);
				break;	/* the reader went away */
			}
		}
		sockets_free(&agg);
		collect_free(&co);	/* the namespaces' sums of --all-netns */
		/* keep this sample's counters for the next rates */
		swap = prev;
		prev = r;
		r = swap;
		have_prev = true;
		prev_t = t;
		if (sm_common.count && n >= sm_common.count)
			break;
		if (!watch_stop)
			sm_sleep(sm_common.interval_s, &watch_stop);	/* a signal ends the sleep and the loop */
	}
	if (tty)
		output_text_screen(stdout, SCREEN_LEAVE);
	fflush(stdout);
	if (out_errno && ret == SM_EXIT_OK)
		ret = SM_EXIT_ERROR;	/* the last sample's file could not be written */
out:
	report_history_free(&hist);
	if (h)
		host_free(h);
	free(h);
	free(r);
	free(prev);
	return ret;
}
