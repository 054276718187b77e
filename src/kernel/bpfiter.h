/* bpfiter.h - the BPF backend (libbpf): the socket iterators of
 * src/bpf/sockiter.bpf.c, loaded once per process, walk the TCP and UDP
 * sockets of the calling thread's network namespace into the aggregator
 * (the same struct sockets as a sock_diag dump), and read each protocol's
 * charge counter exactly (memory_allocated + every CPU's cache).  Built
 * without libbpf (./configure --disable-bpf), every call fails with
 * -EOPNOTSUPP.  Returns 0 or -errno and a reason; never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPFITER_H
#define SOCKMEM_BPFITER_H

#include "bpfrec.h"
#include "sockdump.h"

struct bpfiter_req {
	__u32 tcp_states;		/* idiag_states: DIAG_STATES_ALL or _CHARGED */
	bool skip_v6[DP_COUNT];		/* as sockdump_status.skip_v6 */
	/* the identity of each socket (cookie, addresses, uid, inode, cgroup,
	 * queues): only top by socket, process or cgroup needs it; without
	 * it a record has its protocol, state, local port and meminfo */
	bool want_ids;
};

/* Loads and attaches the iterators (the first call; later calls return
 * the first result).  *why: a sentence on failure. */
int bpfiter_open(const char **why);
/* Releases them (at exit). */
void bpfiter_close(void);

/* Walks this network namespace's sockets into agg (not reset here) and
 * reads the counters at the end of each protocol's walk into tot.
 * st->ok[] and st->messages (records read) are set as sockdump_live sets
 * them; a failure is a problem in st. */
int bpfiter_walk(struct sockets *agg, const struct bpfiter_req *q, struct sockdump_status *st,
		 struct sockiter_totals tot[DP_COUNT]);

/* Reads only the counters: the iterators stop at the first full socket.
 * A protocol with no socket in this namespace is reached through an
 * anchor opened for the read (a TCP listener or a UDP socket on
 * 127.0.0.1, port 0, IP_FREEBIND: never reachable from outside). */
int bpfiter_totals(struct sockiter_totals tot[DP_COUNT], const char **why);

#endif
