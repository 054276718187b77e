/* sockstat.h - parser for /proc/net/sockstat and /proc/net/sockstat6
 * (net/ipv4/proc.c sockstat_seq_show, net/ipv6/proc.c sockstat6_seq_show).
 * TCP/UDP "mem" is in pages; FRAG "memory" is in bytes. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SOCKSTAT_H
#define SOCKMEM_SOCKSTAT_H

#include "util.h"

/* A checked sockstat file: "NAME: key value ..." lines, kept as the text
 * itself (not copied: the text must outlive the struct) and looked up by
 * name and key.  Any number of lines and keys of any length: a newer kernel's
 * lines and keys are there for sockstat_get() and in the way of nothing. */
struct sockstat {
	const char *text;
	size_t len;
	int nlines;		/* "NAME: ..." lines */
};

/**
 * sockstat_parse() - check a sockstat file and refer to it
 * @buf: the file's text; @out points into it, so it must live as long
 * @len: its length
 * @out: the parsed file (empty on failure)
 * @err: where a failure is described
 *
 * Malformed lines, bad numbers, duplicate lines or keys and truncation are
 * errors; unknown lines and keys are not.
 * Return: 0, or -EINVAL/-ERANGE (-ENOMEM) with @err->line and @err->msg set.
 */
int sockstat_parse(const char *buf, size_t len, struct sockstat *out, struct parse_err *err);

/* Value of key on line name ("TCP", "mem"), or absent. */
struct opt sockstat_get(const struct sockstat *s, const char *name, const char *key);

#endif
