/* report_live.c - the report behind top's live view: per-holder change
 * since the previous pass, the table's order, the bars against the three
 * limits with the per-CPU band, the next threshold and its time, pressure
 * episodes and memory drops over the window and the pass's cost.  Pure:
 * the command reads the clocks and the host. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procscan.h"
#include "report_live.h"

const char *const report_live_sort_name[LIVE_SORT_COUNT] = {
	"sockets", "charged", "change", "recv-q", "send-q", "drops",
};

/* Counters behind the window's figures.  Memory drops: TCPRcvQDrop (an
 * in-order segment the receive queue could not charge) and TCPOFODrop (an
 * out-of-order one) are disjoint paths of tcp_data_queue(); RcvPruned
 * counts the same events again and is left out.  UdpRcvbufErrors already
 * counts every UdpMemErrors (__udp_queue_rcv_skb bumps both on -ENOMEM). */
static const char *const live_episodes_ctr = "TCPMemoryPressures";
static const char *const live_drops_tcp[] = { "TCPRcvQDrop", "TCPOFODrop" };
static const char *const live_drops_udp[] = { "UdpRcvbufErrors" };

int report_live_state_init(struct live_state *s, int window_cap)
{
	memset(s, 0, sizeof(*s));
	s->t_s = calloc((size_t)window_cap, sizeof(*s->t_s));
	s->ctr = calloc((size_t)window_cap, sizeof(*s->ctr));
	if (!s->t_s || !s->ctr || keymap_init(&s->prev, sizeof(uint64_t))) {
		report_live_state_free(s);
		return -ENOMEM;
	}
	s->cap = window_cap;
	return 0;
}

void report_live_state_free(struct live_state *s)
{
	free(s->t_s);
	free(s->ctr);
	if (s->prev.keys)
		keymap_free(&s->prev);
	memset(s, 0, sizeof(*s));
}

void report_live_window_add(struct live_state *s, const struct report *r, double t_s)
{
	int i;

	if (!s->cap)
		return;
	/* the counter list is the report's; a different one starts over */
	if (s->nctr != r->ncounter)
		s->n = 0;
	for (i = 0; s->n && i < r->ncounter; i++)
		if (strcmp(s->ctr_key[i], r->counter[i].key))
			s->n = 0;
	s->nctr = r->ncounter;
	for (i = 0; i < r->ncounter; i++)
		s->ctr_key[i] = r->counter[i].key;
	if (s->n == s->cap) {
		memmove(s->t_s, s->t_s + 1, (size_t)(s->cap - 1) * sizeof(*s->t_s));
		memmove(s->ctr, s->ctr + 1, (size_t)(s->cap - 1) * sizeof(*s->ctr));
		s->n--;
	}
	s->t_s[s->n] = t_s;
	for (i = 0; i < r->ncounter && i < REPORT_MAX_COUNTERS; i++)
		s->ctr[s->n][i] = r->counter[i].value;
	s->n++;
}

/* A holder's identity from one pass to the next: the socket cookie (unique
 * on the host for the socket's life) with its protocol, or the group key. */
static uint64_t live_identity(const struct report_top *t, const struct top_row *w)
{
	if (t->by == BY_SOCKET)
		return (w->e.s.cookie << 1 | (uint64_t)(w->e.s.proto & 1)) & (UINT64_MAX >> 1);
	return w->e.key & (UINT64_MAX >> 1);
}

int report_live_advance(struct live_state *s, const struct report_top *pool, int proto,
			double t_s)
{
	int i;

	keymap_free(&s->prev);
	s->have_prev = false;
	if (keymap_init(&s->prev, sizeof(uint64_t)))
		return -ENOMEM;
	for (i = 0; i < pool->n; i++) {
		uint64_t *v = keymap_get(&s->prev, live_identity(pool, &pool->row[i]));

		if (!v)
			return -ENOMEM;
		*v = pool->row[i].e.charged_bytes;
	}
	s->have_prev = true;
	s->prev_by = pool->by;
	s->prev_proto = proto;
	s->prev_t_s = t_s;
	return 0;
}

/* The change of a counter over the window; false when either end is not
 * known or it went backwards (reset, wrapped). */
static bool live_window_delta(const struct live_state *s, const char *key, uint64_t *out)
{
	const struct opt *a, *b;
	int i;

	if (s->n < 2)
		return false;
	for (i = 0; i < s->nctr; i++)
		if (!strcmp(s->ctr_key[i], key))
			break;
	if (i == s->nctr)
		return false;
	a = &s->ctr[0][i];
	b = &s->ctr[s->n - 1][i];
	if (!a->ok || !b->ok || b->v < a->v)
		return false;
	*out = b->v - a->v;
	return true;
}

static bool live_window_sum(const struct live_state *s, const char *const *keys, size_t n,
			    uint64_t *out)
{
	uint64_t v, sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!live_window_delta(s, keys[i], &v))
			return false;
		sum += v;
	}
	*out = sum;
	return true;
}

static void live_proto(struct report_live_proto *lp, const struct report *r,
		       const struct proto_report *p, const struct live_state *s)
{
	bool pressure = p->def->kind == MODEL_PRESSURE;
	double u, band, hi;
	int i;

	memset(lp, 0, sizeof(*lp));
	lp->p = p;
	lp->next = -1;
	lp->trend_ok = p->trend_ok;
	if (p->trend_ok) {
		lp->growing = p->trend.growing;
		lp->slope_units_s = p->trend.slope;
		lp->slope_bytes_s = p->trend.slope * (double)r->mem_unit_bytes;
	}
	if (s && s->n >= 2) {
		lp->window_ok = true;
		lp->window_s = s->t_s[s->n - 1] - s->t_s[0];
		if (!strcmp(p->def->key, "tcp")) {
			lp->episodes_ok = live_window_delta(s, live_episodes_ctr, &lp->episodes);
			lp->drops_ok = live_window_sum(s, live_drops_tcp, ARRAY_SIZE(live_drops_tcp),
						       &lp->drops);
		} else if (!strcmp(p->def->key, "udp")) {
			lp->drops_ok = live_window_sum(s, live_drops_udp, ARRAY_SIZE(live_drops_udp),
						       &lp->drops);
		}
	}
	if (!p->usage_pages.ok) {
		lp->bar_why = "usage not visible";
		return;
	}
	if (!p->limits_ok || !p->limit_units[2]) {
		lp->bar_why = p->limits_why ? p->limits_why : "limits not visible";
		return;
	}
	lp->bar_ok = true;
	u = (double)p->usage_pages.v;
	band = r->band_pages.ok ? (double)r->band_pages.v : 0;
	hi = u + band;
	/* the scale is max, or the usage when above it; usage and band are in
	 * the kernel's unit, the limits compared with them are limit_units */
	lp->scale_units = (double)p->limit_units[2];
	if (u > lp->scale_units)
		lp->scale_units = u;
	lp->usage_frac = u / lp->scale_units;
	lp->used_frac = (u > band ? u - band : 0) / lp->scale_units;
	lp->band_hi_frac = (hi < lp->scale_units ? hi : lp->scale_units) / lp->scale_units;
	for (i = 0; i < 3; i++) {
		lp->mark[i] = i != 1 || pressure;
		lp->mark_frac[i] = (double)p->limit_units[i] / lp->scale_units;
		if (lp->mark_frac[i] > 1)
			lp->mark_frac[i] = 1;
	}
	for (i = 0; i < 3; i++)
		if (lp->mark[i] && p->usage_pages.v < p->limit_units[i]) {
			lp->next = i;
			break;
		}
	if (lp->next >= 0 && p->trend_ok && p->trend.growing && p->eta_ok[lp->next]) {
		lp->eta_ok = true;
		lp->eta_s = p->eta_s[lp->next];
	}
}

/* One column of the ordering: descending, with the key last so that equal
 * rows keep one order from one refresh to the next. */
struct live_sortable {
	const struct top_row *w;
	struct report_live_row x;
	uint64_t identity;
	enum live_sort by;
};

static double live_sort_value(const struct live_sortable *a)
{
	const struct sock_entry *e = &a->w->e;

	switch (a->by) {
	case LIVE_SORT_SOCKETS: return (double)e->count;
	case LIVE_SORT_CHANGE: return a->x.change_known ? (double)a->x.change_bytes : -INFINITY;
	case LIVE_SORT_RECVQ: return (double)e->mem[DM_RMEM_ALLOC];
	case LIVE_SORT_SENDQ: return (double)e->mem[DM_WMEM_QUEUED];
	case LIVE_SORT_DROPS: return e->drops_known ? (double)e->mem[DM_DROPS] : -1;
	default: return (double)e->charged_bytes;
	}
}

static int live_cmp(const void *pa, const void *pb)
{
	const struct live_sortable *a = pa, *b = pb;
	double x = live_sort_value(a), y = live_sort_value(b);

	if (x != y)
		return x < y ? 1 : -1;
	if (a->w->e.charged_bytes != b->w->e.charged_bytes)
		return a->w->e.charged_bytes < b->w->e.charged_bytes ? 1 : -1;
	return a->identity < b->identity ? -1 : a->identity > b->identity;
}

static int live_cmp_change(const void *pa, const void *pb)
{
	const struct live_sortable *a = pa, *b = pb;

	if (a->x.change_bytes != b->x.change_bytes)
		return a->x.change_bytes < b->x.change_bytes ? 1 : -1;
	return a->identity < b->identity ? -1 : a->identity > b->identity;
}

static int64_t live_signed_change(uint64_t now, uint64_t before)
{
	if (now >= before)
		return now - before > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(now - before);
	return before - now > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(before - now);
}

int report_live_build(struct report_live *lv, const struct report *r,
		      const struct report_top *pool, const struct live_state *s,
		      const struct report_live_opts *o)
{
	struct live_sortable *v = NULL, **grow = NULL;
	bool same;
	int i, k, n, ngrow = 0;

	memset(lv, 0, sizeof(*lv));
	lv->r = r;
	lv->sort = report_live_sort_valid(pool->by, o->sort) ? o->sort : LIVE_SORT_CHARGED;
	lv->table_proto = o->proto;
	lv->frame = o->frame;
	lv->interval_s = o->interval_s;
	lv->paused = o->paused;
	lv->static_input = o->static_input;
	lv->pass_ok = o->pass_ok;
	lv->pass_s = o->pass_s;
	if (o->pass_ok && o->interval_s > 0)
		lv->pass_pct = 100.0 * o->pass_s / o->interval_s;
	if (o->wall) {
		struct tm tm;

		localtime_r(&o->wall->tv_sec, &tm);
		strftime(lv->time_local, sizeof(lv->time_local), "%H:%M:%S", &tm);
	}
	/* the headers: TCP and UDP, the others on request; a protocol that
	 * shares another's counter is a line in that one's place */
	for (i = 0; i < r->nproto && lv->nproto < REPORT_MAX_PROTOS; i++) {
		const struct proto_report *p = &r->proto[i];

		if (!p->def->always && !o->all_protocols)
			continue;
		live_proto(&lv->proto[lv->nproto], r, p, s);
		if (o->static_input) {
			/* a snapshot does not move: passes again after a key are
			 * not samples of growth */
			struct report_live_proto *lp = &lv->proto[lv->nproto];

			lp->trend_ok = lp->growing = lp->eta_ok = lp->window_ok = false;
			lp->episodes_ok = lp->drops_ok = false;
		}
		lv->nproto++;
	}
	/* the sockets of the table's protocols */
	if (r->sk.present && r->sk.agg)
		for (i = 0; i < DP_COUNT; i++)
			if (o->proto == LIVE_PROTO_ALL || o->proto == i) {
				lv->sockets += r->sk.agg->sum[i].count;
				lv->charged_bytes += r->sk.agg->sum[i].charged_bytes;
			}

	/* the table */
	lv->top = *pool;
	lv->top.row = NULL;
	lv->top.n = 0;
	lv->ranked = pool->n;
	lv->pool_full = pool->requested > 0 && pool->n >= pool->requested;
	n = o->rows < pool->n ? o->rows : pool->n;
	if (n < 0)
		n = 0;
	same = s && s->have_prev && s->prev_by == pool->by && s->prev_proto == o->proto;
	lv->change_known = same;
	if (same)
		lv->change_interval_s = o->t_s - s->prev_t_s;
	v = calloc((size_t)(pool->n ? pool->n : 1), sizeof(*v));
	grow = calloc((size_t)(pool->n ? pool->n : 1), sizeof(*grow));
	lv->top.row = calloc((size_t)(n ? n : 1), sizeof(*lv->top.row));
	lv->row = calloc((size_t)(n ? n : 1), sizeof(*lv->row));
	if (!v || !grow || !lv->top.row || !lv->row) {
		free(v);
		free(grow);
		report_live_free(lv);
		return -ENOMEM;
	}
	for (i = 0; i < pool->n; i++) {
		struct live_sortable *a = &v[i];
		const uint64_t *before;

		a->w = &pool->row[i];
		a->identity = live_identity(pool, a->w);
		a->by = lv->sort;
		if (!same)
			continue;
		before = keymap_find(&s->prev, a->identity);
		if (!before) {
			a->x.is_new = true;
			continue;
		}
		a->x.change_known = true;
		a->x.change_bytes = live_signed_change(a->w->e.charged_bytes, *before);
		if (lv->change_interval_s > 0)
			a->x.change_bytes_per_s = (double)a->x.change_bytes / lv->change_interval_s;
		if (a->x.change_bytes > 0)
			grow[ngrow++] = a;
	}
	/* the fastest growers among every ranked holder, marked where shown */
	if (ngrow) {
		struct live_sortable *g = malloc((size_t)ngrow * sizeof(*g));

		if (g) {
			for (i = 0; i < ngrow; i++)
				g[i] = *grow[i];
			qsort(g, (size_t)ngrow, sizeof(*g), live_cmp_change);
			for (i = 0; i < ngrow && i < LIVE_FASTEST; i++)
				for (k = 0; k < ngrow; k++)
					if (grow[k]->identity == g[i].identity)
						grow[k]->x.fastest = true;
			free(g);
		}
	}
	qsort(v, (size_t)pool->n, sizeof(*v), live_cmp);
	for (i = 0; i < n; i++) {
		lv->top.row[i] = *v[i].w;
		lv->top.row[i].cg = NULL;	/* named for the rows shown only */
		lv->row[i] = v[i].x;
		lv->new_rows += v[i].x.is_new;
		lv->growing_rows += v[i].x.change_known && v[i].x.change_bytes > 0;
	}
	lv->top.n = n;
	lv->top.requested = n;
	free(v);
	free(grow);
	return 0;
}

void report_live_free(struct report_live *lv)
{
	report_top_free(&lv->top);
	free(lv->row);
	lv->row = NULL;
}

/* The column of fraction f of the scale in a bar of width cells. */
static int live_column(double f, int width)
{
	int c = (int)floor(f * width);

	return c < 0 ? 0 : c >= width ? width - 1 : c;
}

void report_live_bar(const struct report_live_proto *lp, int width, unsigned char *cells)
{
	static const unsigned char mark_bit[3] = {
		LIVE_CELL_MARK_MIN, LIVE_CELL_MARK_PRESSURE, LIVE_CELL_MARK_MAX
	};
	int i, used, band;

	if (width <= 0)
		return;
	memset(cells, LIVE_CELL_FREE, (size_t)width);
	if (!lp->bar_ok)
		return;
	/* a cell is used when usage covers half of it or more */
	used = (int)floor(lp->used_frac * width + 0.5);
	band = (int)floor(lp->band_hi_frac * width + 0.5);
	if (band > width)
		band = width;
	/* a band of any width shows in one cell at least */
	if (lp->band_hi_frac > lp->used_frac && band <= used && used < width)
		band = used + 1;
	for (i = 0; i < width; i++)
		cells[i] = i < used ? LIVE_CELL_USED : i < band ? LIVE_CELL_BAND : LIVE_CELL_FREE;
	for (i = 0; i < 3; i++)
		if (lp->mark[i])
			cells[live_column(lp->mark_frac[i], width)] |= mark_bit[i];
	if (lp->p && lp->p->usage_pages.ok && lp->p->limits_ok &&
	    lp->p->usage_pages.v > lp->p->limit_units[2])
		cells[width - 1] |= LIVE_CELL_OVER;
}

bool report_live_sort_valid(enum sockets_by by, enum live_sort s)
{
	if (s < 0 || s >= LIVE_SORT_COUNT)
		return false;
	return s != LIVE_SORT_SOCKETS || by != BY_SOCKET;
}

enum live_sort report_live_sort_step(enum sockets_by by, enum live_sort cur, int dir)
{
	int s = (int)cur, i;

	for (i = 0; i < LIVE_SORT_COUNT; i++) {
		s = (s + (dir < 0 ? LIVE_SORT_COUNT - 1 : 1)) % LIVE_SORT_COUNT;
		if (report_live_sort_valid(by, (enum live_sort)s))
			return (enum live_sort)s;
	}
	return cur;
}

double report_live_interval_step(double cur_s, int dir)
{
	static const double ladder[] = { 0.5, 1, 2, 3, 5, 10, 15, 30, 60 };
	int i, n = (int)ARRAY_SIZE(ladder);

	if (dir > 0) {
		for (i = 0; i < n; i++)
			if (ladder[i] > cur_s * 1.001)
				return ladder[i];
		return cur_s > ladder[n - 1] ? cur_s : ladder[n - 1];
	}
	for (i = n - 1; i >= 0; i--)
		if (ladder[i] < cur_s * 0.999)
			return ladder[i];
	return cur_s < ladder[0] ? cur_s : ladder[0];
}
