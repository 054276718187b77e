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

static int sockstat_parse_line(const char *l, size_t n, int lineno, struct sockstat_line *out,
			       struct parse_err *err)
{
	const char *colon = memchr(l, ':', n), *p, *end = l + n, *tok;
	size_t tlen, namelen;
	char safe[64];
	int rc;

	if (!colon || colon == l) {
		util_safe_token(safe, sizeof(safe), l, n < 40 ? n : 40);
		util_set_err(err, lineno, "expected 'NAME: key value ...', got '%s'", safe);
		return -EINVAL;
	}
	namelen = (size_t)(colon - l);
	if (namelen >= sizeof(out->name) || !sockstat_word(l, namelen)) {
		util_safe_token(safe, sizeof(safe), l, namelen < 40 ? namelen : 40);
		util_set_err(err, lineno, "bad line name '%s'", safe);
		return -EINVAL;
	}
	memcpy(out->name, l, namelen);
	out->name[namelen] = '\0';
	out->nkv = 0;
	p = colon + 1;
	while ((tok = util_next_token(&p, end, &tlen))) {
		const char *val;
		size_t vlen;
		struct sockstat_kv *kv;
		int i;

		util_safe_token(safe, sizeof(safe), tok, tlen < 40 ? tlen : 40);
		if (tlen >= sizeof(kv->key) || (tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' ||
		    !sockstat_word(tok, tlen)) {
			util_set_err(err, lineno, "%s: expected a key, got '%s'", out->name, safe);
			return -EINVAL;
		}
		val = util_next_token(&p, end, &vlen);
		if (!val) {
			util_set_err(err, lineno, "%s: key '%s' has no value", out->name, safe);
			return -EINVAL;
		}
		for (i = 0; i < out->nkv; i++)
			if (strlen(out->kv[i].key) == tlen && !memcmp(out->kv[i].key, tok, tlen)) {
				util_set_err(err, lineno, "%s: duplicate key '%s'", out->name, safe);
				return -EINVAL;
			}
		if (out->nkv == SOCKSTAT_MAX_KEYS) {
			util_set_err(err, lineno, "%s: more than %d keys", out->name,
				     SOCKSTAT_MAX_KEYS);
			return -E2BIG;
		}
		kv = &out->kv[out->nkv];
		rc = util_parse_u64(val, vlen, &kv->v);
		if (rc) {
			char sval[64];

			util_safe_token(sval, sizeof(sval), val, vlen < 40 ? vlen : 40);
			util_set_err(err, lineno, "%s %s: '%s' is %s", out->name, safe, sval,
				     rc == -ERANGE ? "out of range (more than 64 bits)"
				     : val[0] == '-' ? "negative" : "not a number");
			return rc;
		}
		memcpy(kv->key, tok, tlen);
		kv->key[tlen] = '\0';
		out->nkv++;
	}
	return 0;
}

int sockstat_parse(const char *buf, size_t len, struct sockstat *out, struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l;
	size_t n;
	int lineno = 0, rc, i;

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	while (util_next_line(&p, end, &l, &n, &lineno)) {
		struct sockstat_line *sl;

		if (n == 0)
			continue;
		if (out->nlines == SOCKSTAT_MAX_LINES) {
			util_set_err(err, lineno, "more than %d lines", SOCKSTAT_MAX_LINES);
			return -E2BIG;
		}
		sl = &out->line[out->nlines];
		rc = sockstat_parse_line(l, n, lineno, sl, err);
		if (rc)
			return rc;
		for (i = 0; i < out->nlines; i++)
			if (!strcmp(out->line[i].name, sl->name)) {
				util_set_err(err, lineno, "duplicate line '%s'", sl->name);
				return -EINVAL;
			}
		out->nlines++;
	}
	return 0;
}

struct opt sockstat_get(const struct sockstat *s, const char *name, const char *key)
{
	struct opt none = { 0, false };
	int i, j;

	for (i = 0; i < s->nlines; i++) {
		if (strcmp(s->line[i].name, name))
			continue;
		for (j = 0; j < s->line[i].nkv; j++)
			if (!strcmp(s->line[i].kv[j].key, key))
				return opt_some(s->line[i].kv[j].v);
	}
	return none;
}
