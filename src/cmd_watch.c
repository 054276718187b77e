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

static double watch_interval_s = 2.0;
static uint64_t watch_count;	/* 0: until interrupted */
static bool watch_prom;
static const char *watch_output;
static volatile sig_atomic_t watch_stop;

enum { OPT_W_FORMAT = 0x500, OPT_W_OUTPUT };

static const struct argp_option watch_options[] = {
	{ "interval", 'i', "SECONDS", 0, "Seconds between samples (default 2)", 0 },
	{ "count", 'c', "N", 0, "Stop after N samples (default: until interrupted)", 0 },
	{ "format", OPT_W_FORMAT, "FMT", 0, "text (terminal view), json (NDJSON) or prometheus", 0 },
	{ "output", OPT_W_OUTPUT, "FILE", 0,
	  "With --format prometheus: rewrite FILE atomically at every sample (node_exporter's "
	  "textfile collector)", 0 },
	{ 0 }
};

static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		break;
	case 'i':
		watch_interval_s = strtod(arg, &end);
		if (*end || !(watch_interval_s >= 0.05 && watch_interval_s <= 86400))
			argp_error(state, "--interval: '%s' is not a number of seconds from 0.05 to 86400",
				   arg);
		break;
	case 'c':
		if (util_parse_u64(arg, strlen(arg), &watch_count) || !watch_count)
			argp_error(state, "--count: '%s' is not a positive number", arg);
		break;
	case OPT_W_FORMAT:
		if (!strcmp(arg, "json"))
			sm_common.json = true;
		else if (!strcmp(arg, "prometheus"))
			watch_prom = true;
		else if (strcmp(arg, "text"))
			argp_error(state, "--format: '%s' is not text, json or prometheus", arg);
		break;
	case OPT_W_OUTPUT:
		watch_output = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (watch_prom && !watch_output)
			argp_error(state, "--format prometheus needs --output FILE");
		if (watch_output && !watch_prom)
			argp_error(state, "--output goes with --format prometheus");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_watch_argp = {
	watch_options, watch_parse, NULL,
	"Sample the live system every --interval seconds.  On a terminal: a view redrawn in "
	"place.  Not on a terminal, or with --json: one JSON object per line per sample (the "
	"'show --json' document plus sample_time and counter_rates_per_s), flushed per line, for "
	"jq and log shippers.  With --format prometheus --output FILE: FILE rewritten atomically "
	"at every sample.  Ends cleanly on Ctrl-C, SIGTERM or a closed pipe.",
	sm_children_sockets, NULL, NULL
};

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void watch_bar(char *dst, size_t n, const struct proto_report *p, int width)
{
	/* usage against max; '|' marks min and pressure */
	int i, u, m0, m1;
	double max;

	if (!p->limits_ok || !p->usage_pages.ok || (size_t)width + 3 > n) {
		snprintf(dst, n, "%*s", width + 2, "(limits not visible)");
		return;
	}
	max = (double)p->limit_pages[2];
	u = (int)((double)p->usage_pages.v / max * width + 0.5);
	m0 = (int)((double)p->limit_pages[0] / max * width + 0.5);
	m1 = (int)((double)p->limit_pages[1] / max * width + 0.5);
	dst[0] = '[';
	for (i = 0; i < width; i++)
		dst[i + 1] = i < u ? '#' : (i == m0 || i == m1) ? '|' : '.';
	dst[width + 1] = u > width ? '>' : ']';
	dst[width + 2] = '\0';
}

static void watch_frame(FILE *f, const struct report *r, const struct sock_entry *top, int ntop,
			const double *rates, bool rates_ok, uint64_t n, bool color)
{
	char now[40], a[40], b[40], bar[80];
	time_t t = time(NULL);
	struct tm tm;
	int i;

	localtime_r(&t, &tm);
	strftime(now, sizeof(now), "%H:%M:%S", &tm);
	fprintf(f, "sockmem watch  %s  every %.3gs  sample %llu  (Ctrl-C to quit)\n\n", now,
		watch_interval_s, (unsigned long long)n);
	for (i = 0; i < r->nproto; i++) {
		const struct proto_report *p = &r->proto[i];

		if (p->def->shares_with)
			continue;
		watch_bar(bar, sizeof(bar), p, 40);
		util_human_bytes(a, sizeof(a), p->usage_bytes.ok ? p->usage_bytes.v : 0);
		fprintf(f, "%-4s %s%-10s%s %s %9s %6.2f%% of max", p->def->label,
			color ? (p->m.state == MS_NORMAL ? "\033[32m" : p->m.state == MS_ELEVATED ||
				 p->m.state == MS_LIMITED ? "\033[33m" : "\033[31m") : "",
			model_state_name(p->m.state), color ? "\033[0m" : "", bar, a,
			p->m.pct_ok ? p->m.pct[2] : 0.0);
		if (p->def->kind == MODEL_PRESSURE)
			fprintf(f, "  press=%s", protocols_press_name(p->press));
		fputc('\n', f);
		if (p->trend_ok) {
			fprintf(f, "     growth %+.2f pages/s", p->trend.slope);
			if (!p->trend.growing)
				fputs(", not growing", f);
			else if (p->eta_ok[1] && p->eta_s[1] > 0)
				fprintf(f, ", pressure in ~%.0f s", p->eta_s[1]);
			else if (p->eta_ok[1])
				fputs(", above pressure", f);
			fputc('\n', f);
		}
	}
	fputs("\ncounter rates per second:", f);
	if (!rates_ok) {
		fputs(" (after the next sample)\n", f);
	} else {
		int shown = 0;

		for (i = 0; i < r->ncounter; i++)
			if (rates[i] > 0) {
				fprintf(f, "%s %s %.2f", shown % 3 ? "," : "\n ", r->counter[i].key, rates[i]);
				shown++;
			}
		fputs(shown ? "\n" : " all 0\n", f);
	}
	if (ntop) {
		fputs("\ntop holders (by port):\n", f);
		for (i = 0; i < ntop; i++) {
			util_human_bytes(a, sizeof(a), top[i].charged_bytes);
			util_human_bytes(b, sizeof(b), top[i].mem[DM_RMEM_ALLOC]);
			fprintf(f, "  %-4s %-6llu %6llu sockets %10s charged, recv-q %s%s\n",
				diag_proto_name((enum diag_proto)(top[i].key >> 16)),
				(unsigned long long)(top[i].key & 0xffff), (unsigned long long)top[i].count,
				a, b, top[i].slow_readers ? ", slow readers" : "");
		}
	}
}

int cmd_watch_run(void)
{
	struct host *h = malloc(sizeof(*h));
	struct report *r = malloc(sizeof(*r));
	double *t_hist = calloc(WATCH_HISTORY, sizeof(double));
	double *u_hist = calloc(2 * WATCH_HISTORY, sizeof(double));
	uint64_t prev_ctr[16] = { 0 };
	bool prev_ok[16] = { false };
	double prev_t = 0, rates[16];
	struct timespec t0;
	bool tty = isatty(STDOUT_FILENO) && !sm_common.json && !watch_prom;
	bool color = tty && sm_use_color();
	uint64_t n = 0;
	int nh = 0, ret = SM_EXIT_OK, i;
	struct sigaction sa;

	if (!h || !r || !t_hist || !u_hist) {
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
		fputs("\033[?1049h\033[?25l", stdout);	/* alternate screen, hide cursor */

	while (!watch_stop) {
		struct timespec now;
		struct sockets agg = { 0 };
		struct collect_req q = { NULL, false, BY_PORT, 5, NULL, false, false };
		struct collect_out co;
		struct sock_entry top[5];
		double t;
		bool rates_ok = false;
		int ntop = 0, rc;

		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
		rc = host_collect(h, NULL, sm_common.page_size);
		if (rc) {
			sm_report_problems(h);
			ret = SM_EXIT_ERROR;
			break;
		}
		report_build(r, h);
		/* growth over the recent samples */
		if (nh == WATCH_HISTORY) {
			memmove(t_hist, t_hist + 1, (WATCH_HISTORY - 1) * sizeof(double));
			memmove(u_hist, u_hist + 1, (2 * WATCH_HISTORY - 1) * sizeof(double));
			memmove(u_hist + WATCH_HISTORY, u_hist + WATCH_HISTORY + 1,
				(WATCH_HISTORY - 1) * sizeof(double));
			nh--;
		}
		t_hist[nh] = t;
		u_hist[nh] = (double)(r->proto[0].usage_pages.ok ? r->proto[0].usage_pages.v : 0);
		u_hist[WATCH_HISTORY + nh] = (double)(r->proto[1].usage_pages.ok ? r->proto[1].usage_pages.v : 0);
		nh++;
		if (nh >= 2) {
			report_add_trend(r, 0, t_hist, u_hist, nh);
			report_add_trend(r, 1, t_hist, u_hist + WATCH_HISTORY, nh);
		}
		for (i = 0; i < r->ncounter && i < 16; i++) {
			rates[i] = 0;
			if (r->counter[i].value.ok && prev_ok[i] && t > prev_t &&
			    r->counter[i].value.v >= prev_ctr[i]) {
				rates[i] = (double)(r->counter[i].value.v - prev_ctr[i]) / (t - prev_t);
				rates_ok = true;
			}
		}
		if (!sm_common.no_sockets && collect_sockets(h, &q, &agg, &co) == 0 && co.present) {
			collect_to_report(r, &agg, &co);
			ntop = sockets_top(&agg, top, 5);
			if (ntop < 0)
				ntop = 0;
		}
		n++;
		errno = 0;
		if (watch_prom) {
			struct sm_out o;
			FILE *f = sm_out_open(&o, watch_output);

			if (!f || (output_prom_show(f, r), sm_out_close(&o, false))) {
				ret = SM_EXIT_ERROR;
				sockets_free(&agg);
				break;
			}
		} else if (tty) {
			fputs("\033[H\033[2J", stdout);
			watch_frame(stdout, r, top, ntop, rates, rates_ok, n, color);
			fflush(stdout);
		} else {
			json_t *doc = output_json_show(r), *rt = json_object();
			char iso[40];
			struct timespec rt_now;
			struct tm tm;

			json_object_set_new(doc, "command", json_string("watch"));
			clock_gettime(CLOCK_REALTIME, &rt_now);
			gmtime_r(&rt_now.tv_sec, &tm);
			strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
			snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), ".%03ldZ",
				 rt_now.tv_nsec / 1000000);
			json_object_set_new(doc, "sample", json_integer((json_int_t)n));
			json_object_set_new(doc, "sample_time", json_string(iso));
			json_object_set_new(doc, "sample_time_unix_s", json_real((double)rt_now.tv_sec +
								       rt_now.tv_nsec / 1e9));
			json_object_set_new(doc, "sample_interval_s", n > 1 ? json_real(t - prev_t) : json_null());
			for (i = 0; i < r->ncounter && i < 16; i++)
				json_object_set_new(rt, r->counter[i].key, rates_ok && r->counter[i].value.ok &&
						    prev_ok[i] ? json_real(rates[i]) : json_null());
			json_object_set_new(doc, "counter_rates_per_s", n > 1 ? rt : json_null());
			if (n == 1)
				json_decref(rt);
			if (output_json_dump_line(stdout, doc)) {
				json_decref(doc);
				sockets_free(&agg);
				break;	/* the reader went away */
			}
			json_decref(doc);
		}
		sockets_free(&agg);
		for (i = 0; i < r->ncounter && i < 16; i++) {
			prev_ctr[i] = r->counter[i].value.v;
			prev_ok[i] = r->counter[i].value.ok;
		}
		prev_t = t;
		if (watch_count && n >= watch_count)
			break;
		if (!watch_stop)
			sm_sleep(watch_interval_s, &watch_stop);	/* a signal ends the sleep and the loop */
	}
	if (tty)
		fputs("\033[?25h\033[?1049l", stdout);	/* restore the terminal */
	fflush(stdout);
out:
	free(h);
	free(r);
	free(t_hist);
	free(u_hist);
	return ret;
}
