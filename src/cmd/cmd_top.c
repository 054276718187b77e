/* cmd_top.c - "sockmem top": the largest holders of charged socket memory,
 * by socket, process, cgroup, port or state, with the evidence for each.
 * With --interval (-d): refreshed.  On a terminal the live view (the report
 * report_live.c builds, the screen output_tui.c draws, keys read here);
 * otherwise, or with --json, one report per sample (text, or one JSON
 * document per line).  A snapshot (--root) is one static frame. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "output.h"
#include "procscan.h"
#include "report_live.h"
#ifdef HAVE_NCURSES
#include "output_tui.h"
#endif

#define TOP_HISTORY 120		/* samples kept for the growth rate */
#define TOP_KEY_POLL_MS 250	/* the longest wait for a key: signals are seen this often */

static int top_n = 10;
static bool top_n_given;
static enum sockets_by top_by = BY_SOCKET;
static volatile sig_atomic_t top_stop;

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;
	int i;

	switch (key) {
	case 'n':
		if (util_parse_u64(arg, strlen(arg), &v) || v < 1 || v > 100000)
			argp_error(state, "-n: '%s' is not a number from 1 to 100000", arg);
		top_n = (int)v;
		top_n_given = true;
		break;
	case 'B':
		for (i = 0; i < BY_COUNT; i++)
			if (!strcmp(arg, sockets_by_name[i]))
				break;
		if (i == BY_COUNT)
			argp_error(state, "--by: '%s' is not socket, process, cgroup, port, peer-port "
				   "or state", arg);
		top_by = (enum sockets_by)i;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		/* ports: watch's file has them (a second file with the same series
		 * would make node_exporter refuse both) */
		if (sm_common.format == OUTPUT_PROMETHEUS && top_by != BY_PROCESS && top_by != BY_CGROUP)
			argp_error(state, "--format prometheus: --by process or cgroup (bounded labels; "
				   "watch's exposition has the ports)");
		if (sm_common.output && sm_common.format != OUTPUT_PROMETHEUS)
			argp_error(state, "--output goes with --format prometheus");
		/* ss -p text names the processes (users:), a capture's ss too */
		if (top_by == BY_PROCESS && (sm_common.root || sm_common.diag_file) &&
		    !collect_from_text(sm_common.diag_file, sm_common.root))
			argp_error(state, "--by %s needs the live system or ss -p text (processes are "
				   "not in a snapshot or a recorded dump)", sockets_by_name[top_by]);
		if (top_by == BY_CGROUP && (sm_common.root || sm_common.diag_file))
			argp_error(state, "--by %s needs the live system (cgroups are not in a snapshot, "
				   "a recorded dump or ss text)", sockets_by_name[top_by]);
		/* one exposition per run, from a timer (sockmem-findings.timer) */
		if (sm_common.format == OUTPUT_PROMETHEUS && sm_common.interval_s)
			argp_error(state, "--format prometheus writes one exposition: run it from a "
				   "timer, not with --interval");
		if (sm_common.count && !sm_common.interval_s)
			argp_error(state, "--count is the number of samples and needs --interval (the "
				   "number of rows is -n/--number)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option top_options[] = {
	{ "number", 'n', "N", 0, "Show the N largest (default 10; in the live view: as many as "
	  "the screen holds)", 0 },
	{ "by", 'B', "KEY", 0, "Group by socket (default), process, cgroup, port (local), peer-port "
	  "(remote) or state", 0 },
	{ 0 }
};

const struct argp cmd_top_argp = {
	top_options, top_parse, NULL,
	"The largest holders of charged socket memory (TCP rmem_alloc + wmem_queued + fwd_alloc, "
	"UDP rmem_alloc + fwd_alloc: what counts against tcp_mem and udp_mem), from one sock_diag "
	"pass, with the evidence for each: queue against buffer sizes, drops, backlog.  Flags: "
	"'slow-reader' (receive queue at 90% of rcvbuf or more, drops or backlog), 'sndbuf-small' "
	"(send buffer below tcp_wmem default: shrunk under memory pressure, or SO_SNDBUF).\v"
	"With --interval (-d) on a terminal: a live view redrawn every SECONDS, with a bar per "
	"protocol against min, pressure and max, the growth and the next threshold, and each "
	"holder's change since the last refresh; keys s/p/c/o group, t/u protocol, </> sort, "
	"space pause, +/- interval, ? help, q quit.  Not on a terminal, or with --json: one "
	"report per sample (JSON: one document per line), --count times or until interrupted.  "
	"A snapshot (--root) is one static frame.\n"
	"--by process reads /proc/PID/fd of every process (root sees all; others only their own: "
	"the rest is counted as not attributed).  --by cgroup maps INET_DIAG_CGROUP_ID to the cgroup "
	"v2 path and shows the memory controller's own socket figure beside the sum, and the "
	"Kubernetes pod and container the path names.  --format prometheus [--output FILE] (by "
	"process or cgroup): the rows as series for node_exporter's textfile collector.",
	sm_children_top, NULL, NULL
};

/* ---- one per-socket pass */

struct top_pass {
	struct host *h;
	struct keymap inode_pid;
	struct procscan_stats ps;
	int reported;			/* the host's problems named on stderr so far */
	struct collect_out co;
	struct sockets agg;
	bool have;			/* agg and co hold a pass */
	double seconds;			/* how long /proc and sock_diag took */
	char what[PATH_MAX + 64];	/* when the pass failed: the message */
	char why[256];
};

static double top_now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void top_pass_clear(struct top_pass *p)
{
	if (p->have) {
		sockets_free(&p->agg);
		collect_free(&p->co);
	}
	p->have = false;
	if (p->inode_pid.keys)
		keymap_free(&p->inode_pid);
	memset(&p->inode_pid, 0, sizeof(p->inode_pid));
}

static int top_pass_fail(struct top_pass *p, const char *what, const char *why, int rc)
{
	snprintf(p->what, sizeof(p->what), "%s", what);
	snprintf(p->why, sizeof(p->why), "%s", why);
	return rc;
}

/* Reads the host and dumps the sockets (grouped by, the topn largest kept,
 * holders of protocol proto or every one).  Returns 0, or -errno with
 * p->what and p->why saying why nothing could be dumped. */
static int top_pass_run(struct top_pass *p, enum sockets_by by, int topn, int proto)
{
	struct collect_req q = { sm_common.diag_file, sm_common.all_netns, by, topn, NULL, false,
				 false };
	double t0;
	int rc = 0;

	top_pass_clear(p);
	p->what[0] = p->why[0] = '\0';
	/* what could not be read, here and in the walks, is in h's problems */
	host_collect(p->h, sm_common.root, sm_common.page_size);
	p->reported = 0;
	memset(&p->ps, 0, sizeof(p->ps));
	t0 = top_now_s();
	/* the processes of ss text are its users:(...), not this machine's */
	if (by == BY_PROCESS && !collect_from_text(sm_common.diag_file, sm_common.root)) {
		if (keymap_init(&p->inode_pid, sizeof(uint32_t)) ||
		    procscan_socket_inodes(p->h, &p->inode_pid, &p->ps, true) == -ENOMEM)
			return top_pass_fail(p, "/proc", "out of memory", -ENOMEM);
		q.inode_pid = &p->inode_pid;
	}
	rc = collect_sockets_of(p->h, &q, proto, &p->agg, &p->co);
	p->have = true;
	p->seconds = top_now_s() - t0;
	if (rc)
		return top_pass_fail(p, p->co.failed ? p->co.failed
				     : sm_common.diag_file ? sm_common.diag_file : "sockets",
				     strerror(-rc), rc);
	if (!p->co.present)
		return top_pass_fail(p, p->h->root[0] ? p->h->root : "sockets",
				     p->co.absent_reason ? p->co.absent_reason : "no per-socket view",
				     -ENODATA);
	return 0;
}

/* By socket, on the live system: the process holding each row (the lowest
 * PID, and how many others hold it), from one walk of /proc/PID/fd for the
 * rows' inodes only; a row whose holder could not be read stays 0 ("-").
 * Not for a snapshot or a recorded dump, whose inodes are another
 * machine's. */
static void top_socket_holders(struct host *h, struct report_top *t)
{
	struct procscan_stats ps;
	struct keymap want;
	int i;

	if (t->by != BY_SOCKET || t->n <= 0 || sm_common.root || sm_common.diag_file ||
	    keymap_init(&want, sizeof(uint32_t)))
		return;
	for (i = 0; i < t->n; i++)
		if (t->row[i].e.s.inode && !keymap_get(&want, t->row[i].e.s.inode))
			goto out;
	if (procscan_socket_inodes_of(h, &want, &ps))
		goto out;
	for (i = 0; i < t->n; i++) {
		struct top_row *w = &t->row[i];
		const uint32_t *pid = w->e.s.inode ? keymap_find(&want, w->e.s.inode) : NULL;

		w->pid = pid ? *pid : 0;
		w->shared_others = procscan_shared_others(&want, w->e.s.inode);
	}
out:
	keymap_free(&want);
}

/* What a pass has to say on stderr, as top always said it: the inputs and
 * what the walks of /proc could not read, the dump's problems, then why it
 * failed. */
static void top_pass_messages(struct top_pass *p, int rc)
{
	int i;

	p->reported = sm_report_problems(p->h, 0);
	for (i = 0; p->have && i < p->co.st.nproblems; i++)
		sm_error("sockets", "%s", p->co.st.problem[i]);
	if (rc)
		sm_error(p->what, "%s", p->why);
}

static void top_on_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

static void top_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = top_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is EPIPE on write: stop cleanly */
}

/* ---- top once, and report after report */

/* One report of the pass in p; returns its exit status.  line: JSON on one
 * line; report_problems: name on stderr what the names' walk adds. */
static int top_render_once(struct top_pass *p, bool line, bool report_problems)
{
	struct output_opts oo = { sm_use_color(), sm_common.exact_bytes };
	struct report_top t = { 0 };
	int ret;

	if (report_top_build(&t, &p->agg, top_n, p->co.source, p->co.st.partial || p->h->partial,
			     p->ps.processes, p->ps.denied)) {
		sm_error("top", "out of memory");
		return SM_EXIT_ERROR;
	}
	top_socket_holders(p->h, &t);
	collect_top_names(p->h, &t, &p->co);
	if (report_problems)	/* what the cgroup walk could not read */
		p->reported = sm_report_problems(p->h, p->reported);
	report_top_pods(&t);
	t.h = p->h;
	t.st = &p->co.st;
	t.partial |= p->h->partial;	/* the names' walk could not read everything */
	ret = t.partial ? SM_EXIT_PARTIAL : SM_EXIT_OK;
	/* render */
	if (sm_common.format == OUTPUT_PROMETHEUS) {
		struct sm_out o;
		FILE *out = sm_out_open(&o, sm_common.output);

		if (!out)
			ret = SM_EXIT_ERROR;
		else
			output_prom_top(out, &t);
		if (out && sm_out_close(&o, false))
			ret = SM_EXIT_ERROR;
	} else if (sm_common.json) {
		json_t *doc = output_json_top(&t);

		if (line) {
			int rc = doc ? output_json_dump_line(stdout, doc) : -ENOMEM;

			json_decref(doc);
			if (rc == -ENOMEM) {
				sm_error("json", "could not build the document (out of memory)");
				ret = SM_EXIT_ERROR;
			}
		} else if (cli_print_json(stdout, doc)) {
			ret = SM_EXIT_ERROR;
		}
	} else {
		output_text_top(stdout, &t, &oo);
	}
	report_top_free(&t);
	return ret;
}

/* Without --interval: one report.  With it, off a terminal: one per sample,
 * until --count, a signal or a closed pipe; a snapshot gives one. */
static int top_reports(bool sampled)
{
	struct top_pass p = { 0 };
	uint64_t n = 0;
	int ret = SM_EXIT_OK, rc;

	if (sm_check_root(sm_common.root))
		return SM_EXIT_ERROR;
	p.h = malloc(sizeof(*p.h));
	if (!p.h) {
		sm_error("top", "out of memory");
		return SM_EXIT_ERROR;
	}
	if (sampled)
		top_signals();
	while (!top_stop) {
		rc = top_pass_run(&p, top_by, top_n, LIVE_PROTO_ALL);
		if (!n || rc)
			top_pass_messages(&p, rc);	/* the problems once, a failure always */
		if (rc) {
			ret = SM_EXIT_ERROR;
			break;
		}
		if (n && !sm_common.json)
			fputc('\n', stdout);
		ret = top_render_once(&p, sampled, !n);
		n++;
		if (ret == SM_EXIT_ERROR || fflush(stdout) || ferror(stdout))
			break;	/* main() names a write error; a closed pipe ends quietly */
		if (!sampled || sm_common.root || (sm_common.count && n >= sm_common.count))
			break;
		sm_sleep(sm_common.interval_s, &top_stop);
	}
	top_pass_clear(&p);
	host_free(p.h);
	free(p.h);
	return ret;
}

/* ---- the live view */
#ifdef HAVE_NCURSES

/* The last error while the screen is up, printed once it is restored. */
static char top_deferred[PATH_MAX + 512];

static void top_defer(const char *what, const char *why)
{
	snprintf(top_deferred, sizeof(top_deferred), "sockmem: %s: %s\n", what, why);
}

/* The headers the view shows: TCP and UDP, the others on request. */
static int top_live_headers(const struct report *r, bool all)
{
	int i, n = 0;

	for (i = 0; i < r->nproto; i++)
		n += r->proto[i].def->always || all;
	return n;
}

struct top_live {
	struct top_pass p;
	struct report *r;
	struct report_history hist;
	struct live_state st;
	struct report_top pool;		/* the last pass's holders */
	bool have_pool;
	int pool_proto;
	double pool_t_s;
	struct report_live lv;
	bool have_lv;
	/* what the keys choose */
	enum sockets_by by;
	int proto;
	enum live_sort sort;
	bool all_protocols, paused, help;
	double interval_s;
	/* the passes */
	uint64_t frames;
	double t0_s, last_pass_at_s;
	struct timespec wall;
	char message[160];
	char problem[PATH_MAX + 160];	/* the first input the last pass could not read */
};

/* The status line's problem: an input that could not be read (what top
 * once says on stderr), else the dump's first; NULL: none. */
static const char *top_live_problem(struct top_live *L)
{
	const struct host_problem *hp;

	host_foreach_problem(hp, L->p.h) {
		if (hp->line)
			snprintf(L->problem, sizeof(L->problem), "%s: line %d: %s", hp->path_safe,
				 hp->line, hp->msg);
		else
			snprintf(L->problem, sizeof(L->problem), "%s: %s", hp->path_safe, hp->msg);
		return L->problem;
	}
	return L->p.have && L->p.co.st.nproblems ? L->p.co.st.problem[0] : NULL;
}

/* A new pass: the previous one's holders become the state to compare with. */
static int top_live_pass(struct top_live *L)
{
	int rc;
	double t;

	if (L->have_pool) {
		if (report_live_advance(&L->st, &L->pool, L->pool_proto, L->pool_t_s)) {
			top_defer("top", "out of memory");
			return -ENOMEM;
		}
		report_top_free(&L->pool);
		L->have_pool = false;
	}
	L->last_pass_at_s = top_now_s();
	t = L->last_pass_at_s - L->t0_s;
	clock_gettime(CLOCK_REALTIME, &L->wall);
	rc = top_pass_run(&L->p, L->by, LIVE_POOL, L->proto);
	if (rc && rc != -ENODATA) {
		top_defer(L->p.what, L->p.why);
		return rc;
	}
	/* report */
	report_build(L->r, L->p.h);
	collect_to_report(L->r, &L->p.agg, &L->p.co);
	report_history_add(&L->hist, L->r, t);
	report_history_trend(&L->hist, L->r);
	report_live_window_add(&L->st, L->r, t);
	memset(&L->pool, 0, sizeof(L->pool));
	L->pool.by = L->by;
	if (L->p.co.present &&
	    report_top_build(&L->pool, &L->p.agg, LIVE_POOL, L->p.co.source,
			     L->p.co.st.partial || L->p.h->partial, L->p.ps.processes,
			     L->p.ps.denied)) {
		top_defer("top", "out of memory");
		return -ENOMEM;
	}
	L->have_pool = true;
	L->pool_proto = L->proto;
	L->pool_t_s = t;
	L->frames++;
	return 0;
}

static int top_live_build(struct top_live *L)
{
	struct report_live_opts o;
	int rows = output_tui_table_rows(top_live_headers(L->r, L->all_protocols));

	if (top_n_given && top_n < rows)
		rows = top_n;
	memset(&o, 0, sizeof(o));
	o.sort = L->sort;
	o.rows = rows;
	o.proto = L->proto;
	o.all_protocols = L->all_protocols;
	o.frame = L->frames;
	o.interval_s = L->interval_s;
	o.t_s = L->pool_t_s;
	o.pass_ok = L->p.have;
	o.pass_s = L->p.seconds;
	o.paused = L->paused;
	o.static_input = sm_common.root != NULL;
	o.wall = &L->wall;
	if (L->have_lv)
		report_live_free(&L->lv);
	L->have_lv = false;
	if (report_live_build(&L->lv, L->r, &L->pool, &L->st, &o)) {
		top_defer("top", "out of memory");
		return -ENOMEM;
	}
	L->have_lv = true;
	/* its walk's problems: the host's; ss text names its own processes */
	collect_top_names(L->p.h, &L->lv.top, L->p.have ? &L->p.co : NULL);
	report_top_pods(&L->lv.top);
	return 0;
}

/* What a key does; returns 1 when the view must be built again, 2 for a
 * new pass, -1 to quit, 0 for nothing. */
static int top_live_key(struct top_live *L, int key)
{
	static const struct { int key; enum sockets_by by; } group_keys[] = {
		{ 's', BY_SOCKET }, { 'p', BY_PROCESS }, { 'c', BY_CGROUP }, { 'o', BY_PORT },
	};
	size_t i;

	if (key == 'q' || key == 'Q')
		return -1;
	L->message[0] = '\0';
	if (L->help) {
		L->help = false;	/* any key closes the help */
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(group_keys); i++)
		if (key == group_keys[i].key) {
			enum sockets_by by = group_keys[i].by;

			if ((by == BY_CGROUP || (by == BY_PROCESS &&
						 !collect_from_text(sm_common.diag_file, sm_common.root))) &&
			    (sm_common.root || sm_common.diag_file)) {
				snprintf(L->message, sizeof(L->message), "by %s needs the live system%s",
					 sockets_by_name[by], by == BY_PROCESS ? " or ss -p text" : "");
				return 1;
			}
			if (by == L->by)
				return 0;
			L->by = by;
			if (!report_live_sort_valid(by, L->sort))
				L->sort = LIVE_SORT_CHARGED;
			return 2;
		}
	switch (key) {
	case 't':
	case 'u': {
		int p = key == 't' ? DP_TCP : DP_UDP;

		L->proto = L->proto == p ? LIVE_PROTO_ALL : p;
		return 2;
	}
	case 'a':
		L->all_protocols = !L->all_protocols;
		return 1;
	case '<':
	case ',':
		L->sort = report_live_sort_step(L->by, L->sort, -1);
		return 1;
	case '>':
	case '.':
		L->sort = report_live_sort_step(L->by, L->sort, 1);
		return 1;
	case ' ':
		L->paused = !L->paused;
		return L->paused || sm_common.root ? 1 : 2;	/* going on: refresh now */
	case '+':
	case '=':
		L->interval_s = report_live_interval_step(L->interval_s, 1);
		return 1;
	case '-':
	case '_':
		L->interval_s = report_live_interval_step(L->interval_s, -1);
		return 1;
	case '?':
	case 'h':
		L->help = true;
		return 1;
	case TUI_KEY_RESIZE:
		return 1;
	case 12:	/* Ctrl-L */
		return 1;
	default:
		snprintf(L->message, sizeof(L->message), "no such key: ? for help");
		return 1;
	}
}

static void top_live_free(struct top_live *L)
{
	if (L->have_lv)
		report_live_free(&L->lv);
	if (L->have_pool)
		report_top_free(&L->pool);
	report_live_state_free(&L->st);
	report_history_free(&L->hist);
	top_pass_clear(&L->p);
	if (L->p.h)
		host_free(L->p.h);
	free(L->p.h);
	free(L->r);
}

static int top_live(void)
{
	static bool registered;
	struct top_live L;
	struct tui_view v;
	bool is_static = sm_common.root != NULL, draw = true;
	int ret = SM_EXIT_OK, act = 2, partial = 0;

	memset(&L, 0, sizeof(L));
	memset(&v, 0, sizeof(v));
	L.by = top_by;
	L.proto = LIVE_PROTO_ALL;
	L.sort = LIVE_SORT_CHARGED;
	L.interval_s = sm_common.interval_s;
	L.p.h = malloc(sizeof(*L.p.h));
	L.r = malloc(sizeof(*L.r));
	if (!L.p.h || !L.r || report_history_init(&L.hist, TOP_HISTORY) ||
	    report_live_state_init(&L.st, LIVE_WINDOW)) {
		sm_error("top", "out of memory");
		top_live_free(&L);
		return SM_EXIT_ERROR;
	}
	v.exact_bytes = sm_common.exact_bytes;
	/* ours before ncurses starts, so that it leaves them to us */
	top_signals();
	if (!registered && !atexit(output_tui_close))
		registered = true;
	if (output_tui_open(sm_use_color())) {
		const char *term = getenv("TERM");

		if (output_tui_why())
			sm_error("top", "%s: one report per sample instead", output_tui_why());
		else
			sm_error("top", "cannot drive this terminal (TERM=%s): one report per sample "
				 "instead", term ? term : "");
		top_live_free(&L);
		return top_reports(true);
	}
	L.t0_s = top_now_s();
	top_deferred[0] = '\0';
	while (!top_stop) {
		int key, wait_ms;
		double now;

		if (act == 2) {
			if (top_live_pass(&L)) {
				ret = SM_EXIT_ERROR;
				break;
			}
		}
		if (act) {
			if (top_live_build(&L)) {
				ret = SM_EXIT_ERROR;
				break;
			}
			/* as top once: the dump, the attribution, the inputs and walks */
			partial = L.pool.partial || L.p.h->partial;
			draw = true;
		}
		if (draw) {
			v.help = L.help;
			v.table_absent = L.p.co.present ? NULL : L.p.why;
			v.message = L.message[0] ? L.message : top_live_problem(&L);
			output_tui_draw(&L.lv, &v);
			draw = false;
		}
		if (act == 2 && sm_common.count && L.frames >= sm_common.count)
			break;
		act = 0;
		/* a key, or the next refresh */
		now = top_now_s();
		wait_ms = TOP_KEY_POLL_MS;
		if (!L.paused && !is_static) {
			double left_ms = (L.last_pass_at_s + L.interval_s - now) * 1e3;

			if (left_ms <= 0) {
				act = 2;
				continue;
			}
			if (left_ms < wait_ms)
				wait_ms = (int)left_ms + 1;
		}
		key = output_tui_key(wait_ms);
		if (key == TUI_KEY_NONE)
			continue;
		act = top_live_key(&L, key);
		if (act < 0)
			break;
	}
	output_tui_close();
	if (top_deferred[0])
		fputs(top_deferred, stderr);
	top_live_free(&L);
	if (ret == SM_EXIT_OK && partial)
		ret = SM_EXIT_PARTIAL;
	return ret;
}
#endif

int cmd_top_run(void)
{
	if (!sm_common.interval_s)
		return top_reports(false);
#ifdef HAVE_NCURSES
	if (!sm_common.json && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO)) {
		if (sm_check_root(sm_common.root))
			return SM_EXIT_ERROR;
		return top_live();
	}
#endif
	return top_reports(true);
}
