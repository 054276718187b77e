/* report_sample.c - reports over time: the usage history behind the growth
 * rate and time to each threshold, counter rates between two samples, and
 * one sample of watch with its time stamps and largest holders.  Pure: the
 * caller reads the clocks and the host. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

int report_history_init(struct report_history *hi, int cap)
{
	memset(hi, 0, sizeof(*hi));
	hi->t_s = calloc((size_t)cap, sizeof(double));
	hi->usage_pages[0] = calloc((size_t)cap, sizeof(double));
	hi->usage_pages[1] = calloc((size_t)cap, sizeof(double));
	if (!hi->t_s || !hi->usage_pages[0] || !hi->usage_pages[1]) {
		report_history_free(hi);
		return -ENOMEM;
	}
	hi->cap = cap;
	return 0;
}

void report_history_free(struct report_history *hi)
{
	free(hi->t_s);
	free(hi->usage_pages[0]);
	free(hi->usage_pages[1]);
	memset(hi, 0, sizeof(*hi));
}

void report_history_add(struct report_history *hi, const struct report *r, double t_s)
{
	int p;

	if (!hi->cap)
		return;
	if (hi->n == hi->cap) {
		memmove(hi->t_s, hi->t_s + 1, (size_t)(hi->cap - 1) * sizeof(double));
		for (p = 0; p < 2; p++)
			memmove(hi->usage_pages[p], hi->usage_pages[p] + 1,
				(size_t)(hi->cap - 1) * sizeof(double));
		hi->n--;
	}
	hi->t_s[hi->n] = t_s;
	for (p = 0; p < 2; p++)
		hi->usage_pages[p][hi->n] = p < r->nproto && r->proto[p].usage_pages.ok
					    ? (double)r->proto[p].usage_pages.v : 0;
	hi->n++;
}

void report_history_trend(const struct report_history *hi, struct report *r)
{
	int p;

	if (hi->n < 2)
		return;
	for (p = 0; p < 2; p++)
		report_add_trend(r, p, hi->t_s, hi->usage_pages[p], hi->n);
}

void report_rates(struct report_rates *out, const struct report *prev, const struct report *now,
		  double seconds)
{
	int i;

	memset(out, 0, sizeof(*out));
	out->seconds = seconds;
	if (!prev || !(seconds > 0))
		return;
	for (i = 0; i < now->ncounter && i < prev->ncounter; i++) {
		const struct opt a = prev->counter[i].value, b = now->counter[i].value;

		/* a counter that went backwards (reset, wrapped) has no rate */
		if (!a.ok || !b.ok || b.v < a.v || strcmp(prev->counter[i].key, now->counter[i].key))
			continue;
		out->known[i] = true;
		out->per_s[i] = (double)(b.v - a.v) / seconds;
		out->ok = true;
	}
}

void report_sample_build(struct report_sample *s, const struct report *r, uint64_t n,
			 double interval_s, const struct report_rates *rates, const struct sockets *agg,
			 const struct timespec *now)
{
	struct sock_entry top[5];
	struct tm tm;
	int i, k;

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->n = n;
	s->interval_s = n > 1 ? interval_s : 0;
	if (rates)
		s->rates = *rates;
	s->time_unix_s = (double)now->tv_sec + now->tv_nsec / 1e9;
	gmtime_r(&now->tv_sec, &tm);
	k = (int)strftime(s->time_iso, sizeof(s->time_iso), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(s->time_iso + k, sizeof(s->time_iso) - (size_t)k, ".%03ldZ",
		 now->tv_nsec / 1000000);
	localtime_r(&now->tv_sec, &tm);
	strftime(s->time_local, sizeof(s->time_local), "%H:%M:%S", &tm);
	if (!agg)
		return;
	k = sockets_top(agg, top, 5);
	for (i = 0; i < k; i++) {
		s->top[i].e = top[i];
		s->top[i].key = sockets_group_key(agg->by, top[i].key);
	}
	s->ntop = k > 0 ? k : 0;
}
