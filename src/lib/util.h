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

/**
 * util_text_begin() - the start of every parser of a kernel text file
 * @buf: the file's bytes
 * @len: their number
 * @err: where a failure is described
 *
 * util_check_text(), and a file with nothing but newlines is "empty file"
 * (line 0): procfs never writes one, so it was cut or is not the file meant.
 * Return: 0, or -EINVAL with @err set.
 */
int util_text_begin(const char *buf, size_t len, struct parse_err *err);

/* Line iterator: line and line_len get the next line without its newline.
 * Returns false at the end.  *lineno counts from 1. */
bool util_next_line(const char **p, const char *end, const char **line, size_t *line_len,
		    int *lineno);

/* A set of byte strings that stay where they are (in the parsed text: not
 * copied), to find a duplicate key in one pass however many keys a file has.
 * Start from { 0 }; util_strset_free() when done. */
struct util_strset_slot {
	const char *s;		/* NULL: free slot */
	size_t len;
};
struct util_strset {
	struct util_strset_slot *slot;
	size_t n, cap;
};
/* Adds [s, s + len): 0 if it is new, 1 if it was already there, -ENOMEM. */
int util_strset_add(struct util_strset *set, const char *s, size_t len);
/* Empties the set and keeps its memory for the next use. */
void util_strset_clear(struct util_strset *set);
void util_strset_free(struct util_strset *set);
#endif
