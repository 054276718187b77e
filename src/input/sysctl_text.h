/* sysctl_text.h - reader of the output of "sysctl -a" (procps): one
 * "name = value" line per sysctl, the values of a vector separated by TABs
 * (as the kernel writes them).  sosreports keep it in
 * sos_commands/kernel/sysctl_-a, insights archives in
 * insights_commands/sysctl_-a.  Lines that are not "name = value" (sysctl's
 * own "permission denied" messages) are skipped.  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SYSCTL_TEXT_H
#define SOCKMEM_SYSCTL_TEXT_H

#include "util.h"

/* A checked sysctl -a text, kept by reference (the text must outlive it). */
struct sysctl_text {
	const char *text;
	size_t len;
	int nvalues;		/* "name = value" lines */
	int nskipped;		/* other lines */
};

/**
 * sysctl_text_parse() - check the output of sysctl -a
 * @buf: the text; @out points into it
 * @len: its length
 * @out: the checked text
 * @err: where a failure is described
 *
 * A NUL byte, a last line without its newline (the output was cut) and a
 * text without a single "name = value" line are errors.
 * Return: 0 or -EINVAL with @err set.
 */
int sysctl_text_parse(const char *buf, size_t len, struct sysctl_text *out, struct parse_err *err);

/**
 * sysctl_text_get() - the value of one sysctl
 * @t: a checked text
 * @name: "net.ipv4.tcp_mem"
 * @val: receives the value (in the text, not NUL-terminated; blanks trimmed)
 * @vlen: its length
 * @line: receives its 1-based line
 * @err: where a failure is described
 *
 * Return: 0, -ENOENT (not in the text), -EINVAL (given twice with different
 * values; @err names both lines).
 */
int sysctl_text_get(const struct sysctl_text *t, const char *name, const char **val, size_t *vlen,
		    int *line, struct parse_err *err);

/* The value as a procfs sysctl file: "V1 V2 V3\n" (TABs and runs of blanks
 * become one space).  Returns the length, or -ENOSPC. */
int sysctl_text_as_file(const char *val, size_t vlen, char *out, size_t outsz);

#endif
