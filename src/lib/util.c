/* util.c - checked number parsing, byte formatting and escaping helpers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void util_set_err(struct parse_err *err, int line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int util_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int util_parse_i65(const char *s, size_t len, uint64_t *mag, bool *neg)
{
	*neg = len > 0 && s[0] == '-';
	if (*neg) {
		s++;
		len--;
	}
	return util_parse_u64(s, len, mag);
}

void util_safe_token(char *dst, size_t dstsz, const char *s, size_t len)
{
	size_t o = 0, i;

	if (dstsz == 0)
		return;
	for (i = 0; i < len && o + 1 < dstsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[o++] = (char)c;
		} else {
			if (o + 5 > dstsz)
				break;
			snprintf(dst + o, dstsz - o, "\\x%02x", c);
			o += 4;
		}
	}
	dst[o] = '\0';
}

void util_human_bytes(char *dst, size_t dstsz, uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	unsigned u = 0;

	if (bytes < 1024) {
		snprintf(dst, dstsz, "%llu B", (unsigned long long)bytes);
		return;
	}
	while (v >= 1024.0 && u + 1 < ARRAY_SIZE(unit)) {
		v /= 1024.0;
		u++;
	}
	snprintf(dst, dstsz, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

void util_group_digits(char *dst, size_t dstsz, uint64_t v)
{
	char raw[32];
	size_t n, i, o = 0;

	n = (size_t)snprintf(raw, sizeof(raw), "%llu", (unsigned long long)v);
	for (i = 0; i < n && o + 1 < dstsz; i++) {
		if (i && (n - i) % 3 == 0) {
			if (o + 2 >= dstsz)
				break;
			dst[o++] = ',';
		}
		dst[o++] = raw[i];
	}
	if (dstsz)
		dst[o < dstsz ? o : dstsz - 1] = '\0';
}

uint64_t util_mul_sat(uint64_t a, uint64_t b, bool *overflow)
{
	if (a && b > UINT64_MAX / a) {
		if (overflow)
			*overflow = true;
		return UINT64_MAX;
	}
	return a * b;
}

const char *util_next_token(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *t;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end) {
		*p = s;
		return NULL;
	}
	t = s;
	while (t < end && *t != ' ' && *t != '\t')
		t++;
	*len = (size_t)(t - s);
	*p = t;
	return s;
}

int util_check_text(const char *buf, size_t len, struct parse_err *err)
{
	const char *nul = memchr(buf, '\0', len);

	if (nul) {
		int line = 1;
		const char *q;

		for (q = buf; q < nul; q++)
			line += *q == '\n';
		util_set_err(err, line, "NUL byte in text (offset %zu)", (size_t)(nul - buf));
		return -EINVAL;
	}
	if (len && buf[len - 1] != '\n') {
		int line = 1;
		size_t i;

		for (i = 0; i + 1 < len; i++)
			line += buf[i] == '\n';
		util_set_err(err, line, "truncated: last line has no newline");
		return -EINVAL;
	}
	return 0;
}

int util_text_begin(const char *buf, size_t len, struct parse_err *err)
{
	size_t i;
	int rc = util_check_text(buf, len, err);

	if (rc)
		return rc;
	for (i = 0; i < len; i++)
		if (buf[i] != '\n')
			return 0;
	util_set_err(err, 0, "empty file");
	return -EINVAL;
}

bool util_next_line(const char **p, const char *end, const char **line, size_t *line_len,
		    int *lineno)
{
	const char *s = *p, *nl;

	if (s >= end)
		return false;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		nl = end;
	*line = s;
	*line_len = (size_t)(nl - s);
	*p = nl < end ? nl + 1 : end;
	(*lineno)++;
	return true;
}

/* FNV-1a: keys are short words; any spread will do, speed matters more. */
static size_t strset_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* The slot holding [s, s + len), or the free slot where it would go. */
static struct util_strset_slot *strset_slot(const struct util_strset *set, const char *s,
					    size_t len)
{
	size_t mask = set->cap - 1, i = strset_hash(s, len) & mask;

	for (;; i = (i + 1) & mask) {
		struct util_strset_slot *e = &set->slot[i];

		if (!e->s || (e->len == len && !memcmp(e->s, s, len)))
			return e;
	}
}

int util_strset_add(struct util_strset *set, const char *s, size_t len)
{
	struct util_strset_slot *e;

	/* at most half full, so that a probe ends soon at a free slot */
	if ((set->n + 1) * 2 > set->cap) {
		struct util_strset bigger = { NULL, 0, set->cap ? set->cap * 2 : 16 };
		size_t i;

		if (bigger.cap > SIZE_MAX / 2 / sizeof(*bigger.slot))
			return -ENOMEM;
		bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
		if (!bigger.slot)
			return -ENOMEM;
		for (i = 0; i < set->cap; i++)
			if (set->slot[i].s)
				*strset_slot(&bigger, set->slot[i].s, set->slot[i].len) = set->slot[i];
		bigger.n = set->n;
		free(set->slot);
		*set = bigger;
	}
	e = strset_slot(set, s, len);
	if (e->s)
		return 1;
	e->s = s;
	e->len = len;
	set->n++;
	return 0;
}

void util_strset_clear(struct util_strset *set)
{
	if (set->slot)
		memset(set->slot, 0, set->cap * sizeof(*set->slot));
	set->n = 0;
}

void util_strset_free(struct util_strset *set)
{
	free(set->slot);
	set->slot = NULL;
	set->n = set->cap = 0;
}
