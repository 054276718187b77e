/* bpfrec.c - decodes the socket iterator's records into diag_sock and the
 * aggregator, and its counters into the exact charge. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "bpfrec.h"

void bpfrec_to_diag(const struct sockiter_rec *r, struct diag_sock *d)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->family = r->family;
	d->state = r->state;
	d->proto = r->proto == SOCKITER_UDP ? DP_UDP : DP_TCP;
	d->sport = r->sport;
	d->dport = r->dport;
	memcpy(d->src, r->src, sizeof(d->src));
	memcpy(d->dst, r->dst, sizeof(d->dst));
	d->uid = r->uid;
	d->inode = r->inode;
	d->cookie = r->cookie;
	d->rqueue = r->rqueue;
	d->wqueue = r->wqueue;
	if (r->rec_flags & SOCKITER_FULL) {
		/* the kernel's SK_MEMINFO_VARS: as many fields as DM_COUNT */
		d->nmem = SOCKITER_MEMINFO < DM_COUNT ? SOCKITER_MEMINFO : DM_COUNT;
		for (i = 0; i < d->nmem; i++)
			d->mem[i] = r->mem[i];
	}
	if (r->rec_flags & SOCKITER_CGROUP) {
		d->has_cgroup = true;
		d->cgroup_id = r->cgroup_id;
	}
}

long bpfrec_add(struct sockets *agg, const void *buf, size_t len, size_t *used)
{
	const unsigned char *p = buf;
	struct sockiter_rec r;
	struct diag_sock d;
	long n = 0;
	int rc;

	*used = 0;
	while (len - *used >= sizeof(r)) {
		memcpy(&r, p + *used, sizeof(r));	/* the read buffer has no alignment */
		if (r.proto != SOCKITER_TCP && r.proto != SOCKITER_UDP)
			return -EBADMSG;
		bpfrec_to_diag(&r, &d);
		rc = sockets_add(agg, &d);
		if (rc)
			return rc;
		*used += sizeof(r);
		n++;
	}
	return n;
}

/* Every field of a record is one of the aggregator's: nmem is 9. */
_Static_assert(SOCKITER_MEMINFO == DM_COUNT, "sockiter_sum_add() sums DM_COUNT fields");
_Static_assert(SOCKITER_NSTATES >= DIAG_NSTATES, "sockiter_sums.by_state holds every state");

void bpfrec_params(const struct sockets *agg, struct sockiter_params *par)
{
	memset(par, 0, sizeof(*par));
	par->mem_unit_bytes = agg->par.mem_unit_bytes;
	par->tcp_limits_ok = agg->par.tcp_limits_ok;
	par->tcp_rmem_max_bytes = agg->par.tcp_rmem_max_bytes;
	par->tcp_wmem_max_bytes = agg->par.tcp_wmem_max_bytes;
	par->tcp_wmem_default_bytes = agg->par.tcp_wmem_default_bytes;
}

void bpfrec_add_sums(struct sockets *agg, enum diag_proto p, const struct sockiter_sums *k)
{
	struct sock_sums *t = &agg->sum[p];
	int i;

	t->count += k->count;
	for (i = 0; i < SOCKITER_NSTATES; i++)
		t->by_state[i < DIAG_NSTATES ? i : 0] += k->by_state[i];
	t->with_mem += k->with_mem;
	t->with_drops_field += k->with_mem;
	for (i = 0; i < DM_COUNT; i++)
		t->mem[i] += k->mem[i];
	t->with_drops += k->with_drops;
	t->with_backlog += k->with_backlog;
	t->charged_bytes += k->charged_bytes;
	t->charged_pages += k->charged_pages;
	t->worst_case_bytes += k->worst_case_bytes;
	t->slow_readers += k->slow_readers;
	t->sndbuf_small += k->sndbuf_small;
}

bool bpfrec_exact(const struct sockiter_totals *t, __s64 *pages, const char **why)
{
	*pages = 0;
	if (!t->found) {
		*why = "no socket of the protocol led to its counter";
		return false;
	}
	if (t->has_pcpu && (t->cpus_failed || !t->cpus_read)) {
		*why = "a CPU's cache could not be read";
		return false;
	}
	*pages = t->global + t->pcpu_sum;
	*why = NULL;
	return true;
}
