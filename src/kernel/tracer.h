/* tracer.h - the event backend of "sockmem trace": the programs of
 * src/bpf/memtrace.bpf.c on sock:sock_exceed_buf_limit and skb:kfree_skb
 * (memory reasons only), and, when this kernel lets them attach, those of
 * src/bpf/mempress.bpf.c on TCP's memory pressure and aborts on memory
 * (fentry/fexit), each loaded as a light skeleton (5.17+; before, as a
 * regular skeleton through libbpf, opened then), their ring buffer read
 * by hand, their per-CPU counters and aggregation map read with the bpf()
 * system call.  Nothing is pinned: the programs go away with the
 * file descriptors, on every exit path.  Built without BPF (./configure
 * --disable-bpf), tracer_open() fails with -EOPNOTSUPP and says why.
 * Returns 0 or -errno; never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_TRACER_H
#define SOCKMEM_TRACER_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memtrace.h"

struct tracer_opts {
	uint32_t netns_ino;		/* only this network namespace; 0: every one */
	uint16_t protocol;		/* only this sk_protocol (IPPROTO_*); 0: every one */
	bool every_event;		/* line mode: every event into the ring, not only
					 * the first of each (cgroup, socket, event) */
	uint64_t possible_cpus;		/* the per-CPU counters' width; 0: unknown */
};

/* What this kernel gave the programs. */
struct tracer_info {
	const char *loader;		/* "light skeleton" (5.17+) or "libbpf vX.Y" */
	bool drops;			/* the kfree_skb program is attached (5.17+: the
					 * tracepoint has the drop reason) */
	bool rx_sk;			/* kfree_skb names the receiving socket (6.11+) */
	int32_t reason_value[MEMTRACE_NREASONS];	/* enum skb_drop_reason, -1: absent */
	bool press;			/* the pressure and abort programs are attached */
	const char *press_why;		/* why not (a sentence), NULL when they are */
};

/* One entry of the aggregation map. */
struct tracer_entry {
	struct memtrace_key key;
	struct memtrace_val val;
};

/* Loads, probes and attaches the programs, paused (the first call; the
 * command calls it once).  *why: a sentence when it fails. */
int tracer_open(const struct tracer_opts *o, struct tracer_info *info, const char **why);
/* Opens or closes the window: paused, the programs count nothing (attached
 * paused, so that the counters can be read before the first event). */
void tracer_pause(bool paused);
/* Waits up to timeout_ms for ring records and hands each to cb.  Returns
 * the records read, 0 on a timeout or a signal (EINTR), or -errno. */
typedef void (*tracer_event_cb)(const struct memtrace_event *e, void *arg);
long tracer_poll(int timeout_ms, tracer_event_cb cb, void *arg);
/* The per-CPU counters, summed. */
int tracer_read_counts(struct memtrace_counts *sum);
/* The events the kernel did not run the programs for (recursion misses:
 * an event nested in another on the same CPU), 0 when unknown. */
uint64_t tracer_missed(void);
/* The aggregation map (*out malloc'ed, *n entries), with the counts still
 * pending per CPU added (read it paused). */
int tracer_read_agg(struct tracer_entry **out, size_t *n);
/* Detaches and unloads everything (idempotent). */
void tracer_close(void);

#endif
