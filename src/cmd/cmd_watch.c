/* cmd_watch.c - "sockmem watch": samples repeatedly.  On a terminal: a live
 * view redrawn in place (usage against the thresholds as bars, state, counter
 * rates, growth and time to pressure, top holders); otherwise, or with
 * --json: one JSON object per line (NDJSON) per sample, the show schema plus
 * the sample time and counter rates; with --format prometheus --output FILE:
 * the exposition file rewritten atomically at every sample. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "output.h"

#define WATCH_HISTORY 120	/* samples kept for the growth rate */
/* The share of one CPU the per-socket cadence keeps watch under: a pass
 * over 1M sockets costs about a second of CPU (the kernel's walk), so on
 * such a host it runs every few samples; the exact charge and the host's
 * files (about a millisecond) are read every sample. */
#define WATCH_CPU_BUDGET 0.10

static volatile sig_atomic_t watch_stop;
static uint64_t watch_sockets_every;		/* --sockets-every; 0: from the budget */
static uint64_t watch_sockets_delta_bytes;	/* --sockets-delta; 0: off */

/* watch's own checks of the shared options (cli.c parses them). */
static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_WATCH_BASE + 1:
		if (util_parse_u64(arg, strlen(arg), &watch_sockets_every) || !watch_sockets_every ||
		    watch_sockets_every > 1000000000)
			argp_error(state, "--sockets-every: '%s' is not a number from 1 to 1000000000",
				   arg);
		break;
	case OPT_WATCH_BASE + 2:
		if (sm_parse_size(arg, &watch_sockets_delta_bytes) || !watch_sockets_delta_bytes)
			argp_error(state, "--sockets-delta: '%s' is not a size in bytes above 0 (K, M, G "
				   "suffixes)", arg);
		break;
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

static const struct argp_option watch_options[] = {
	{ "sockets-every", OPT_WATCH_BASE + 1, "N", 0,
	  "Per-socket pass every N samples (default: as often as keeps watch under 10% of one "
	  "CPU, from the cost of the last pass; the exact charge and the host's files are read at "
	  "every sample)", 0 },
	{ "sockets-delta", OPT_WATCH_BASE + 2, "SIZE", 0,
	  "Also a per-socket pass at the first sample where TCP or UDP usage moved by more than "
	  "SIZE bytes (K, M, G suffixes) since the last pass", 0 },
	{ 0 }
};

const struct argp cmd_watch_argp = {
	watch_options, watch_parse, NULL,
	"Sample the live system every --interval seconds (default 2), --count times or until "
	"interrupted.  On a terminal: a view redrawn in "
	"place.  Not on a terminal, or with --json: one JSON object per line per sample (the "
	"'show --json' document plus sample_time and counter_rates_per_s), flushed per line, for "
	"jq and log shippers.  With --format prometheus --output FILE: FILE rewritten atomically "
	"at every sample.  Ends cleanly on Ctrl-C, SIGTERM or a closed pipe.\v"
	"Budget: the per-socket pass (top holders, the sockets' sums and reconciliation) is what "
	"costs on a large host; between passes a sample shows the exact charge and the host's "
	"files, with the last pass's top holders, and says so (sockets_unavailable_reason).  "
	"Each sample reports its own cost under 'collect'.",
	sm_children_sampled, NULL, NULL
};

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static double watch_since(const struct timespec *t0);

/* The terminal view's keys: stdin out of canonical mode without echo while
 * watch runs, as it was at the end (watch_keys_end, also at exit). */
static struct termios watch_tio;
static bool watch_tio_set;

static void watch_keys_end(void)
{
	if (watch_tio_set)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &watch_tio);
	watch_tio_set = false;
}

static void watch_keys_begin(void)
{
	static bool registered;
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &watch_tio))
		return;
	t = watch_tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t))
		return;
	watch_tio_set = true;
	if (!registered && !atexit(watch_keys_end))
		registered = true;
}

/* Until the next sample: seconds, a signal, or q on the terminal (returns
 * true: quit). */
static bool watch_wait(double seconds)
{
	struct timespec t0;
	double left;

	if (!watch_tio_set) {
		sm_sleep(seconds, &watch_stop);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!watch_stop && (left = seconds - watch_since(&t0)) > 0) {
		struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
		char c;
		int n = poll(&pfd, 1, (int)(left * 1e3) + 1);

		if (n <= 0 || !(pfd.revents & (POLLIN | POLLHUP)))
			continue;	/* the time is up, or a signal: the loop says which */
		if (read(STDIN_FILENO, &c, 1) != 1)
			return false;	/* the terminal went away: the signal ends it */
		if (c == 'q' || c == 'Q')
			return true;
	}
	return false;
}

/* The terminal's size; 0 for what is not known. */
static void watch_term_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = *rows = 0;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws)) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
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

static double watch_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double watch_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The usage --sockets-delta compares, at the decision and at the last
 * pass alike: the published one (the exact charge is read after the
 * decision, with or without the pass). */
static struct opt watch_usage(const struct report *r, int p)
{
	return r->proto[p].usage_pages;	/* tcp, udp come first */
}

/* When the per-socket pass runs: the first sample; --sockets-every N; a
 * move beyond --sockets-delta; otherwise once the CPU watch used since the
 * last pass began (that pass and the samples after it) is below the budget
 * of the time since, with a tenth to spare: a pass can only start at a
 * sample, so the cycle it closes ends a little after the threshold. */
#define WATCH_CPU_TARGET (0.9 * WATCH_CPU_BUDGET)
struct watch_cadence {
	bool done;			/* a pass has run */
	uint64_t sample;		/* the last pass's sample */
	double t_s, cpu_at_s;		/* when it started: wall time, watch's CPU time */
	double cpu_s;			/* what the pass itself cost */
	struct opt usage[2];		/* TCP, UDP usage then */
};

static bool watch_pass_due(const struct watch_cadence *c, const struct report *r, uint64_t n,
			   double t_s)
{
	int p;

	if (!c->done)
		return true;
	for (p = 0; p < 2 && watch_sockets_delta_bytes; p++) {
		struct opt u = watch_usage(r, p);
		uint64_t d;

		if (!u.ok || !c->usage[p].ok)
			continue;
		d = u.v > c->usage[p].v ? u.v - c->usage[p].v : c->usage[p].v - u.v;
		if (util_mul_sat(d, r->h->page_size_bytes, NULL) > watch_sockets_delta_bytes)
			return true;
	}
	if (watch_sockets_every)
		return n - c->sample >= watch_sockets_every;
	return watch_cpu_s() - c->cpu_at_s <= WATCH_CPU_TARGET * (t_s - c->t_s);
}

int cmd_watch_run(void)
{
	struct host *h = malloc(sizeof(*h));
	struct report *r = malloc(sizeof(*r)), *prev = malloc(sizeof(*prev));
	struct report_history hist = { 0 };
	struct watch_cadence cad = { 0 };
	struct sockets view = { 0 };	/* the last pass's sockets, by port */
	bool have_view = false;
	/* the last pass's sockets section, for the exposition between passes */
	struct sockets_report last_sk;
	struct sockdump_status last_st;
	bool have_last_sk = false;
	struct timespec t0;
	bool tty = isatty(STDOUT_FILENO) && !sm_common.json && !(sm_common.format == OUTPUT_PROMETHEUS);
	bool color = tty && sm_use_color(), have_prev = false;
	uint64_t n = 0, out_errors = 0;
	double prev_t = 0, cpu0 = watch_cpu_s();
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
	/* the terminal view is drawn whole and written at once (a line-buffered
	 * terminal would show a half-drawn screen while the next lines wait) */
	if (tty && setvbuf(stdout, NULL, _IOFBF, 1 << 16))
		sm_error("stdout", "cannot buffer the terminal view; it may flicker");
	if (tty) {
		output_text_screen(stdout, SCREEN_ENTER);
		watch_keys_begin();
	}

	while (!watch_stop) {
		struct collect_req q = { NULL, sm_common.all_netns, BY_PORT, 5, NULL, false, false };
		struct collect_out co = { 0 };
		struct report_rates rates;
		struct report_sample smp;
		struct report_cost cost = { 0 };
		struct timespec wall;
		char why[160];
		double t, c0, c1;
		struct report *swap;
		int rc, p;

		/* collect */
		c0 = watch_cpu_s();
		t = watch_since(&t0);
		clock_gettime(CLOCK_REALTIME, &wall);
		/* without /proc/net/sockstat this sample is partial (its usage
		 * from /proc/net/protocols, or null), not the last: the next may
		 * read it */
		host_collect(h, NULL, sm_common.page_size);
		/* built before the pass for its cadence (--sockets-delta); what
		 * the walks add to the host's problems reaches it through
		 * collect_to_report */
		report_build(r, h);
		n++;
		cost.sockets_pass = !sm_common.no_sockets && watch_pass_due(&cad, r, n, t);
		c1 = watch_cpu_s();
		if (cost.sockets_pass) {
			struct sockets agg = { 0 };

			for (p = 0; p < 2; p++)
				cad.usage[p] = watch_usage(r, p);

			rc = collect_sockets(h, &q, &agg, &co);
			if (rc == 0 && co.present) {
				sockets_free(&view);
				view = agg;
				have_view = true;
			} else {
				sockets_free(&agg);
			}
			cad.done = true;
			cad.sample = n;
			cad.t_s = t;
			cad.cpu_at_s = c0;
			cad.cpu_s = watch_cpu_s() - c1;
			cost.sockets_walked = co.sockets_walked;
		} else {
			rc = collect_exact(h, &q, &co);
		}
		if (rc && co.backend_unavailable) {
			/* --backend bpf that cannot load */
			sm_error("sockets", "%s", co.st.problem[0]);
			collect_free(&co);
			ret = SM_EXIT_ERROR;
			break;
		}
		/* a pass's problems on stderr too, once while they last */
		if (cost.sockets_pass && co.st.nproblems != reported_dump_problems) {
			for (p = 0; p < co.st.nproblems; p++)
				sm_error("sockets", "%s", co.st.problem[p]);
			reported_dump_problems = co.st.nproblems;
		}
		if (rc && co.stranded) {
			/* every later sample would read another namespace */
			sm_error(co.failed, "%s", strerror(-rc));
			ret = SM_EXIT_ERROR;
			collect_free(&co);
			break;
		}
		/* fatal for show (/proc/self/ns/net): here this sample's */
		if (rc)
			host_problem_add(h, co.failed ? co.failed : "sock_diag", rc, NULL);
		/* on stderr too, once while they last (the NDJSON says it per
		 * sample): the host's files and what the walks could not read */
		if (host_problem_count(h) != reported_problems)
			reported_problems = sm_report_problems(h, 0);
		/* report */
		report_history_add(&hist, r, t);
		report_history_trend(&hist, r);
		report_rates(&rates, have_prev ? prev : NULL, r, t - prev_t);
		collect_to_report(r, &view, &co);
		if (!cost.sockets_pass && !sm_common.no_sockets) {
			snprintf(why, sizeof(why), "per-socket pass not in this sample (budget: %s); the "
				 "last at sample %llu", watch_sockets_every ? "--sockets-every"
				 : "10%% of one CPU", (unsigned long long)cad.sample);
			r->sk.absent_reason = why;
		}
		cost.sockets_pass_sample = have_view ? cad.sample : 0;
		cost.sockets_every = watch_sockets_every ? watch_sockets_every
				     : cad.cpu_s <= WATCH_CPU_TARGET * sm_common.interval_s ? 1
				     : (uint64_t)(cad.cpu_s / (WATCH_CPU_TARGET * sm_common.interval_s)) + 1;
		cost.measured = true;
		cost.collect_cpu_seconds = watch_cpu_s() - c0;
		cost.collect_seconds = watch_since(&t0) - t;
		cost.cpu_share = watch_since(&t0) > 0 ? (watch_cpu_s() - cpu0) / watch_since(&t0) : 0;
		cost.budget_share = watch_sockets_every ? 0 : WATCH_CPU_BUDGET;
		if (cost.sockets_pass && r->sk.present) {
			last_st = co.st;
			last_sk = r->sk;
			last_sk.st = &last_st;
			last_sk.per_ns = NULL;	/* freed with co */
			last_sk.nper_ns = 0;
			have_last_sk = true;
		} else if (cost.sockets_pass) {
			have_last_sk = false;	/* the pass failed: no stale view */
		}
		report_sample_build(&smp, r, n, t - prev_t, &rates, have_view ? &view : NULL, &wall);
		smp.cost = cost;
		smp.sk_last = have_last_sk && !cost.sockets_pass ? &last_sk : NULL;
		/* render */
		if ((sm_common.format == OUTPUT_PROMETHEUS)) {
			if (watch_write_prom(&smp, &out_errors, &out_errno)) {
				ret = SM_EXIT_ERROR;
				collect_free(&co);
				break;
			}
		} else if (tty) {
			/* drawn whole, then fitted: cut at the width, never wrapped;
			 * as many lines as the screen holds, the header first */
			char *buf = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);
			int cols, rows;

			output_text_screen(stdout, SCREEN_CLEAR);
			if (m) {
				output_text_watch(m, &smp, sm_common.interval_s, color, watch_tio_set);
				fclose(m);
				watch_term_size(&cols, &rows);
				output_text_fit(stdout, buf, len, cols, rows);
			} else {
				output_text_watch(stdout, &smp, sm_common.interval_s, color,
						  watch_tio_set);
			}
			free(buf);
			fflush(stdout);
		} else {
			json_t *doc = output_json_sample(&smp);
			int jrc = doc ? output_json_dump_line(stdout, doc) : -ENOMEM;

			json_decref(doc);
			if (jrc) {
				if (jrc == -ENOMEM) {
					sm_error("json", "could not build the document (out of memory)");
					ret = SM_EXIT_ERROR;
				}
				collect_free(&co);
				break;	/* the reader went away */
			}
		}
		collect_free(&co);	/* the namespaces' sums of --all-netns */
		/* keep this sample's counters for the next rates */
		swap = prev;
		prev = r;
		r = swap;
		have_prev = true;
		prev_t = t;
		if (sm_common.count && n >= sm_common.count)
			break;
		/* a signal ends the sleep and the loop; on a terminal, q too */
		if (!watch_stop && watch_wait(sm_common.interval_s))
			break;
	}
	watch_keys_end();
	if (tty)
		output_text_screen(stdout, SCREEN_LEAVE);
	fflush(stdout);
	if (out_errno && ret == SM_EXIT_OK)
		ret = SM_EXIT_ERROR;	/* the last sample's file could not be written */
out:
	sockets_free(&view);
	report_history_free(&hist);
	if (h)
		host_free(h);
	free(h);
	free(r);
	free(prev);
	return ret;
}
