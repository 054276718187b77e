/* sysctl_text.c - the output of sysctl -a, looked up by name. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "sysctl_text.h"

/* Splits a "name = value" line; false for any other line. */
static bool sysctl_text_split(const char *l, size_t ln, const char **name, size_t *nlen,
			      const char **val, size_t *vlen)
{
	const char *eq = memchr(l, '=', ln), *e;

	if (!eq || eq == l || eq[-1] != ' ' || l[0] == ' ' || l[0] == '\t')
		return false;
	e = eq - 1;
	while (e > l && e[-1] == ' ')
		e--;
	if (memchr(l, ' ', (size_t)(e - l)) || memchr(l, '\t', (size_t)(e - l)))
		return false;	/* a name is one word: this is a message */
	*name = l;
	*nlen = (size_t)(e - l);
	*val = eq + 1;
	while (*val < l + ln && (**val == ' ' || **val == '\t'))
		(*val)++;
	*vlen = (size_t)(l + ln - *val);
	while (*vlen && ((*val)[*vlen - 1] == ' ' || (*val)[*vlen - 1] == '\t' ||
			 (*val)[*vlen - 1] == '\r'))
		(*vlen)--;
	return true;
}

int sysctl_text_parse(const char *buf, size_t len, struct sysctl_text *out, struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l, *n, *v;
	size_t ln, nl, vl;
	int lineno = 0, rc;

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		if (sysctl_text_split(l, ln, &n, &nl, &v, &vl))
			out->nvalues++;
		else if (ln)
			out->nskipped++;
	}
	if (!out->nvalues) {
		util_set_err(err, 0, "no 'name = value' line: not the output of sysctl -a");
		return -EINVAL;
	}
	out->text = buf;
	out->len = len;
	return 0;
}

int sysctl_text_get(const struct sysctl_text *t, const char *name, const char **val, size_t *vlen,
		    int *line, struct parse_err *err)
{
	const char *p = t->text, *end = t->text + t->len, *l, *n, *v;
	size_t ln, nl, vl, want = strlen(name);
	int lineno = 0, found = 0;

	while (util_next_line(&p, end, &l, &ln, &lineno)) {
		if (!sysctl_text_split(l, ln, &n, &nl, &v, &vl) || nl != want || memcmp(n, name, nl))
			continue;
		if (!found) {
			*val = v;
			*vlen = vl;
			*line = lineno;
			found = 1;
		} else if (vl != *vlen || memcmp(v, *val, vl)) {
			util_set_err(err, lineno, "%s is given twice with different values (lines %d "
				     "and %d)", name, *line, lineno);
			return -EINVAL;
		}
	}
	return found ? 0 : -ENOENT;
}

int sysctl_text_as_file(const char *val, size_t vlen, char *out, size_t outsz)
{
	size_t i, n = 0;
	bool blank = false;

	for (i = 0; i < vlen; i++) {
		char c = val[i] == '\t' ? ' ' : val[i];

		if (c == ' ' && (blank || !n)) {
			blank = true;
			continue;
		}
		blank = c == ' ';
		if (n + 2 > outsz)
			return -ENOSPC;
		out[n++] = c;
	}
	while (n && out[n - 1] == ' ')
		n--;
	if (n + 2 > outsz)
		return -ENOSPC;
	out[n++] = '\n';
	out[n] = '\0';
	return (int)n;
}
