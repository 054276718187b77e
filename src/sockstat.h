/* sockstat.h - parser for /proc/net/sockstat and /proc/net/sockstat6
 * (net/ipv4/proc.c sockstat_seq_show, net/ipv6/proc.c sockstat6_seq_show).
 * TCP/UDP "mem" is in pages; FRAG "memory" is in bytes. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SOCKSTAT_H
#define SOCKMEM_SOCKSTAT_H

#include "util.h"

#define SOCKSTAT_MAX_LINES 32
#define SOCKSTAT_MAX_KEYS 8

struct sockstat_kv {
	char key[16];
	uint64_t v;
};

/* One "NAME: key value ..." line.  Keys are kept as the kernel spells them. */
struct sockstat_line {
	char name[16];
	struct sockstat_kv kv[SOCKSTAT_MAX_KEYS];
	int nkv;
};

struct sockstat {
	struct sockstat_line line[SOCKSTAT_MAX_LINES];
	int nlines;
};

/* Parses buf.  Unknown lines and keys are kept (and ignored by readers);
 * malformed lines, bad numbers, duplicates and truncation are errors.
 * Returns 0 or -EINVAL/-ERANGE/-E2BIG with err->line and err->msg set. */
int sockstat_parse(const char *buf, size_t len, struct sockstat *out, struct parse_err *err);

/* Value of key on line name ("TCP", "mem"), or absent. */
struct opt sockstat_get(const struct sockstat *s, const char *name, const char *key);

#endif
