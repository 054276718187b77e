/* netstat.c - header/value pair parser for /proc/net/netstat and /proc/net/snmp. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "netstat.h"

static int netstat_prefix(const char *l, size_t n, int lineno, char *group, size_t gsz,
			  struct parse_err *err)
{
	const char *colon = memchr(l, ':', n);
	char safe[64];

	if (!colon || colon == l || (size_t)(colon - l) >= gsz || memchr(l, ' ', (size_t)(colon - l))) {
		util_safe_token(safe, sizeof(safe), l, n < 40 ? n : 40);
		util_set_err(err, lineno, "expected 'Group: ...', got '%s'", safe);
		return -EINVAL;
	}
	memcpy(group, l, (size_t)(colon - l));
	group[colon - l] = '\0';
	return (int)(colon - l) + 1;
}

int netstat_parse(const char *buf, size_t len, struct netstat *out, struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *hl, *vl;
	size_t hn, vn;
	int lineno = 0, rc;

	out->n = 0;
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &hl, &hn, &lineno)) {
		char g1[16], g2[16], safe[64];
		const char *hp, *vp, *ht, *vt;
		size_t htl, vtl;
		int off1, off2, i, first = out->n, names = 0, hline = lineno;

		if (hn == 0)
			continue;
		off1 = netstat_prefix(hl, hn, lineno, g1, sizeof(g1), err);
		if (off1 < 0)
			return off1;
		if (!util_next_line(&p, end, &vl, &vn, &lineno)) {
			util_set_err(err, hline, "%s: header line has no value line", g1);
			return -EINVAL;
		}
		off2 = netstat_prefix(vl, vn, lineno, g2, sizeof(g2), err);
		if (off2 < 0)
			return off2;
		if (strcmp(g1, g2)) {
			util_set_err(err, lineno, "value line '%s' does not follow header '%s'", g2, g1);
			return -EINVAL;
		}
		for (i = 0; i < first; i++)
			if (!strcmp(out->c[i].group, g1)) {
				util_set_err(err, hline, "duplicate group '%s'", g1);
				return -EINVAL;
			}
		hp = hl + off1;
		vp = vl + off2;
		while ((ht = util_next_token(&hp, hl + hn, &htl))) {
			struct netstat_counter *c;

			names++;
			vt = util_next_token(&vp, vl + vn, &vtl);
			if (!vt) {
				util_set_err(err, lineno, "%s: fewer values than names (no value for name %d)",
					     g1, names);
				return -EINVAL;
			}
			if (out->n == NETSTAT_MAX) {
				util_set_err(err, hline, "more than %d counters", NETSTAT_MAX);
				return -E2BIG;
			}
			c = &out->c[out->n];
			util_safe_token(safe, sizeof(safe), ht, htl < 40 ? htl : 40);
			if (htl >= sizeof(c->name)) {
				util_set_err(err, hline, "%s: counter name '%s' too long", g1, safe);
				return -EINVAL;
			}
			rc = util_parse_i65(vt, vtl, &c->mag, &c->neg);
			if (rc) {
				char sval[64];

				util_safe_token(sval, sizeof(sval), vt, vtl < 40 ? vtl : 40);
				util_set_err(err, lineno, "%s %s: '%s' is %s", g1, safe, sval,
					     rc == -ERANGE ? "out of range (more than 64 bits)"
							   : "not a number");
				return rc;
			}
			memcpy(c->name, ht, htl);
			c->name[htl] = '\0';
			strcpy(c->group, g1);
			for (i = first; i < out->n; i++)
				if (!strcmp(out->c[i].name, c->name)) {
					util_set_err(err, hline, "%s: duplicate counter '%s'", g1, safe);
					return -EINVAL;
				}
			out->n++;
		}
		if (util_next_token(&vp, vl + vn, &vtl)) {
			util_set_err(err, lineno, "%s: more values than names (%d names)", g1, names);
			return -EINVAL;
		}
	}
	return 0;
}

struct opt netstat_get(const struct netstat *s, const char *group, const char *name)
{
	struct opt none = { 0, false };
	int i;

	for (i = 0; i < s->n; i++)
		if (!s->c[i].neg && !strcmp(s->c[i].name, name) && !strcmp(s->c[i].group, group))
			return opt_some(s->c[i].mag);
	return none;
}
