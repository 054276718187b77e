/* sockstat.c - parser for /proc/net/sockstat{,6}: "NAME: key value ..." lines. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "sockstat.h"

/* Names and keys the kernel prints: letters, digits, '_' and '-'. */
static bool sockstat_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return n > 0;
}

static bool sockstat_eq(const char *t, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(t, s, n);
}

/* Checks one line; its name goes to *name, *namelen.  keys: the caller's
 * scratch set, emptied here. */
static int sockstat_check_line(const char *l, size_t n, int lineno, const char **name,
			       size_t *namelen, struct util_strset *keys, struct parse_err *err)
{
	const char *colon = memchr(l, ':', n), *p, *end = l + n, *tok;
	char safe[64], sname[64];
	size_t tlen;
	int rc;

	if (!colon || colon == l) {
		util_safe_token(safe, sizeof(safe), l, n < 40 ? n : 40);
		util_set_err(err, lineno, "expected 'NAME: key value ...', got '%s'", safe);
		return -EINVAL;
	}
	*name = l;
	*namelen = (size_t)(colon - l);
	util_safe_token(sname, sizeof(sname), l, *namelen < 40 ? *namelen : 40);
	if (!sockstat_word(l, *namelen)) {
		util_set_err(err, lineno, "bad line name '%s'", sname);
		return -EINVAL;
	}
	util_strset_clear(keys);
	p = colon + 1;
	while ((tok = util_next_token(&p, end, &tlen))) {
		const char *val;
		size_t vlen;
		uint64_t v;

		util_safe_token(safe, sizeof(safe), tok, tlen < 40 ? tlen : 40);
		if ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' || !sockstat_word(tok, tlen)) {
			util_set_err(err, lineno, "%s: expected a key, got '%s'", sname, safe);
			return -EINVAL;
		}
		val = util_next_token(&p, end, &vlen);
		if (!val) {
			util_set_err(err, lineno, "%s: key '%s' has no value", sname, safe);
			return -EINVAL;
		}
		rc = util_strset_add(keys, tok, tlen);
		if (rc < 0) {
			util_set_err(err, lineno, "out of memory");
			return rc;
		}
		if (rc) {
			util_set_err(err, lineno, "%s: duplicate key '%s'", sname, safe);
			return -EINVAL;
		}
		rc = util_parse_u64(val, vlen, &v);
		if (rc) {
			char sval[64];

			util_safe_token(sval, sizeof(sval), val, vlen < 40 ? vlen : 40);
			util_set_err(err, lineno, "%s %s: '%s' is %s", sname, safe, sval,
				     rc == -ERANGE ? "out of range (more than 64 bits)"
				     : val[0] == '-' ? "negative" : "not a number");
			return rc;
		}
	}
	return 0;
}

int sockstat_parse(const char *buf, size_t len, struct sockstat *out, struct parse_err *err)
{
	struct util_strset names = { 0 }, keys = { 0 };
	const char *p = buf, *end = buf + len, *l, *name;
	size_t n, namelen;
	int lineno = 0, nlines = 0, rc;

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	while (!rc && util_next_line(&p, end, &l, &n, &lineno)) {
		if (n == 0)
			continue;
		rc = sockstat_check_line(l, n, lineno, &name, &namelen, &keys, err);
		if (rc)
			break;
		rc = util_strset_add(&names, name, namelen);
		if (rc) {
			char safe[64];

			util_safe_token(safe, sizeof(safe), name, namelen < 40 ? namelen : 40);
			if (rc > 0)
				util_set_err(err, lineno, "duplicate line '%s'", safe);
			else
				util_set_err(err, lineno, "out of memory");
			rc = rc > 0 ? -EINVAL : rc;
			break;
		}
		nlines++;
	}
	util_strset_free(&names);
	util_strset_free(&keys);
	if (rc)
		return rc;
	out->text = buf;
	out->len = len;
	out->nlines = nlines;
	return 0;
}

struct opt sockstat_get(const struct sockstat *s, const char *name, const char *key)
{
	struct opt none = { 0, false };
	const char *p = s->text, *end = s->text + s->len, *l;
	size_t n;
	int lineno = 0;

	if (!s->text)
		return none;
	/* the text was checked: every line is "NAME: key value ..." */
	while (util_next_line(&p, end, &l, &n, &lineno)) {
		const char *colon = n ? memchr(l, ':', n) : NULL, *q, *k, *v;
		size_t kl, vl;

		if (!colon || !sockstat_eq(l, (size_t)(colon - l), name))
			continue;
		q = colon + 1;
		while ((k = util_next_token(&q, l + n, &kl)) && (v = util_next_token(&q, l + n, &vl))) {
			uint64_t val;

			if (sockstat_eq(k, kl, key) && util_parse_u64(v, vl, &val) == 0)
				return opt_some(val);
		}
		break;			/* names are unique */
	}
	return none;
}
