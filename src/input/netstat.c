/* netstat.c - header/value pair parser for /proc/net/netstat and /proc/net/snmp. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "netstat.h"

/* "Group:" at the start of l: returns the length of the group, or -EINVAL. */
static int netstat_prefix(const char *l, size_t n, int lineno, struct parse_err *err)
{
	const char *colon = memchr(l, ':', n);
	char safe[64];

	if (!colon || colon == l || memchr(l, ' ', (size_t)(colon - l)) ||
	    memchr(l, '\t', (size_t)(colon - l))) {
		util_safe_token(safe, sizeof(safe), l, n < 40 ? n : 40);
		util_set_err(err, lineno, "expected 'Group: ...', got '%s'", safe);
		return -EINVAL;
	}
	return (int)(colon - l);
}

static bool netstat_eq(const char *t, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(t, s, n);
}

/* Checks one header/value pair of the group that is the first gl bytes of
 * both: hl is the header (line hline), vl the values (line vline).  names:
 * the caller's scratch set, emptied here. */
static int netstat_check_pair(size_t gl, const char *hl, size_t hn, int hline, const char *vl,
			      size_t vn, int vline, struct util_strset *names, int *ncounters,
			      struct parse_err *err)
{
	const char *hp = hl + gl + 1, *vp = vl + gl + 1, *ht, *vt;
	size_t htl, vtl;
	char sg[64], safe[64];
	int count = 0, rc;

	util_safe_token(sg, sizeof(sg), hl, gl < 40 ? gl : 40);
	util_strset_clear(names);
	while ((ht = util_next_token(&hp, hl + hn, &htl))) {
		uint64_t mag;
		bool neg;

		count++;
		vt = util_next_token(&vp, vl + vn, &vtl);
		if (!vt) {
			util_set_err(err, vline, "%s: fewer values than names (no value for name %d)",
				     sg, count);
			return -EINVAL;
		}
		util_safe_token(safe, sizeof(safe), ht, htl < 40 ? htl : 40);
		rc = util_parse_i65(vt, vtl, &mag, &neg);
		if (rc) {
			char sval[64];

			util_safe_token(sval, sizeof(sval), vt, vtl < 40 ? vtl : 40);
			util_set_err(err, vline, "%s %s: '%s' is %s", sg, safe, sval,
				     rc == -ERANGE ? "out of range (more than 64 bits)" : "not a number");
			return rc;
		}
		rc = util_strset_add(names, ht, htl);
		if (rc < 0) {
			util_set_err(err, hline, "out of memory");
			return rc;
		}
		if (rc) {
			util_set_err(err, hline, "%s: duplicate counter '%s'", sg, safe);
			return -EINVAL;
		}
	}
	if (util_next_token(&vp, vl + vn, &vtl)) {
		util_set_err(err, vline, "%s: more values than names (%d names)", sg, count);
		return -EINVAL;
	}
	*ncounters += count;
	return 0;
}

int netstat_parse(const char *buf, size_t len, struct netstat *out, struct parse_err *err)
{
	struct util_strset groups = { 0 }, names = { 0 };
	const char *p = buf, *end = buf + len, *hl, *vl;
	size_t hn, vn;
	int lineno = 0, n = 0, rc;

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	while (!rc && util_next_line(&p, end, &hl, &hn, &lineno)) {
		int gl, gl2, hline = lineno;
		char sg[64];

		if (hn == 0)
			continue;
		gl = netstat_prefix(hl, hn, lineno, err);
		if (gl < 0) {
			rc = gl;
			break;
		}
		util_safe_token(sg, sizeof(sg), hl, gl < 40 ? (size_t)gl : 40);
		if (!util_next_line(&p, end, &vl, &vn, &lineno)) {
			util_set_err(err, hline, "%s: header line has no value line", sg);
			rc = -EINVAL;
			break;
		}
		gl2 = netstat_prefix(vl, vn, lineno, err);
		if (gl2 < 0) {
			rc = gl2;
			break;
		}
		if (gl != gl2 || memcmp(hl, vl, (size_t)gl)) {
			char sg2[64];

			util_safe_token(sg2, sizeof(sg2), vl, gl2 < 40 ? (size_t)gl2 : 40);
			util_set_err(err, lineno, "value line '%s' does not follow header '%s'", sg2, sg);
			rc = -EINVAL;
			break;
		}
		rc = util_strset_add(&groups, hl, (size_t)gl);
		if (rc) {
			if (rc > 0)
				util_set_err(err, hline, "duplicate group '%s'", sg);
			else
				util_set_err(err, hline, "out of memory");
			rc = rc > 0 ? -EINVAL : rc;
			break;
		}
		rc = netstat_check_pair((size_t)gl, hl, hn, hline, vl, vn, lineno, &names, &n, err);
	}
	util_strset_free(&groups);
	util_strset_free(&names);
	if (rc)
		return rc;
	out->text = buf;
	out->len = len;
	out->n = n;
	return 0;
}

struct opt netstat_get(const struct netstat *s, const char *group, const char *name)
{
	struct opt none = { 0, false };
	const char *p = s->text, *end = s->text + s->len, *hl, *vl;
	size_t hn, vn;
	int lineno = 0;

	if (!s->text)
		return none;
	/* the text was checked: "Group: names" and "Group: values" in pairs */
	while (util_next_line(&p, end, &hl, &hn, &lineno)) {
		const char *hp, *vp, *ht, *vt;
		size_t gl, htl, vtl;

		if (hn == 0)
			continue;
		if (!util_next_line(&p, end, &vl, &vn, &lineno))
			break;
		gl = (size_t)((const char *)memchr(hl, ':', hn) - hl);
		if (!netstat_eq(hl, gl, group))
			continue;
		hp = hl + gl + 1;
		vp = vl + gl + 1;
		while ((ht = util_next_token(&hp, hl + hn, &htl)) &&
		       (vt = util_next_token(&vp, vl + vn, &vtl))) {
			uint64_t mag;
			bool neg;

			if (netstat_eq(ht, htl, name))
				return util_parse_i65(vt, vtl, &mag, &neg) == 0 && !neg ? opt_some(mag)
											: none;
		}
		break;			/* groups are unique */
	}
	return none;
}
