/* report_check.c - "sockmem check": the verdict and the one line for
 * node-problem-detector, per condition, from the report (and advise's
 * findings).  Pure. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_check.h"

const char *const check_condition_name[CHECK_COUNT] = {
	"findings", "tcp-pressure", "tcp-over-limit", "tcp-abort-on-memory",
};

/* The line: fmt's text, then "; pod UID" when the pod is known and fits
 * (the whole UID, or its first 8 digits), cut to CHECK_LINE_MAX bytes with
 * "..." when longer; one line whatever a summary holds. */
static void check_line(struct report_check *c, const struct report_pod *pod, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check_line(struct report_check *c, const struct report_pod *pod, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	size_t n, i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	if (pod && pod->found) {
		if (n + strlen("; pod ") + strlen(pod->uid) <= CHECK_LINE_MAX)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "; pod %s", pod->uid);
		else if (n + strlen("; pod ") + 8 <= CHECK_LINE_MAX)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "; pod %.8s", pod->uid);
	}
	for (i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r')
			buf[i] = ' ';
	if (n > CHECK_LINE_MAX) {
		memcpy(buf + CHECK_LINE_MAX - 3, "...", 3);
		n = CHECK_LINE_MAX;
	}
	memcpy(c->line, buf, n);
	c->line[n] = '\0';
}

static const struct proto_report *check_tcp(const struct report *r)
{
	int i;

	for (i = 0; r && i < r->nproto; i++)
		if (!strcmp(r->proto[i].def->key, "tcp"))
			return &r->proto[i];
	return NULL;
}

/* "TCP pressure: 9.77 MiB of 11.7 MiB tcp_mem[1] (83%)" */
static void check_tcp_line(struct report_check *c, const struct check_in *in,
			   const struct proto_report *p, int limit)
{
	char use[32], lim[32];

	if (!p->usage_bytes.ok || !p->limits_ok || !p->m.pct_ok) {
		check_line(c, &in->pod, "TCP %s; tcp_mem %s", model_state_name(p->m.state),
			   p->limits_why ? p->limits_why : "not known");
		return;
	}
	util_human_bytes(use, sizeof(use), p->usage_bytes.v);
	util_human_bytes(lim, sizeof(lim), p->limit_bytes[limit]);
	check_line(c, &in->pod, "TCP %s: %s of %s tcp_mem[%d] (%.0f%%)", model_state_name(p->m.state),
		   use, lim, limit, p->m.pct[limit]);
}

static void check_findings(struct report_check *c, const struct check_in *in)
{
	const struct report_advise *a = in->a;
	const struct proto_report *p = check_tcp(in->r);
	int i, same = 0;

	if (a->check_failed) {
		/* the most urgent finding's own summary says the most */
		const struct finding *f = &a->f[0];

		for (i = 1; i < a->n; i++)
			same += a->f[i].sev == f->sev;
		c->verdict = CHECK_PROBLEM;
		if (same)
			check_line(c, &in->pod, "%s %s (+%d): %s", rules_sev_name(f->sev), f->id, same,
				   f->summary);
		else
			check_line(c, &in->pod, "%s %s: %s", rules_sev_name(f->sev), f->id, f->summary);
		return;
	}
	c->verdict = a->partial ? CHECK_UNKNOWN : CHECK_OK;
	if (p && p->m.pct_ok)
		check_line(c, NULL, "%s: %d crit, %d warn, %d info; TCP %s, %.1f%% of tcp_mem[1]",
			   a->partial ? "partial" : "ok", a->count[SEV_CRIT], a->count[SEV_WARN],
			   a->count[SEV_INFO], model_state_name(p->m.state), p->m.pct[1]);
	else
		check_line(c, NULL, "%s: %d crit, %d warn, %d info", a->partial ? "partial" : "ok",
			   a->count[SEV_CRIT], a->count[SEV_WARN], a->count[SEV_INFO]);
}

void report_check_build(struct report_check *c, const struct check_in *in)
{
	const struct proto_report *p = check_tcp(in->r);

	memset(c, 0, sizeof(*c));
	c->verdict = CHECK_UNKNOWN;
	if (!in->r) {
		check_line(c, NULL, "unknown: %s", in->why ? in->why : "no report");
		return;
	}
	switch (in->cond) {
	case CHECK_FINDINGS:
		if (!p || p->m.state == MS_UNKNOWN)
			break;	/* the rules cannot judge what they cannot place */
		check_findings(c, in);
		return;
	case CHECK_TCP_PRESSURE:
		if (!p || p->m.state == MS_UNKNOWN)
			break;
		/* over max is the other reason of the same condition */
		c->verdict = p->m.state == MS_PRESSURE ? CHECK_PROBLEM : CHECK_OK;
		check_tcp_line(c, in, p, 1);
		return;
	case CHECK_TCP_OVER_LIMIT:
		if (!p || !p->limits_ok || !p->usage_pages.ok)
			break;
		c->verdict = p->m.state == MS_OVER_LIMIT ? CHECK_PROBLEM : CHECK_OK;
		check_tcp_line(c, in, p, 2);
		return;
	case CHECK_TCP_ABORT:
		if (!in->aborts.ok) {
			check_line(c, NULL, "unknown: TcpExt TCPAbortOnMemory not readable");
			return;
		}
		c->store_aborts = true;
		c->verdict = CHECK_OK;
		if (!in->aborts_prev.ok) {
			check_line(c, NULL, "TCPAbortOnMemory %llu since boot (first check)",
				   (unsigned long long)in->aborts.v);
			return;
		}
		if (in->aborts.v < in->aborts_prev.v) {
			/* went back: a reboot, or another network namespace's counter */
			check_line(c, NULL, "TCPAbortOnMemory %llu (was %llu: counter reset)",
				   (unsigned long long)in->aborts.v,
				   (unsigned long long)in->aborts_prev.v);
			return;
		}
		if (in->aborts.v == in->aborts_prev.v) {
			check_line(c, NULL, "no new TCPAbortOnMemory (%llu since boot)",
				   (unsigned long long)in->aborts.v);
			return;
		}
		c->verdict = CHECK_PROBLEM;
		check_line(c, &in->pod, "TCPAbortOnMemory +%llu: connections reset for lack of memory",
			   (unsigned long long)(in->aborts.v - in->aborts_prev.v));
		return;
	default:
		break;
	}
	/* the state cannot be placed: a container's network namespace, no tcp_mem */
	if (in->r->h && in->r->h->netns_child)
		check_line(c, NULL, "unknown: tcp_mem is not visible from this network namespace "
			   "(use hostNetwork)");
	else
		check_line(c, NULL, "unknown: TCP %s (%s)", p ? model_state_name(p->m.state) : "absent",
			   p && p->limits_why ? p->limits_why
			   : p && p->m.note ? p->m.note : "no TCP figures");
}
