/* report_advise.c - the report of "sockmem advise" (report_advise.h). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report_advise.h"

void report_advise_slow(struct advise_in *in, const struct report_top *t)
{
	int k;

	in->nslow = 0;
	for (k = 0; k < t->n && in->nslow < (int)ARRAY_SIZE(in->slow); k++) {
		const struct top_row *w = &t->row[k];
		struct advise_slow *s;

		if (!w->e.slow_readers)
			continue;
		s = &in->slow[in->nslow++];
		if (t->by == BY_PROCESS)
			snprintf(s->who, sizeof(s->who), "pid %llu (%s)", (unsigned long long)w->key.id,
				 w->comm);
		else
			snprintf(s->who, sizeof(s->who), "%s port %u", diag_proto_name(w->key.proto),
				 w->key.port);
		s->sockets = w->e.count;
		s->slow = w->e.slow_readers;
		s->drops = w->e.mem[DM_DROPS];
		s->charged_bytes = w->e.charged_bytes;
	}
}

void report_advise_rates(struct advise_in *in, const struct report *first,
			 const struct report *last, double seconds)
{
	struct report_rates rt;
	int i;

	report_rates(&rt, first, last, seconds);
	in->rates.ok = true;
	in->rates.seconds = seconds;
	for (i = 0; i < first->nproto; i++)
		if (!strcmp(first->proto[i].def->key, "tcp"))
			in->rates.tcp_usage_first_pages = first->proto[i].usage_pages;
	for (i = 0; i < last->ncounter && i < (int)ARRAY_SIZE(in->rates.per_s); i++)
		in->rates.per_s[i] = rt.known[i] ? rt.per_s[i] : 0;
}

/* The fix j of finding i proposed by a more urgent finding before it
 * (findings are sorted): the earlier one, or NULL. */
static const struct sysctl_change *report_advise_earlier(const struct finding *f, int i, int j)
{
	int k, l;

	for (k = 0; k <= i; k++)
		for (l = 0; f[k].sev != SEV_INFO && l < (k == i ? j : f[k].nfix); l++)
			if (f[k].fix[l].id == f[i].fix[j].id)
				return &f[k].fix[l];
	return NULL;
}

void report_advise_build(struct report_advise *a, const struct advise_in *in, struct finding *f,
			 bool partial, int fail_on)
{
	int i, j;

	memset(a, 0, sizeof(*a));
	a->h = in->h;
	a->r = in->r;
	a->f = f;
	a->partial = partial;
	a->n = rules_run(in, f, RULES_MAX_FINDINGS);
	for (i = 0; i < a->n; i++) {
		a->count[f[i].sev]++;
		if (fail_on >= 0 && (int)f[i].sev >= fail_on)
			a->check_failed = true;
		for (j = 0; j < f[i].nfix; j++) {
			const struct sysctl_change *e;

			if (f[i].sev == SEV_INFO) {
				/* information, not a change to make on every host */
				a->line[i][j] = ADVISE_LINE_INFO;
				a->sysctl_info_skipped++;
			} else if (in->h->netns_child && host_sysctl[f[i].fix[j].id].scope == SCOPE_HOST) {
				/* a file for this namespace must not set what only
				 * the initial one can (first-user 29) */
				a->line[i][j] = ADVISE_LINE_HOST_ONLY;
				a->sysctl_host_only++;
			} else if ((e = report_advise_earlier(f, i, j))) {
				/* one line per sysctl: the most urgent finding's */
				a->line[i][j] = memcmp(e->v, f[i].fix[j].v, sizeof(e->v))
						? ADVISE_LINE_OTHER_ABOVE : ADVISE_LINE_SET_ABOVE;
			} else {
				a->line[i][j] = ADVISE_LINE_SET;
				a->sysctl_lines++;
			}
		}
	}
}
