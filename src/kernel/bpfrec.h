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

#include "sockiter.h"
#include "sockets.h"

/* One record into d as diag_parse() would fill it from the same socket. */
void bpfrec_to_diag(const struct sockiter_rec *r, struct diag_sock *d);

/* Adds the whole records in buf[0..len) to agg.  *used: bytes consumed (a
 * multiple of the record size; the rest is a record cut by the read).
 * Returns the records added, or -ENOMEM / -EBADMSG (an unknown protocol
 * byte: the program and the loader do not match). */
long bpfrec_add(struct sockets *agg, const void *buf, size_t len, size_t *used);

/* The aggregator's sums as sockiter_sum_add() needs them. */
void bpfrec_params(const struct sockets *agg, struct sockiter_params *par);

/* Adds what a sums-only walk summed of protocol p into agg's sums, as
 * bpfrec_add() of the same records would (agg: BY_SOCKET, no top entries). */
void bpfrec_add_sums(struct sockets *agg, enum diag_proto p, const struct sockiter_sums *k);

/* The exact charge of a protocol from what the program read: the global
 * counter plus every CPU's cache.  Returns false (and *why says why) when
 * it was not read whole. */
bool bpfrec_exact(const struct sockiter_totals *t, __s64 *pages, const char **why);

#endif
