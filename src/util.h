/* util.h - small shared helpers: checked number parsing, optional values,
 * human-readable byte formatting and terminal-safe strings.  No I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_UTIL_H
#define SOCKMEM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A value that may be absent: absent renders as "-" in text, null in JSON. */
struct opt {
	uint64_t v;
	bool ok;
};

static inline struct opt opt_some(uint64_t v)
{
	struct opt o = { v, true };
	return o;
}

/* Where parsing failed: 1-based line (0 = whole file) and a reason. */
struct parse_err {
	int line;
	char msg[160];
};

void util_set_err(struct parse_err *err, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parse a whole token [s, s+len) as an unsigned decimal that fits 64 bits.
 * Returns 0, -EINVAL (not a number, or negative) or -ERANGE (too large). */
int util_parse_u64(const char *s, size_t len, uint64_t *out);
/* Same, allowing one leading '-': *neg tells the sign, *mag the magnitude. */
int util_parse_i65(const char *s, size_t len, uint64_t *mag, bool *neg);

/* Copy at most len bytes of a token into dst (size dstsz) with control and
 * non-ASCII bytes escaped as \xNN, so that file content never reaches a
 * terminal raw.  Always NUL-terminates. */
void util_safe_token(char *dst, size_t dstsz, const char *s, size_t len);

/* "1.46 GiB", "72.0 KiB", "512 B" */
void util_human_bytes(char *dst, size_t dstsz, uint64_t bytes);
/* 1234567 -> "1,234,567" */
void util_group_digits(char *dst, size_t dstsz, uint64_t v);

/* Saturating multiply (pages x page size); sets *overflow when it saturates. */
uint64_t util_mul_sat(uint64_t a, uint64_t b, bool *overflow);

/* Tokenizer over a line: returns next whitespace-separated token or NULL. */
const char *util_next_token(const char **p, const char *end, size_t *len);


/* Checks that buf is text as procfs writes it: no NUL byte and, unless it is
 * empty, a final newline (a missing one means the file was cut mid-line).
 * Returns 0 or -EINVAL with err set. */
int util_check_text(const char *buf, size_t len, struct parse_err *err);

/* Line iterator: line and line_len get the next line without its newline.
 * Returns false at the end.  *lineno counts from 1. */
bool util_next_line(const char **p, const char *end, const char **line, size_t *line_len,
		    int *lineno);
#endif
