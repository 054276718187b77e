/* tracer_none.c - the event backend when sockmem is built without BPF
 * (./configure --disable-bpf, or libbpf, clang or bpftool missing): every
 * call says so, and trace falls back to the kernel's counters. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "tracer.h"

static const char tracer_none_why[] = "sockmem was built without BPF "
				      "(./configure --disable-bpf, or no libbpf, clang or bpftool)";

int tracer_open(const struct tracer_opts *o, struct tracer_info *info, const char **why)
{
	(void)o;
	memset(info, 0, sizeof(*info));
	*why = tracer_none_why;
	return -EOPNOTSUPP;
}

void tracer_pause(bool paused)
{
	(void)paused;
}

long tracer_poll(int timeout_ms, tracer_event_cb cb, void *arg)
{
	(void)timeout_ms;
	(void)cb;
	(void)arg;
	return -EOPNOTSUPP;
}

int tracer_read_counts(struct memtrace_counts *sum)
{
	memset(sum, 0, sizeof(*sum));
	return -EOPNOTSUPP;
}

uint64_t tracer_missed(void)
{
	return 0;
}

int tracer_read_agg(struct tracer_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return -EOPNOTSUPP;
}

void tracer_close(void)
{
}
