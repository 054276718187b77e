/* protocols.c - parser for /proc/net/protocols, by header column name. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "protocols.h"

enum { COL_PROTOCOL, COL_SOCKETS, COL_MEMORY, COL_PRESS, NCOLS };
static const char *const col_name[NCOLS] = { "protocol", "sockets", "memory", "press" };

const char *protocols_press_name(enum press_flag f)
{
	switch (f) {
	case PRESS_NI: return "NI";
	case PRESS_NO: return "no";
	case PRESS_YES: return "yes";
	default: return "unknown";
	}
}

static bool tok_eq(const char *t, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(t, s, n);
}

int protocols_parse(const char *buf, size_t len, struct protocols *out, struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l, *q, *t;
	int col[NCOLS] = { -1, -1, -1, -1 }, lineno = 0, i, rc, maxcol = 0;
	size_t n, tl;
	char safe[64];

	memset(out, 0, sizeof(*out));
	rc = util_text_begin(buf, len, err);
	if (rc)
		return rc;
	util_next_line(&p, end, &l, &n, &lineno);
	q = l;
	for (i = 0; (t = util_next_token(&q, l + n, &tl)); i++) {
		int c;

		for (c = 0; c < NCOLS; c++)
			if (tok_eq(t, tl, col_name[c]) && col[c] < 0)
				col[c] = i;
	}
	for (i = 0; i < NCOLS; i++) {
		if (col[i] < 0) {
			util_set_err(err, 1, "header has no '%s' column", col_name[i]);
			return -EINVAL;
		}
		if (col[i] >= PROTOCOLS_MAX_COLS) {
			util_set_err(err, 1, "'%s' is column %d: more than %d columns", col_name[i],
				     col[i] + 1, PROTOCOLS_MAX_COLS);
			return -EINVAL;
		}
		if (col[i] > maxcol)
			maxcol = col[i];
	}
	while (util_next_line(&p, end, &l, &n, &lineno)) {
		struct protocols_row *r;
		const char *tok[PROTOCOLS_MAX_COLS] = { 0 };
		size_t tlen[PROTOCOLS_MAX_COLS] = { 0 };
		uint64_t mag;
		bool neg;

		if (n == 0)
			continue;
		if (out->nrows == PROTOCOLS_MAX) {
			util_set_err(err, lineno, "more than %d protocols", PROTOCOLS_MAX);
			return -E2BIG;
		}
		r = &out->row[out->nrows];
		q = l;
		for (i = 0; i <= maxcol; i++) {
			tok[i] = util_next_token(&q, l + n, &tlen[i]);
			if (!tok[i]) {
				util_set_err(err, lineno, "row has %d columns, expected at least %d", i,
					     maxcol + 1);
				return -EINVAL;
			}
		}
		if (tlen[col[COL_PROTOCOL]] >= sizeof(r->name)) {
			util_safe_token(safe, sizeof(safe), tok[col[COL_PROTOCOL]], 20);
			util_set_err(err, lineno, "protocol name '%s' too long", safe);
			return -EINVAL;
		}
		memcpy(r->name, tok[col[COL_PROTOCOL]], tlen[col[COL_PROTOCOL]]);
		r->name[tlen[col[COL_PROTOCOL]]] = '\0';

		rc = util_parse_u64(tok[col[COL_SOCKETS]], tlen[col[COL_SOCKETS]], &r->sockets.v);
		if (rc) {
			util_safe_token(safe, sizeof(safe), tok[col[COL_SOCKETS]],
					tlen[col[COL_SOCKETS]] < 40 ? tlen[col[COL_SOCKETS]] : 40);
			util_set_err(err, lineno, "%s: sockets '%s' is not a count", r->name, safe);
			return rc;
		}
		r->sockets.ok = true;

		rc = util_parse_i65(tok[col[COL_MEMORY]], tlen[col[COL_MEMORY]], &mag, &neg);
		if (rc || (neg && mag != 1)) {
			util_safe_token(safe, sizeof(safe), tok[col[COL_MEMORY]],
					tlen[col[COL_MEMORY]] < 40 ? tlen[col[COL_MEMORY]] : 40);
			util_set_err(err, lineno, "%s: memory '%s' is %s", r->name, safe,
				     rc == -ERANGE ? "out of range (more than 64 bits)"
						   : "not a page count or -1");
			return rc ? rc : -EINVAL;
		}
		r->has_memory = !neg;
		r->memory_pages = neg ? 0 : mag;

		t = tok[col[COL_PRESS]];
		tl = tlen[col[COL_PRESS]];
		if (tok_eq(t, tl, "yes"))
			r->press = PRESS_YES;
		else if (tok_eq(t, tl, "no"))
			r->press = PRESS_NO;
		else if (tok_eq(t, tl, "NI"))
			r->press = PRESS_NI;
		else {
			util_safe_token(safe, sizeof(safe), t, tl < 40 ? tl : 40);
			util_set_err(err, lineno, "%s: press '%s' is not yes, no or NI", r->name, safe);
			return -EINVAL;
		}
		for (i = 0; i < out->nrows; i++)
			if (!strcmp(out->row[i].name, r->name)) {
				util_set_err(err, lineno, "duplicate protocol '%s'", r->name);
				return -EINVAL;
			}
		out->nrows++;
	}
	return 0;
}

const struct protocols_row *protocols_find(const struct protocols *p, const char *name)
{
	int i;

	for (i = 0; i < p->nrows; i++)
		if (!strcmp(p->row[i].name, name))
			return &p->row[i];
	return NULL;
}
