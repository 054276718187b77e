/* tpcount.h - trace's events counted without BPF: perf_event_open on the
 * same tracepoints (PERF_TYPE_TRACEPOINT, the id from tracefs
 * events/SYSTEM/NAME/id), one counting event per CPU and per (tracepoint,
 * filter): sock:sock_exceed_buf_limit by direction (kind == 0 / 1),
 * skb:kfree_skb by memory reason (reason == its value, read from the
 * tracepoint's own format).  Counts only: no socket, process or namespace
 * (attribution level "counts").  Needs CAP_PERFMON (or root) and tracefs
 * mounted.  Returns 0 or -errno; never prints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_TPCOUNT_H
#define SOCKMEM_TPCOUNT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memtrace.h"

struct tpcount_info {
	char tracefs[64];		/* where the ids were read */
	bool kind;			/* refusals split by direction (the kind field) */
	bool reasons;			/* kfree_skb has a reason field: drops counted */
	bool protocol_filtered;		/* refusals of one protocol only (the name field) */
	int32_t reason_value[MEMTRACE_NREASONS];	/* -1: absent from this kernel */
	int ncpus;			/* the CPUs counted on */
};

/* The reasons' values in a kfree_skb format file's print fmt
 * ("{ 6, \"SOCKET_RCVBUFF\" }"): -1 for the absent. */
void tpcount_parse_reasons(const char *format, int32_t out[MEMTRACE_NREASONS]);

/* Opens the counters, disabled (protocol: "tcp", "udp", ... or NULL for
 * every one).  *why: a sentence when it fails. */
int tpcount_open(const char *protocol, struct tpcount_info *info, const char **why);
void tpcount_enable(bool on);
/* The counts so far into sum->events (the rest zero). */
int tpcount_read(struct memtrace_counts *sum);
void tpcount_close(void);

#endif
