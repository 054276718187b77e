/* collect_trace.c - names trace's sockets from /proc and the cgroup v2 tree
 * while they live (collect_trace.h), reads the counters and TCP's pressure
 * flag: one /proc/PID/fd scan for a socket not
 * seen yet, then not again before twenty times the last scan's cost has
 * passed (a twentieth of the time at most), the sockets waiting meanwhile;
 * one cgroup tree walk per cgroup id.  And runs the traced window, the one
 * loop of every command that traces: tracer.c's programs (else tpcount.c's
 * counting) attached paused, the counters read, the window opened, the ring
 * polled until the caller's until(), the duration or the count ends it, each
 * event named and handed to the caller, the window closed and its maps read. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "collect_trace.h"
#include "host.h"
#include "procscan.h"
#include "protocols.h"
#include "sysinfo.h"

/* At least this long between two scans, whatever they cost. */
#define COLLECT_TRACE_MIN_GAP_S 0.2
/* A scan may take this share of the time at most. */
#define COLLECT_TRACE_COST_SHARE 20.0
/* A socket no scan found this often has gone (or is not a process's). */
#define COLLECT_TRACE_MAX_MISSES 3
/* How long one wait for events lasts: the window's reaction time to its
 * end (the request's until(), its duration, its count in summary mode). */
#define COLLECT_TRACE_TICK_MS 100

static int collect_trace_counter_file(const char *rel, char **text, struct netstat *out)
{
	struct parse_err err;
	size_t len = 0;
	int rc = host_read_file(NULL, rel, text, &len);

	if (rc)
		return rc;
	return netstat_parse(*text, len, out, &err);
}

void collect_trace_counters(struct trace_counters *out)
{
	memset(out, 0, sizeof(*out));
	out->snmp_rc = collect_trace_counter_file("proc/net/snmp", &out->snmp_text, &out->snmp);
	out->netstat_rc = collect_trace_counter_file("proc/net/netstat", &out->netstat_text,
						     &out->netstat);
}

void collect_trace_counters_free(struct trace_counters *c)
{
	free(c->snmp_text);
	free(c->netstat_text);
	memset(c, 0, sizeof(*c));
}

int collect_trace_press_flag(void)
{
	struct protocols p;
	struct parse_err err;
	const struct protocols_row *r;
	char *text = NULL;
	size_t len = 0;
	int rc = host_read_file(NULL, "proc/net/protocols", &text, &len);

	if (rc)
		return rc;
	rc = protocols_parse(text, len, &p, &err);
	if (!rc) {
		r = protocols_find(&p, "TCP");
		rc = !r || (r->press != PRESS_YES && r->press != PRESS_NO) ? -ENOENT
		     : r->press == PRESS_YES;
		protocols_free(&p);
	}
	free(text);
	return rc;
}

int collect_trace_init(struct collect_trace *c, struct host *h)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
	if (keymap_init(&c->inode_pid, sizeof(uint32_t)) || keymap_init(&c->index, sizeof(size_t)) ||
	    keymap_init(&c->cgroups, sizeof(size_t)) || keymap_init(&c->memcgs, sizeof(size_t))) {
		collect_trace_free(c);
		return -ENOMEM;
	}
	return 0;
}

void collect_trace_free(struct collect_trace *c)
{
	size_t i;

	if (c->inode_pid.keys)
		keymap_free(&c->inode_pid);
	if (c->index.keys)
		keymap_free(&c->index);
	if (c->cgroups.keys)
		keymap_free(&c->cgroups);
	if (c->memcgs.keys)
		keymap_free(&c->memcgs);
	free(c->memcg);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c->cgroup_path);
	free(c->pending);
	memset(c, 0, sizeof(*c));
}

static double collect_trace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A fresh inode -> PID map of every process. */
static int collect_trace_scan(struct collect_trace *c)
{
	struct procscan_stats st;
	double t0 = collect_trace_now();
	int rc;

	keymap_free(&c->inode_pid);
	if (keymap_init(&c->inode_pid, sizeof(uint32_t)))
		return -ENOMEM;
	/* another user's process is counted (the level says it), not named */
	rc = procscan_socket_inodes(c->h, &c->inode_pid, &st, false);
	c->scans++;
	c->last_scan_s = collect_trace_now();
	c->scan_cost_s = c->last_scan_s - t0;
	if (st.denied)
		c->partial = true;
	c->last_rc = rc;
	return rc;
}

static bool collect_trace_due(const struct collect_trace *c, double now_s)
{
	double gap = c->scan_cost_s * COLLECT_TRACE_COST_SHARE;

	if (gap < COLLECT_TRACE_MIN_GAP_S)
		gap = COLLECT_TRACE_MIN_GAP_S;
	return !c->scans || now_s - c->last_scan_s >= gap;
}

/* The process of names[i] from the last scan; true when found. */
static bool collect_trace_pid(struct collect_trace *c, struct trace_names *n, uint32_t inode)
{
	const uint32_t *pid = inode ? keymap_find(&c->inode_pid, inode) : NULL;

	if (!pid)
		return false;
	n->pid_found = true;
	n->pid = *pid;
	procscan_comm(n->pid, n->comm, sizeof(n->comm));
	return true;
}

static void collect_trace_cgroup(struct collect_trace *c, struct trace_names *n, uint64_t id)
{
	size_t *slot = keymap_find(&c->cgroups, id);
	struct cgroup_info *ci;

	if (!slot) {
		if (c->ncgroups == c->cgcap) {
			size_t cap = c->cgcap ? 2 * c->cgcap : 16;
			char (*grown)[PATH_MAX] = realloc(c->cgroup_path, cap * sizeof(*grown));

			if (!grown)
				return;
			c->cgroup_path = grown;
			c->cgcap = cap;
		}
		slot = keymap_get(&c->cgroups, id);
		ci = malloc(sizeof(*ci));
		if (!slot || !ci) {
			free(ci);
			return;
		}
		c->cgroup_path[c->ncgroups][0] = '\0';
		procscan_cgroups(c->h, &id, &ci, 1);
		if (ci->found)
			snprintf(c->cgroup_path[c->ncgroups], PATH_MAX, "%s", ci->path);
		free(ci);
		*slot = ++c->ncgroups;
	}
	if (c->cgroup_path[*slot - 1][0]) {
		n->cgroup_found = true;
		snprintf(n->cgroup, sizeof(n->cgroup), "%s", c->cgroup_path[*slot - 1]);
	}
}

static int collect_trace_pend(struct collect_trace *c, size_t i)
{
	if (c->npending == c->pcap) {
		size_t cap = c->pcap ? 2 * c->pcap : 16;
		struct collect_trace_pending *grown = realloc(c->pending, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		c->pending = grown;
		c->pcap = cap;
	}
	c->pending[c->npending].i = i;
	c->pending[c->npending++].misses = 1;
	return 0;
}

const struct trace_names *collect_trace_names(struct collect_trace *c, uint32_t inode,
					      uint64_t cgroup_id, double now_s)
{
	/* a socket by its inode; one without (closed, kernel) by its cgroup */
	uint64_t key = inode ? inode : (1ull << 63) | cgroup_id;
	size_t *slot = keymap_find(&c->index, key);
	struct trace_names *n;

	if (slot)
		return c->names[*slot - 1];
	if (c->nnames == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct trace_names **grown = realloc(c->names, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		c->names = grown;
		c->cap = cap;
	}
	n = calloc(1, sizeof(*n));
	slot = n ? keymap_get(&c->index, key) : NULL;
	if (!slot) {
		free(n);
		return NULL;
	}
	c->names[c->nnames] = n;
	*slot = ++c->nnames;
	n->inode = inode;
	snprintf(n->comm, sizeof(n->comm), "?");
	if (cgroup_id)
		collect_trace_cgroup(c, n, cgroup_id);
	if (!inode || collect_trace_pid(c, n, inode))
		return n;
	/* not in the last scan: a new socket, scanned for now or soon */
	if (collect_trace_due(c, now_s) && !collect_trace_scan(c) && collect_trace_pid(c, n, inode))
		return n;
	if (collect_trace_pend(c, c->nnames - 1))
		return NULL;
	return n;
}

/* The memory cgroup of a socket's names, looked up once per memcg. */
static void collect_trace_memcg(struct collect_trace *c, struct trace_names *n, uint64_t id)
{
	size_t *slot = keymap_find(&c->memcgs, id);
	struct collect_trace_memcg *m;

	if (!slot) {
		struct cgroup_info *ci;

		if (c->nmemcgs == c->mcap) {
			size_t cap = c->mcap ? 2 * c->mcap : 8;
			struct collect_trace_memcg *grown = realloc(c->memcg, cap * sizeof(*grown));

			if (!grown)
				return;
			c->memcg = grown;
			c->mcap = cap;
		}
		slot = keymap_get(&c->memcgs, id);
		ci = malloc(sizeof(*ci));
		if (!slot || !ci) {
			free(ci);
			return;
		}
		m = &c->memcg[c->nmemcgs];
		memset(m, 0, sizeof(*m));
		procscan_memcg_path(c->h, id, ci, &m->v1);
		if ((m->found = ci->found))
			snprintf(m->path, sizeof(m->path), "%s", ci->path);
		free(ci);
		*slot = ++c->nmemcgs;
	}
	m = &c->memcg[*slot - 1];
	n->memcg_id = id;
	n->memcg_found = m->found;
	n->memcg_v1 = m->v1;
	if (m->found)
		snprintf(n->memcg, sizeof(n->memcg), "%s", m->path);
}

const struct trace_names *collect_trace_event_names(struct collect_trace *c,
						    const struct memtrace_event *e, double now_s)
{
	const struct trace_names *cn = collect_trace_names(c, e->inode, e->cgroup_id, now_s);
	/* the entry is collect_trace's own: names[] holds it */
	struct trace_names *n = (struct trace_names *)(uintptr_t)cn;

	if (n && e->memcg_cgroup_id && n->memcg_id != e->memcg_cgroup_id)
		collect_trace_memcg(c, n, e->memcg_cgroup_id);
	return cn;
}

/* Each entry's first event, while its socket lives: its names. */
static void collect_trace_on_event(const struct memtrace_event *e, void *arg)
{
	struct collect_trace_window *cw = arg;
	const struct trace_names *nm;

	/* the names (line mode: of every event), then the request's callback */
	nm = collect_trace_event_names(&cw->names, e, collect_trace_now());
	if (!nm)
		cw->oom = true;
	if (cw->req.on_event)
		cw->req.on_event(e, nm, cw->req.arg);
}

int collect_trace_tick(struct collect_trace *c, double now_s, bool force)
{
	size_t i, kept = 0;
	int rc;

	if (!c->npending || (!force && !collect_trace_due(c, now_s)))
		return 0;
	rc = collect_trace_scan(c);
	if (rc)
		return rc;
	for (i = 0; i < c->npending; i++) {
		struct trace_names *n = c->names[c->pending[i].i];

		if (collect_trace_pid(c, n, n->inode) || ++c->pending[i].misses > COLLECT_TRACE_MAX_MISSES)
			continue;
		c->pending[kept++] = c->pending[i];
	}
	c->npending = kept;
	return 0;
}

/* ---- the traced window: trace's own, advise --trace's, watch --events' ---- */

static uint64_t collect_trace_total(const struct memtrace_counts *c)
{
	uint64_t total = 0;
	int k;

	for (k = 0; k < MEMTRACE_NEVENTS; k++)
		total += c->events[k];
	return total;
}

int collect_trace_window_init(struct collect_trace_window *cw, struct host *h)
{
	memset(cw, 0, sizeof(*cw));
	return collect_trace_init(&cw->names, h);
}

/* The programs attached (paused), else counted through perf_event_open
 * when the request allows it, else nothing: cw->why says why. */
static int collect_trace_attach(struct collect_trace_window *cw)
{
	const struct collect_trace_req *q = &cw->req;
	struct tracer_opts to = { 0 };
	const char *cwhy;
	int rc;

	to.netns_ino = q->netns_ino;
	to.protocol = q->protocol;
	to.every_event = q->every_event;
	to.possible_cpus = q->possible_cpus;
	if (!q->skip_bpf_why) {
		rc = tracer_open(&to, &cw->info, &cw->why);
		cw->bpf = !rc;
		if (!cw->bpf && q->bpf_required)
			return rc;
	} else {
		cw->why = q->skip_bpf_why;
	}
	if (!cw->bpf && q->perf_fallback) {
		cw->counted = !tpcount_open(q->protocol_name, &cw->cinfo, &cwhy);
		if (!cw->counted) {
			snprintf(cw->nobpf_why, sizeof(cw->nobpf_why), "%s; %s", cw->why, cwhy);
			cw->why = cw->nobpf_why;
		}
	}
	return 0;
}

/* The window's clock and start, then the programs unpaused. */
static void collect_trace_start(struct collect_trace_window *cw)
{
	struct timespec rt;

	clock_gettime(CLOCK_REALTIME, &rt);
	cw->clock.realtime_minus_monotonic_s = (double)rt.tv_sec + (double)rt.tv_nsec / 1e9 -
					       collect_trace_now();
	cw->start_mono_s = collect_trace_now();
	tracer_pause(false);
	if (cw->counted)
		tpcount_enable(true);
	/* events arriving meanwhile are the kernel's but maybe not the
	 * programs': its count of the window lies between the inner and the
	 * outer readings of the counters */
	collect_trace_counters(&cw->opened);
}

int collect_trace_window_open(struct collect_trace_window *cw, const struct collect_trace_req *q)
{
	int rc;

	cw->req = *q;
	rc = collect_trace_attach(cw);
	if (rc)
		return rc;
	/* the window: counters read while the programs are attached but paused */
	collect_trace_counters(&cw->before);
	collect_trace_start(cw);
	/* the pressure programs could not attach: TCP's flag polled instead */
	report_trace_press_init(&cw->press);
	cw->press_polled = q->press_poll && cw->bpf && !cw->info.press;
	if (cw->press_polled) {
		struct memtrace_event pev;

		report_trace_press_step(&cw->press, collect_trace_press_flag(),
					(uint64_t)(cw->start_mono_s * 1e9), &pev);
	}
	return 0;
}

/* Why the window ends now, or NULL. */
static const char *collect_trace_end(struct collect_trace_window *cw, double now)
{
	const struct collect_trace_req *q = &cw->req;
	const char *end = q->until ? q->until(q->arg) : NULL;

	if (end)
		return end;
	if (q->duration_s > 0 && now - cw->start_mono_s >= q->duration_s)
		return "duration";
	return NULL;
}

void collect_trace_window_run(struct collect_trace_window *cw)
{
	const struct collect_trace_req *q = &cw->req;
	double last_press_s = 0;

	while (!cw->end_reason) {
		double now = collect_trace_now(), left_ms = COLLECT_TRACE_TICK_MS;
		long n;

		cw->end_reason = collect_trace_end(cw, now);
		if (cw->end_reason)
			break;
		if (q->duration_s > 0 && (q->duration_s - (now - cw->start_mono_s)) * 1000 < left_ms)
			left_ms = (q->duration_s - (now - cw->start_mono_s)) * 1000;
		if (!cw->bpf) {
			poll(NULL, 0, (int)left_ms + 1);
			if (cw->counted && q->count && !tpcount_read(&cw->counts) &&
			    collect_trace_total(&cw->counts) >= q->count)
				cw->end_reason = "count";
			continue;
		}
		if (cw->press_polled && now - last_press_s >= TRACE_PRESS_POLL_MS / 1000.0) {
			struct memtrace_event pev;

			last_press_s = now;
			if (report_trace_press_step(&cw->press, collect_trace_press_flag(),
						    (uint64_t)(now * 1e9), &pev))
				collect_trace_on_event(&pev, cw);
		}
		n = tracer_poll((int)left_ms + 1, collect_trace_on_event, cw);
		if (n < 0) {
			cw->poll_rc = (int)n;
			snprintf(cw->read_why, sizeof(cw->read_why), "reading the ring buffer: %s",
				 strerror((int)-n));
			cw->why = cw->read_why;
			cw->end_reason = "error";
			break;
		}
		collect_trace_tick(&cw->names, collect_trace_now(), false);
		/* summary mode: the events counted in the kernel */
		if (q->count && !q->every_event && !tracer_read_counts(&cw->counts) &&
		    collect_trace_total(&cw->counts) >= q->count)
			cw->end_reason = "count";
	}
}

int collect_trace_window_close(struct collect_trace_window *cw)
{
	size_t i;
	int rc;

	/* close the window, then read what it holds */
	collect_trace_counters(&cw->closing);
	cw->edges = true;
	tracer_pause(true);
	if (cw->counted)
		tpcount_enable(false);
	cw->end_mono_s = collect_trace_now();
	collect_trace_counters(&cw->after);
	if (cw->bpf) {
		/* the first events still in the ring name their processes */
		tracer_poll(0, collect_trace_on_event, cw);
		cw->missed = tracer_missed();
		if ((rc = tracer_read_counts(&cw->counts)) ||
		    (rc = tracer_read_agg(&cw->entries, &cw->nentries))) {
			/* the events are lost: the summary is the counters' */
			snprintf(cw->read_why, sizeof(cw->read_why), "reading the programs' maps: %s",
				 strerror(-rc));
			cw->why = cw->read_why;
			cw->read_rc = rc;
			cw->bpf = false;
			free(cw->entries);
			cw->entries = NULL;
			cw->nentries = 0;
		}
	}
	if (cw->counted && (rc = tpcount_read(&cw->counts))) {
		snprintf(cw->read_why, sizeof(cw->read_why), "reading the perf counters: %s",
			 strerror(-rc));
		cw->why = cw->read_why;
		cw->read_rc = rc;
		cw->counted = false;
	}
	tpcount_close();
	tracer_close();		/* detached before the summary is written */
	collect_trace_tick(&cw->names, cw->end_mono_s, true);
	if (cw->nentries) {
		cw->entry_names = calloc(cw->nentries, sizeof(*cw->entry_names));
		if (!cw->entry_names)
			return -ENOMEM;
		for (i = 0; i < cw->nentries; i++)
			cw->entry_names[i] = collect_trace_event_names(&cw->names,
								       &cw->entries[i].val.first,
								       cw->end_mono_s);
	}
	return 0;
}

int collect_trace_window(struct host *h, const struct collect_trace_req *q,
			 struct collect_trace_window *out)
{
	if (collect_trace_window_init(out, h))
		return -ENOMEM;
	collect_trace_window_open(out, q);	/* 0: the request does not require BPF */
	collect_trace_window_run(out);
	return collect_trace_window_close(out);
}

void collect_trace_window_start_view(const struct collect_trace_window *cw, const struct host *h,
				     struct trace_window *w)
{
	const struct collect_trace_req *q = &cw->req;

	memset(w, 0, sizeof(*w));
	w->h = h;
	w->info = cw->bpf ? &cw->info : NULL;
	w->bpf_why = cw->why;
	w->counted = cw->counted ? &cw->cinfo : NULL;
	w->counts = cw->counted ? &cw->counts : NULL;	/* nothing counted yet */
	w->clock = cw->clock;
	w->netns_ino = q->netns_ino;
	w->protocol = q->protocol_name;
	w->protocol_num = q->protocol;
	w->summary_only = !q->every_event;
	w->start_unix_s = w->end_unix_s = cw->start_mono_s + cw->clock.realtime_minus_monotonic_s;
	w->requested = 10;
}

void collect_trace_window_view(const struct collect_trace_window *cw, const struct host *h,
			       const struct collect_trace_req *q, struct trace_window *w)
{
	memset(w, 0, sizeof(*w));
	w->h = h;
	w->before = &cw->before;
	w->after = &cw->after;
	w->opened = cw->edges ? &cw->opened : NULL;
	w->closing = cw->edges ? &cw->closing : NULL;
	w->info = cw->bpf ? &cw->info : NULL;
	w->bpf_why = cw->why;
	w->procs_partial = cw->names.partial;
	w->counts = cw->bpf || cw->counted ? &cw->counts : NULL;
	w->counted = cw->counted ? &cw->cinfo : NULL;
	w->entries = cw->entries;
	w->nentries = cw->nentries;
	w->names = cw->entry_names;
	w->clock = cw->clock;
	w->netns_ino = q->netns_ino;
	w->protocol = q->protocol_name;
	w->protocol_num = q->protocol;
	w->summary_only = !q->every_event;
	w->start_unix_s = cw->start_mono_s + cw->clock.realtime_minus_monotonic_s;
	w->end_unix_s = cw->end_mono_s + cw->clock.realtime_minus_monotonic_s;
	w->end_reason = cw->end_reason;
	w->missed = cw->missed;
	w->press_poll = cw->bpf && cw->press_polled ? &cw->press : NULL;
	w->requested = 10;
}

void collect_trace_window_free(struct collect_trace_window *cw)
{
	tpcount_close();
	tracer_close();
	free(cw->entry_names);
	free(cw->entries);
	collect_trace_counters_free(&cw->before);
	collect_trace_counters_free(&cw->opened);
	collect_trace_counters_free(&cw->closing);
	collect_trace_counters_free(&cw->after);
	collect_trace_free(&cw->names);
	memset(cw, 0, sizeof(*cw));
}

int collect_trace_live_open(struct host *h, const struct collect_trace_req *q,
			    struct collect_trace_window *cw)
{
	if (collect_trace_window_init(cw, h))
		return -ENOMEM;
	cw->req = *q;
	collect_trace_attach(cw);	/* 0: the request does not require BPF */
	collect_trace_start(cw);
	cw->end_reason = "sample";
	return 0;
}

int collect_trace_live_read(struct collect_trace_window *cw, const struct host *h,
			    const struct collect_trace_req *q, struct trace_window *w)
{
	const struct trace_names **nm;
	size_t i;
	int rc = 0;

	cw->end_mono_s = collect_trace_now();
	free(cw->entries);
	cw->entries = NULL;
	cw->nentries = 0;
	if (cw->bpf) {
		long n = tracer_poll(0, collect_trace_on_event, cw);

		if (n < 0)
			rc = (int)n;
		collect_trace_tick(&cw->names, cw->end_mono_s, false);
		cw->missed = tracer_missed();
		if (!rc)
			rc = tracer_read_counts(&cw->counts);
		if (!rc)
			rc = tracer_read_agg(&cw->entries, &cw->nentries);
	}
	nm = cw->nentries ? realloc(cw->entry_names, cw->nentries * sizeof(*nm)) : cw->entry_names;
	if (cw->nentries && !nm)
		rc = -ENOMEM;
	else
		cw->entry_names = nm;
	for (i = 0; !rc && i < cw->nentries; i++)
		cw->entry_names[i] = collect_trace_event_names(&cw->names, &cw->entries[i].val.first,
							       cw->end_mono_s);
	if (rc) {
		free(cw->entries);
		cw->entries = NULL;
		cw->nentries = 0;
	}
	collect_trace_window_view(cw, h, q, w);
	/* a failed read is this sample's: no events rather than stale ones */
	if (rc) {
		snprintf(cw->read_why, sizeof(cw->read_why), "reading the programs' maps: %s",
			 strerror(-rc));
		w->info = NULL;
		w->counts = NULL;
		w->bpf_why = cw->read_why;
	}
	return rc;
}

void collect_trace_events_req(struct collect_trace_req *q, bool all_netns)
{
	struct parse_err err;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	uint64_t n = 0;

	memset(q, 0, sizeof(*q));
	q->netns_ino = all_netns || stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
	/* the per-CPU values' width: without it, room for the fallback's many */
	if (!host_read_file(NULL, "sys/devices/system/cpu/possible", &text, &len) &&
	    !sysinfo_parse_cpulist(text, len, &n, &err))
		q->possible_cpus = n;
	free(text);
}

int collect_trace_events(struct collect_trace_window *cw, const struct host *h,
			 const struct collect_trace_req *q, struct trace_events_report *out)
{
	struct trace_window w;
	struct report_trace t;

	/* a failed read leaves w without the programs: the report says why */
	collect_trace_live_read(cw, h, q, &w);
	if (report_trace_build(&t, &w))
		return -ENOMEM;
	report_trace_events_build(out, &t, &w);
	report_trace_free(&t);
	return 0;
}
