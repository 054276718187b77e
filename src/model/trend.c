/* trend.c - Theil-Sen growth of a usage series and the time to a threshold. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "trend.h"

static int trend_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int trend_fit(const double *t, const double *u, int n, struct trend *out)
{
	double *sl;
	size_t m = 0, i, j;

	*out = (struct trend){ 0 };
	if (n < 2 || t[n - 1] <= t[0])
		return -EINVAL;
	sl = malloc((size_t)n * (size_t)(n - 1) / 2 * sizeof(*sl));
	if (!sl)
		return -ENOMEM;
	for (i = 0; i < (size_t)n; i++)
		for (j = i + 1; j < (size_t)n; j++)
			if (t[j] > t[i])
				sl[m++] = (u[j] - u[i]) / (t[j] - t[i]);
	if (!m) {
		free(sl);
		return -EINVAL;
	}
	qsort(sl, m, sizeof(*sl), trend_cmp_double);
	out->samples = n;
	out->duration_s = t[n - 1] - t[0];
	out->slope = m % 2 ? sl[m / 2] : (sl[m / 2 - 1] + sl[m / 2]) / 2;
	out->slope_lo = sl[m / 4];
	out->slope_hi = sl[(3 * m) / 4 < m ? (3 * m) / 4 : m - 1];
	out->growing = out->slope > 0;
	free(sl);
	return 0;
}

bool trend_seconds_to(const struct trend *tr, double u, double thr, double band,
		      double *eta, double *eta_lo, double *eta_hi, bool *hi_unbounded)
{
	double d = thr - u;

	*hi_unbounded = false;
	if (d < 0) {
		*eta = *eta_lo = *eta_hi = 0;
		return true;
	}
	if (!tr->growing)
		return false;
	*eta = d / tr->slope;
	*eta_lo = (d - band > 0 ? d - band : 0) / (tr->slope_hi > 0 ? tr->slope_hi : tr->slope);
	if (tr->slope_lo > 0) {
		*eta_hi = (d + band) / tr->slope_lo;
	} else {
		*eta_hi = 0;
		*hi_unbounded = true;
	}
	return true;
}
