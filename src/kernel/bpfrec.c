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
