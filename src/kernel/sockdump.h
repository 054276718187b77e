/* sockdump.h - fills a struct sockets from the kernel (sock_diag dumps of
 * TCP and UDP, IPv4 and IPv6, all states, restarted as a whole when the
 * kernel flags NLM_F_DUMP_INTR) or from recorded dumps (ss -D format). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SOCKDUMP_H
#define SOCKMEM_SOCKDUMP_H

#include <stdio.h>

#include "nl.h"
#include "sockets.h"

struct sockdump_status {
	bool ok[DP_COUNT];		/* protocol fully dumped */
	bool partial;
	int restarts;			/* whole-dump restarts after NLM_F_DUMP_INTR */
	uint64_t messages;
	char problem[4][300];		/* what went wrong, for the report */
	int nproblems;
	bool want_info;			/* ask for tcp_info too */
	/* input: skip the AF_INET6 dump of a protocol with no IPv6 socket in
	 * use (sockstat6 "TCP6: inuse 0"): the kernel walks the whole shared
	 * hash table for it, about 10% of a dump's cost */
	bool skip_v6[DP_COUNT];
};

/* Adds a problem (bounded; the first ones are kept) and marks st partial. */
void sockdump_problem(struct sockdump_status *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Live: dumps this network namespace.  record[DP_TCP/UDP]: NULL or files to
 * record the raw replies to.  Returns 0 if at least one protocol was dumped,
 * else -errno (st->problem says why). */
int sockdump_live(struct sockets *agg, FILE *record[DP_COUNT], struct sockdump_status *st);

/* Replay of a recorded dump of protocol proto (ss -D records TCP). */
int sockdump_replay(struct sockets *agg, const char *path, enum diag_proto proto,
		    struct sockdump_status *st);

#endif
