/* bpfiter_none.c - the BPF backend when sockmem is built without libbpf
 * (./configure --disable-bpf, or libbpf, clang or bpftool missing): every
 * call says so, and the per-socket pass stays on sock_diag. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "bpfiter.h"

static const char bpfiter_none_why[] = "sockmem was built without the BPF backend "
				       "(./configure --disable-bpf, or libbpf-dev, clang "
				       "or bpftool missing)";

int bpfiter_open(const char **why)
{
	*why = bpfiter_none_why;
	return -EOPNOTSUPP;
}

void bpfiter_close(void)
{
}

int bpfiter_walk(struct sockets *agg, const struct bpfiter_req *q, struct sockdump_status *st,
		 struct sockiter_totals tot[DP_COUNT])
{
	(void)agg;
	(void)q;
	(void)st;
	memset(tot, 0, sizeof(*tot) * DP_COUNT);
	return -EOPNOTSUPP;
}

int bpfiter_totals(struct sockiter_totals tot[DP_COUNT], const char **why)
{
	memset(tot, 0, sizeof(*tot) * DP_COUNT);
	return bpfiter_open(why);
}
