/* report_top.c - the report of "sockmem top": the largest holders of
 * charged socket memory as rows with their group decoded, addresses and
 * flags formatted once for every renderer, and the attribution figures.
 * Pure: no I/O (names from /proc are filled in by collect_top_names). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "procscan.h"
#include "report.h"

static void report_top_addr(char *dst, size_t n, int family, const uint8_t *a, uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (family == AF_INET6)
		snprintf(dst, n, "[%s]:%u", ip, port);
	else
		snprintf(dst, n, "%s:%u", ip, port);
}

int report_top_build(struct report_top *t, const struct sockets *agg, int requested,
		     const char *source, bool dump_partial, uint64_t processes_scanned,
		     uint64_t processes_denied)
{
	struct sock_entry *top;
	int i, n;

	memset(t, 0, sizeof(*t));
	t->by = agg->by;
	t->requested = requested;
	t->source = source;
	t->attribution = agg->by == BY_PROCESS || agg->by == BY_CGROUP;
	if (t->attribution) {
		t->unattributed_sockets = agg->unattributed;
		t->unattributed_bytes = agg->unattributed_bytes;
	}
	if (agg->by == BY_PROCESS) {
		t->processes_scanned = processes_scanned;
		t->processes_denied = processes_denied;
		t->attribution_partial = processes_denied > 0;
	}
	t->partial = dump_partial || t->attribution_partial;
	top = calloc((size_t)(requested > 0 ? requested : 1), sizeof(*top));
	t->row = calloc((size_t)(requested > 0 ? requested : 1), sizeof(*t->row));
	if (!top || !t->row) {
		free(top);
		report_top_free(t);
		return -ENOMEM;
	}
	n = sockets_top(agg, top, requested);
	for (i = 0; i < n; i++) {
		struct top_row *w = &t->row[i];
		const struct sock_entry *e = &top[i];

		w->e = *e;
		w->key = sockets_group_key(agg->by, e->key);
		snprintf(w->flags, sizeof(w->flags), "%s%s%s", e->slow_readers ? "slow-reader" : "",
			 e->slow_readers && e->sndbuf_small ? "," : "",
			 e->sndbuf_small ? "sndbuf-small" : "");
		if (agg->by == BY_SOCKET) {
			report_top_addr(w->local, sizeof(w->local), e->s.family, e->s.src, e->s.sport);
			report_top_addr(w->peer, sizeof(w->peer), e->s.family, e->s.dst, e->s.dport);
		}
	}
	t->n = n > 0 ? n : 0;
	free(top);
	return 0;
}

void report_top_free(struct report_top *t)
{
	int i;

	for (i = 0; t->row && i < t->n; i++)
		free(t->row[i].cg);
	free(t->row);
	t->row = NULL;
	t->n = 0;
}
