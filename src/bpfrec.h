/* bpfrec.h - the BPF backend's records in user space: a stream of struct
 * sockiter_rec (src/bpf/sockiter.h) decoded into the struct diag_sock a
 * sock_diag reply gives, so that both backends feed the one aggregator
 * (sockets_add), and the counters read in the kernel turned into the exact
 * charge.  Pure: no I/O, built with or without libbpf. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPFREC_H
#define SOCKMEM_BPFREC_H

#include <linux/types.h>
#include <stddef.h>

#include "bpf/sockiter.h"
#include "sockets.h"

/* The TCP states a sock_diag request reports (idiag_states), shared by both
 * backends: every state, or only those that can hold charged memory. */
#define BPFREC_STATES_ALL 0xffffffffu
/* TIME-WAIT entries (and bound-only sockets, 6.8+: TCP_BOUND_INACTIVE, not
 * in the tables the iterator walks) hold no charged memory.  Requests
 * (NEW_SYN_RECV) are left in: the kernel adds them to every request that
 * asks for SYN-RECV, which a full socket can be (a Fast Open child, with
 * the data of its SYN).  Their number is bounded by the listen backlogs. */
#define BPFREC_STATES_CHARGED (~((1u << 6) | (1u << 13)))

/* One record into d as diag_parse() would fill it from the same socket. */
void bpfrec_to_diag(const struct sockiter_rec *r, struct diag_sock *d);

/* Adds the whole records in buf[0..len) to agg.  *used: bytes consumed (a
 * multiple of the record size; the rest is a record cut by the read).
 * Returns the records added, or -ENOMEM / -EBADMSG (an unknown protocol
 * byte: the program and the loader do not match). */
long bpfrec_add(struct sockets *agg, const void *buf, size_t len, size_t *used);

/* The exact charge of a protocol from what the program read: the global
 * counter plus every CPU's cache.  Returns false (and *why says why) when
 * it was not read whole. */
bool bpfrec_exact(const struct sockiter_totals *t, __s64 *pages, const char **why);

#endif
