/* trend.h - growth of a usage series and the time until it crosses a
 * threshold: Theil-Sen (the median of the pairwise slopes, with the
 * quartiles as its range), not two noisy points, because sockstat moves in
 * per-CPU steps of mem_pcpu_rsv pages (include/net/proto_memory.h
 * sk_memory_allocated_add).  Pure logic: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_TREND_H
#define SOCKMEM_TREND_H

#include <stdbool.h>

struct trend {
	int samples;
	double duration_s;
	double slope, slope_lo, slope_hi;	/* pages per second */
	bool growing;				/* slope > 0 */
};

/* trend_fit() - robust slope of usage u (pages) over time t (seconds).
 * n >= 2 samples.  Return: 0, -EINVAL for n < 2 or no time span, -ENOMEM. */
int trend_fit(const double *t, const double *u, int n, struct trend *out);

/* trend_seconds_to() - seconds until usage u crosses thr (0 if already
 * above), with the range from the slope quartiles widened by the band.
 * Return: false when the usage is not growing (no estimate). */
bool trend_seconds_to(const struct trend *tr, double u, double thr, double band,
		      double *eta, double *eta_lo, double *eta_hi, bool *hi_unbounded);

#endif
