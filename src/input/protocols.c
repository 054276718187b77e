/* protocols.c - parser for /proc/net/protocols, by header column name. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
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

static const struct protocols_row *row_at(const struct protocols *p, int i)
{
	return i < PROTOCOLS_IN_PLACE ? &p->in_place[i] : &p->more[i - PROTOCOLS_IN_PLACE];
}

/* Room for one more row: the next free one, or NULL without memory. */
static struct protocols_row *row_new(struct protocols *p)
{
	int k = p->nrows - PROTOCOLS_IN_PLACE;

	if (k >= 0 && k == p->more_cap) {
		int cap = p->more_cap ? p->more_cap * 2 : PROTOCOLS_IN_PLACE;
		struct protocols_row *nm = realloc(p->more, (size_t)cap * sizeof(*nm));

		if (!nm)
			return NULL;
		p->more = nm;
		p->more_cap = cap;
	}
	return k < 0 ? &p->in_place[p->nrows] : &p->more[k];
}

void protocols_free(struct protocols *p)
{
	free(p->more);
	memset(p, 0, sizeof(*p));
}

/* Fills r from the row's tokens in the columns col[]. */
static int protocols_row_fill(struct protocols_row *r, const char *const tok[NCOLS],
			      const size_t tlen[NCOLS], int lineno, struct parse_err *err)
{
	char safe[64], sname[64];
	const char *t;
	uint64_t mag;
	size_t tl;
	bool neg;
	int rc;

	r->name = tok[COL_PROTOCOL];
	r->name_len = tlen[COL_PROTOCOL];
	util_safe_token(sname, sizeof(sname), r->name, r->name_len < 40 ? r->name_len : 40);

	/* 2.6.2x printed -1 for a protocol without sockets_allocated: not known */
	if (tlen[COL_SOCKETS] == 2 && !memcmp(tok[COL_SOCKETS], "-1", 2)) {
		r->sockets.ok = false;
		rc = 1;
	} else {
		rc = util_parse_u64(tok[COL_SOCKETS], tlen[COL_SOCKETS], &r->sockets.v);
	}
	if (rc < 0) {
		util_safe_token(safe, sizeof(safe), tok[COL_SOCKETS],
				tlen[COL_SOCKETS] < 40 ? tlen[COL_SOCKETS] : 40);
		util_set_err(err, lineno, "%s: sockets '%s' is not a count", sname, safe);
		return rc;
	}
	r->sockets.ok = rc == 0;

	rc = util_parse_i65(tok[COL_MEMORY], tlen[COL_MEMORY], &mag, &neg);
	if (rc || (neg && mag != 1)) {
		util_safe_token(safe, sizeof(safe), tok[COL_MEMORY],
				tlen[COL_MEMORY] < 40 ? tlen[COL_MEMORY] : 40);
		util_set_err(err, lineno, "%s: memory '%s' is %s", sname, safe,
			     rc == -ERANGE ? "out of range (more than 64 bits)"
					   : "not a page count or -1");
		return rc ? rc : -EINVAL;
	}
	r->has_memory = !neg;
	r->memory_pages = neg ? 0 : mag;

	t = tok[COL_PRESS];
	tl = tlen[COL_PRESS];
	if (tok_eq(t, tl, "yes"))
		r->press = PRESS_YES;
	else if (tok_eq(t, tl, "no"))
		r->press = PRESS_NO;
	else if (tok_eq(t, tl, "NI"))
		r->press = PRESS_NI;
	else {
		util_safe_token(safe, sizeof(safe), t, tl < 40 ? tl : 40);
		util_set_err(err, lineno, "%s: press '%s' is not yes, no or NI", sname, safe);
		return -EINVAL;
	}
	return 0;
}

static int protocols_rows(const char *p, const char *end, int lineno, const int col[NCOLS],
			  int maxcol, struct protocols *out, struct parse_err *err)
{
	struct util_strset names = { 0 };
	const char *l;
	size_t n;
	int rc = 0;

	while (util_next_line(&p, end, &l, &n, &lineno)) {
		const char *tok[NCOLS] = { 0 }, *q = l, *t;
		size_t tlen[NCOLS] = { 0 }, tl;
		struct protocols_row *r;
		int i, c;

		if (n == 0)
			continue;
		for (i = 0; i <= maxcol && (t = util_next_token(&q, l + n, &tl)); i++)
			for (c = 0; c < NCOLS; c++)
				if (col[c] == i) {
					tok[c] = t;
					tlen[c] = tl;
				}
		if (i <= maxcol) {
			util_set_err(err, lineno, "row has %d columns, expected at least %d", i,
				     maxcol + 1);
			rc = -EINVAL;
			break;
		}
		r = row_new(out);
		if (!r) {
			util_set_err(err, lineno, "out of memory");
			rc = -ENOMEM;
			break;
		}
		rc = protocols_row_fill(r, tok, tlen, lineno, err);
		if (rc)
			break;
		rc = util_strset_add(&names, r->name, r->name_len);
		if (rc) {
			char safe[64];

			util_safe_token(safe, sizeof(safe), r->name, r->name_len < 40 ? r->name_len : 40);
			if (rc > 0)
				util_set_err(err, lineno, "duplicate protocol '%s'", safe);
			else
				util_set_err(err, lineno, "out of memory");
			rc = rc > 0 ? -EINVAL : rc;
			break;
		}
		out->nrows++;
	}
	util_strset_free(&names);
	return rc;
}

int protocols_parse(const char *buf, size_t len, struct protocols *out, struct parse_err *err)
{
	const char *p = buf, *end = buf + len, *l, *q, *t;
	int col[NCOLS] = { -1, -1, -1, -1 }, lineno = 0, i, rc, maxcol = 0;
	size_t n, tl;

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
		if (col[i] > maxcol)
			maxcol = col[i];
	}
	rc = protocols_rows(p, end, lineno, col, maxcol, out, err);
	if (rc)
		protocols_free(out);
	return rc;
}

const struct protocols_row *protocols_find(const struct protocols *p, const char *name)
{
	int i;

	for (i = 0; i < p->nrows; i++) {
		const struct protocols_row *r = row_at(p, i);

		if (tok_eq(r->name, r->name_len, name))
			return r;
	}
	return NULL;
}
