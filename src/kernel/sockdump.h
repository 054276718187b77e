/* sockdump.h - fills a struct sockets from the kernel (sock_diag dumps of
 * TCP and UDP, and of MPTCP and UDP-Lite, which share their counters, IPv4
 * and IPv6, all states, restarted as a whole when the kernel flags
 * NLM_F_DUMP_INTR) or from recorded dumps (ss -D format). */
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
	/* input: the TCP states to dump (DIAG_STATES_*); 0 = all */
	uint32_t tcp_states;
	/* MPTCP and UDP-Lite (diag_dumps[].shares): dumped in full, into the
	 * sums of the counter they share; else why not (a kernel without
	 * them, a recording, the BPF walk): named, not a problem */
	bool dumped[DD_COUNT];
	char not_dumped[DD_COUNT][200];
};

/* Adds a problem (bounded; the first ones are kept) and marks st partial. */
void sockdump_problem(struct sockdump_status *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Live: dumps this network namespace.  record[DP_TCP/UDP]: NULL or files to
 * record the raw replies to (MPTCP's go with TCP's, UDP-Lite's with UDP's:
 * a replay counts them in the same sums).  Returns 0 if at least one
 * protocol was dumped, else -errno (st->problem says why). */
int sockdump_live(struct sockets *agg, FILE *record[DP_COUNT], struct sockdump_status *st);

/* Live: only the MPTCP and UDP-Lite dumps, into agg (not reset): what the
 * BPF iterators, which walk the TCP and UDP tables, do not see.  A kernel
 * without them is named in st->not_dumped, not a problem.  0 or -errno. */
int sockdump_sharing(struct sockets *agg, struct sockdump_status *st);

/* Replay of a recorded dump of protocol proto (ss -D records TCP). */
int sockdump_replay(struct sockets *agg, const char *path, enum diag_proto proto,
		    struct sockdump_status *st);

#endif
