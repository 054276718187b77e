/* sockets.c - streaming totals and bounded top-N of per-socket meminfo.
 * Charged bytes follow kernel-model.md section 12: what __sk_mem_schedule
 * has charged against memory_allocated is rmem_alloc + wmem_queued +
 * fwd_alloc for TCP (send queue charged via sk_wmem_schedule) and
 * rmem_alloc + fwd_alloc for UDP (UDP transmit is not charged). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "procscan.h"
#include "sockets.h"

const char *const sockets_by_name[BY_COUNT] = { "socket", "process", "cgroup", "port", "state",
						 "peer-port" };

int sockets_init(struct sockets *s, const struct sockets_params *par, enum sockets_by by, int topn,
		 const struct keymap *inode_pid)
{
	memset(s, 0, sizeof(*s));
	s->par = *par;
	s->by = by;
	s->topn = topn > 0 ? topn : 0;
	s->inode_pid = inode_pid;
	if (by == BY_SOCKET) {
		if (s->topn) {
			s->heap = calloc((size_t)s->topn, sizeof(*s->heap));
			if (!s->heap)
				return -ENOMEM;
		}
		return 0;
	}
	return keymap_init(&s->groups, sizeof(struct sock_entry));
}

void sockets_reset(struct sockets *s)
{
	memset(s->sum, 0, sizeof(s->sum));
	s->nheap = 0;
	s->unattributed = s->unattributed_bytes = 0;
	if (s->by != BY_SOCKET) {
		size_t vs = s->groups.vsize;

		keymap_free(&s->groups);
		keymap_init(&s->groups, vs);
	}
}

void sockets_free(struct sockets *s)
{
	free(s->heap);
	s->heap = NULL;
	if (s->by != BY_SOCKET)
		keymap_free(&s->groups);
}

uint64_t sockets_charged(const struct diag_sock *d)
{
	uint64_t c;

	if (!d->nmem && !d->mem_legacy)
		return 0;
	c = (uint64_t)d->mem[DM_RMEM_ALLOC] + d->mem[DM_FWD_ALLOC];
	if (d->proto == DP_TCP)
		c += d->mem[DM_WMEM_QUEUED];
	return c;
}

bool sockets_slow_reader(const struct diag_sock *d)
{
	uint64_t r = d->mem[DM_RMEM_ALLOC], rb = d->mem[DM_RCVBUF];

	if (d->nmem <= DM_RCVBUF)
		return false;
	if (d->state == 10 /* LISTEN */)
		return false;
	return (rb && r * 10 >= rb * 9 && r > 0) ||
	       (d->nmem > DM_DROPS && d->mem[DM_DROPS] > 0) ||
	       (d->nmem > DM_BACKLOG && d->mem[DM_BACKLOG] > 0);
}

bool sockets_sndbuf_small(const struct sockets_params *par, const struct diag_sock *d)
{
	/* sk_stream_moderate_sndbuf() shrinks sndbuf under pressure towards
	 * SOCK_MIN_SNDBUF; new sockets start at tcp_wmem[1].  SO_SNDBUF can
	 * also set it low: the flag says "below the default", not why. */
	return d->proto == DP_TCP && d->state == 1 /* ESTAB */ && d->nmem > DM_SNDBUF &&
	       par->tcp_limits_ok && d->mem[DM_SNDBUF] < par->tcp_wmem_default_bytes;
}

static void heap_down(struct sock_entry *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		struct sock_entry t;

		if (l < n && h[l].charged_bytes < h[m].charged_bytes)
			m = l;
		if (r < n && h[r].charged_bytes < h[m].charged_bytes)
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void heap_up(struct sock_entry *h, int i)
{
	while (i > 0) {
		int p = (i - 1) / 2;
		struct sock_entry t;

		if (h[p].charged_bytes <= h[i].charged_bytes)
			return;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

static void entry_add(struct sock_entry *e, const struct diag_sock *d, uint64_t charged, bool slow,
		      bool small)
{
	int i;

	if (!e->count || charged > sockets_charged(&e->s))
		e->s = *d;
	e->count++;
	e->charged_bytes += charged;
	for (i = 0; i < DM_COUNT && i < d->nmem; i++)
		e->mem[i] += d->mem[i];
	if (d->mem_legacy) {
		e->mem[DM_RMEM_ALLOC] += d->mem[DM_RMEM_ALLOC];
		e->mem[DM_WMEM_QUEUED] += d->mem[DM_WMEM_QUEUED];
		e->mem[DM_FWD_ALLOC] += d->mem[DM_FWD_ALLOC];
		e->mem[DM_WMEM_ALLOC] += d->mem[DM_WMEM_ALLOC];
	}
	if (d->nmem > DM_DROPS)
		e->drops_known = true;
	e->slow_readers += slow;
	e->sndbuf_small += small;
}

static uint64_t group_key(const struct sockets *s, const struct diag_sock *d, bool *ok)
{
	const uint32_t *pid;

	*ok = true;
	switch (s->by) {
	case BY_PROCESS:
		pid = s->inode_pid && d->inode ? keymap_find(s->inode_pid, d->inode) : NULL;
		if (!pid) {
			*ok = false;
			return 0;
		}
		return *pid;
	case BY_CGROUP:
		*ok = d->has_cgroup;
		return d->cgroup_id;
	case BY_PORT:
		return (uint64_t)d->proto << 16 | d->sport;
	case BY_PEER_PORT:
		/* a listener or an unconnected UDP socket has no peer */
		*ok = d->dport != 0;
		return (uint64_t)d->proto << 16 | d->dport;
	case BY_STATE:
		return (uint64_t)d->proto << 8 | d->state;
	default:
		return 0;
	}
}

/* The inverse of the encoding above, the one place that knows it. */
struct sock_group_key sockets_group_key(enum sockets_by by, uint64_t key)
{
	struct sock_group_key k = { by, DP_TCP, 0, 0, 0 };

	switch (by) {
	case BY_PORT:
	case BY_PEER_PORT:
		k.proto = (enum diag_proto)(key >> 16 < DP_COUNT ? key >> 16 : 0);
		k.port = (uint16_t)(key & 0xffff);
		break;
	case BY_STATE:
		k.proto = (enum diag_proto)(key >> 8 < DP_COUNT ? key >> 8 : 0);
		k.state = (uint8_t)(key & 0xff);
		break;
	case BY_PROCESS:
	case BY_CGROUP:
		k.id = key;
		break;
	default:
		break;
	}
	return k;
}

int sockets_add(struct sockets *s, const struct diag_sock *d)
{
	struct sock_sums *t = &s->sum[d->proto];
	uint64_t charged = sockets_charged(d);
	bool slow = sockets_slow_reader(d), small = sockets_sndbuf_small(&s->par, d);
	int i;

	t->count++;
	t->by_state[d->state < DIAG_NSTATES ? d->state : 0]++;
	if (d->nmem || d->mem_legacy) {
		t->with_mem++;
		for (i = 0; i < d->nmem; i++)
			t->mem[i] += d->mem[i];
		if (d->mem_legacy) {
			t->mem[DM_RMEM_ALLOC] += d->mem[DM_RMEM_ALLOC];
			t->mem[DM_WMEM_QUEUED] += d->mem[DM_WMEM_QUEUED];
			t->mem[DM_FWD_ALLOC] += d->mem[DM_FWD_ALLOC];
			t->mem[DM_WMEM_ALLOC] += d->mem[DM_WMEM_ALLOC];
		}
		if (d->nmem > DM_DROPS) {
			t->with_drops_field++;
			t->with_drops += d->mem[DM_DROPS] > 0;
		}
		if (d->nmem > DM_BACKLOG)
			t->with_backlog += d->mem[DM_BACKLOG] > 0;
		t->charged_bytes += charged;
		if (s->par.mem_unit_bytes)
			t->charged_pages += (charged + s->par.mem_unit_bytes - 1) / s->par.mem_unit_bytes;
		if (d->proto == DP_TCP && d->nmem > DM_SNDBUF && s->par.tcp_limits_ok &&
		    d->state != 10 /* LISTEN */) {
			uint64_t rb = d->mem[DM_RCVBUF], tb = d->mem[DM_SNDBUF];

			t->worst_case_bytes += (rb < s->par.tcp_rmem_max_bytes ? rb : s->par.tcp_rmem_max_bytes) +
					       (tb < s->par.tcp_wmem_max_bytes ? tb : s->par.tcp_wmem_max_bytes);
		}
	}
	t->slow_readers += slow;
	t->sndbuf_small += small;
	if (d->proto == DP_TCP) {
		uint64_t bdp = 0;
		enum sockets_bdp_use u = sockets_bdp_sample(d, &bdp);

		if (u == SOCKETS_BDP_USED) {
			uint32_t *c = &t->bdp_hist[sockets_bdp_bucket(bdp)];

			*c += *c != UINT32_MAX;
			t->bdp_n++;
		} else if (u < SOCKETS_BDP_NSKIP) {
			t->bdp_skipped[u]++;
		}
	}

	if (s->holders_one_proto && d->proto != s->holders_proto)
		return 0;
	if (s->by == BY_SOCKET) {
		struct sock_entry e = { 0 };

		if (!s->topn)
			return 0;
		entry_add(&e, d, charged, slow, small);
		if (s->nheap < s->topn) {
			s->heap[s->nheap] = e;
			heap_up(s->heap, s->nheap++);
		} else if (charged > s->heap[0].charged_bytes) {
			s->heap[0] = e;
			heap_down(s->heap, s->nheap, 0);
		}
		return 0;
	} else {
		bool ok;
		uint64_t key = group_key(s, d, &ok);
		struct sock_entry *e;

		if (!ok) {
			s->unattributed++;
			s->unattributed_bytes += charged;
			return 0;
		}
		e = keymap_get(&s->groups, key);
		if (!e)
			return -ENOMEM;
		e->key = key;
		entry_add(e, d, charged, slow, small);
		if (s->by == BY_PROCESS) {
			uint32_t others = procscan_shared_others(s->inode_pid, d->inode);

			e->shared_sockets += others > 0;
			if (others > e->shared_others_max)
				e->shared_others_max = others;
		}
	}
	return 0;
}

static int entry_cmp_desc(const void *a, const void *b)
{
	const struct sock_entry *x = a, *y = b;

	if (x->charged_bytes != y->charged_bytes)
		return x->charged_bytes < y->charged_bytes ? 1 : -1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

int sockets_top(const struct sockets *s, struct sock_entry *out, int max)
{
	int n = 0;

	if (max <= 0)
		return 0;
	if (s->by == BY_SOCKET) {
		struct sock_entry *tmp;

		if (!s->nheap)
			return 0;
		tmp = malloc((size_t)s->nheap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		memcpy(tmp, s->heap, (size_t)s->nheap * sizeof(*tmp));
		qsort(tmp, (size_t)s->nheap, sizeof(*tmp), entry_cmp_desc);
		n = s->nheap < max ? s->nheap : max;
		memcpy(out, tmp, (size_t)n * sizeof(*out));
		free(tmp);
		return n;
	} else {
		size_t i;

		/* keep the max largest: insertion into the sorted out[] */
		for (i = keymap_next(&s->groups, 0); i < s->groups.cap; i = keymap_next(&s->groups, i + 1)) {
			const struct sock_entry *e = keymap_val(&s->groups, i);
			int j;

			if (n == max && entry_cmp_desc(e, &out[n - 1]) >= 0)
				continue;
			j = n < max ? n++ : n - 1;
			while (j > 0 && entry_cmp_desc(e, &out[j - 1]) < 0) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = *e;
		}
		return n;
	}
}

bool sockets_loopback(const struct diag_sock *d)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t v6lo[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	if (d->family == AF_INET)
		return d->src[0] == 127 || d->dst[0] == 127 || !memcmp(d->src, d->dst, 4);
	if (d->family != AF_INET6)
		return false;
	if (!memcmp(d->src, v6lo, 16) || !memcmp(d->dst, v6lo, 16) || !memcmp(d->src, d->dst, 16))
		return true;
	return (!memcmp(d->src, v4mapped, 12) && d->src[12] == 127) ||
	       (!memcmp(d->dst, v4mapped, 12) && d->dst[12] == 127);
}

enum sockets_bdp_use sockets_bdp_sample(const struct diag_sock *d, uint64_t *bdp_bytes)
{
	double bdp;

	if (d->proto != DP_TCP || !d->has_tcp_info || d->state != 1 /* ESTAB */ || !d->rtt_us ||
	    !d->delivery_rate)
		return SOCKETS_BDP_NONE;
	/* A loopback connection's rtt and rate are the host's own (a stalled
	 * one's rtt is the zero-window probe backoff), not a path's. */
	if (sockets_loopback(d))
		return SOCKETS_BDP_LOOPBACK;
	/* tcp_rate_gen(): an app-limited sample is a lower bound of the path
	 * rate that says nothing of its capacity. */
	if (d->delivery_rate_app_limited)
		return SOCKETS_BDP_APP_LIMITED;
	/* Held back by the peer's receive window for half of the time it had
	 * data to send: the rate is that window per rtt, not the path's. */
	if (d->has_chrono && d->busy_time_us && d->rwnd_limited_us >= d->busy_time_us / 2)
		return SOCKETS_BDP_RWND_LIMITED;
	bdp = (double)d->delivery_rate * (double)d->rtt_us / 1e6;
	if (bdp_bytes)
		*bdp_bytes = bdp >= 0x1p64 ? UINT64_MAX : (uint64_t)bdp;
	return SOCKETS_BDP_USED;
}

int sockets_bdp_bucket(uint64_t v)
{
	int m = 63 - __builtin_clzll(v | 1);

	if (m < SOCKETS_BDP_MIN_SHIFT)
		return 0;
	if (m >= SOCKETS_BDP_MAX_SHIFT)
		return SOCKETS_BDP_BUCKETS - 1;
	return 1 + ((m - SOCKETS_BDP_MIN_SHIFT) << SOCKETS_BDP_SUB_SHIFT) +
	       (int)((v >> (m - SOCKETS_BDP_SUB_SHIFT)) & ((1u << SOCKETS_BDP_SUB_SHIFT) - 1));
}

void sockets_bdp_bucket_range(int b, uint64_t *lo, uint64_t *width)
{
	if (b <= 0) {
		*lo = 0;
		*width = 1ull << SOCKETS_BDP_MIN_SHIFT;
	} else if (b >= SOCKETS_BDP_BUCKETS - 1) {
		*lo = 1ull << SOCKETS_BDP_MAX_SHIFT;
		*width = 0;	/* open-ended: its lower edge */
	} else {
		int k = b - 1, m = SOCKETS_BDP_MIN_SHIFT + (k >> SOCKETS_BDP_SUB_SHIFT);
		uint64_t sub = (uint64_t)(k & ((1 << SOCKETS_BDP_SUB_SHIFT) - 1));

		*width = 1ull << (m - SOCKETS_BDP_SUB_SHIFT);
		*lo = ((1ull << SOCKETS_BDP_SUB_SHIFT) + sub) * *width;
	}
}

uint64_t sockets_bdp_quantile(const struct sock_sums *t, double q)
{
	double rank, seen = 0;
	int b;

	if (!t->bdp_n)
		return 0;
	q = q < 0 ? 0 : q > 1 ? 1 : q;
	/* the rank among the counted samples; the histogram's own total, in
	 * case a bucket saturated */
	for (b = 0; b < SOCKETS_BDP_BUCKETS; b++)
		seen += t->bdp_hist[b];
	rank = q * seen;
	seen = 0;
	for (b = 0; b < SOCKETS_BDP_BUCKETS; b++) {
		double c = t->bdp_hist[b];
		uint64_t lo, width;

		if (!c)
			continue;
		if (seen + c >= rank) {
			/* linear within the bucket: the samples spread evenly over it */
			sockets_bdp_bucket_range(b, &lo, &width);
			return lo + (uint64_t)((rank - seen) / c * (double)width + 0.5);
		}
		seen += c;
	}
	return 1ull << SOCKETS_BDP_MAX_SHIFT;
}

void sockets_merge_sums(struct sockets *dst, const struct sockets *src)
{
	int p, i;

	for (p = 0; p < DP_COUNT; p++) {
		struct sock_sums *d = &dst->sum[p];
		const struct sock_sums *s = &src->sum[p];

		d->count += s->count;
		d->with_mem += s->with_mem;
		d->with_drops_field += s->with_drops_field;
		for (i = 0; i < DIAG_NSTATES; i++)
			d->by_state[i] += s->by_state[i];
		for (i = 0; i < DM_COUNT; i++)
			d->mem[i] += s->mem[i];
		d->charged_bytes += s->charged_bytes;
		d->charged_pages += s->charged_pages;
		d->worst_case_bytes += s->worst_case_bytes;
		d->slow_readers += s->slow_readers;
		d->sndbuf_small += s->sndbuf_small;
		d->with_drops += s->with_drops;
		d->with_backlog += s->with_backlog;
		for (i = 0; i < SOCKETS_BDP_BUCKETS; i++)
			d->bdp_hist[i] = d->bdp_hist[i] > UINT32_MAX - s->bdp_hist[i] ? UINT32_MAX
					 : d->bdp_hist[i] + s->bdp_hist[i];
		d->bdp_n += s->bdp_n;
		for (i = 0; i < SOCKETS_BDP_NSKIP; i++)
			d->bdp_skipped[i] += s->bdp_skipped[i];
	}
}

/* One entry into another of the same key (or socket). */
static void entry_merge(struct sock_entry *d, const struct sock_entry *s)
{
	int i;

	if (!d->count || sockets_charged(&s->s) > sockets_charged(&d->s))
		d->s = s->s;
	d->key = s->key;
	d->count += s->count;
	d->charged_bytes += s->charged_bytes;
	for (i = 0; i < DM_COUNT; i++)
		d->mem[i] += s->mem[i];
	d->slow_readers += s->slow_readers;
	d->sndbuf_small += s->sndbuf_small;
	d->drops_known |= s->drops_known;
	d->shared_sockets += s->shared_sockets;
	if (s->shared_others_max > d->shared_others_max)
		d->shared_others_max = s->shared_others_max;
}

int sockets_merge(struct sockets *dst, const struct sockets *src)
{
	int i;

	sockets_merge_sums(dst, src);
	dst->unattributed += src->unattributed;
	dst->unattributed_bytes += src->unattributed_bytes;
	if (dst->by != src->by)
		return -EINVAL;
	if (dst->by == BY_SOCKET) {
		for (i = 0; i < src->nheap && dst->topn; i++) {
			const struct sock_entry *e = &src->heap[i];

			if (dst->nheap < dst->topn) {
				dst->heap[dst->nheap] = *e;
				heap_up(dst->heap, dst->nheap++);
			} else if (e->charged_bytes > dst->heap[0].charged_bytes) {
				dst->heap[0] = *e;
				heap_down(dst->heap, dst->nheap, 0);
			}
		}
		return 0;
	}
	for (size_t k = keymap_next(&src->groups, 0); k < src->groups.cap;
	     k = keymap_next(&src->groups, k + 1)) {
		struct sock_entry *d = keymap_get(&dst->groups, keymap_key(&src->groups, k));

		if (!d)
			return -ENOMEM;
		entry_merge(d, keymap_val(&src->groups, k));
	}
	return 0;
}
