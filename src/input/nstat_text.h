/* nstat_text.h - the kernel's SNMP counters as "nstat -az" (iproute2) and
 * "netstat -s" (net-tools) print them, turned back into the text of
 * /proc/net/netstat and /proc/net/snmp ("Group: names" / "Group: values"
 * line pairs) so that netstat_parse() reads them like the kernel's files.
 * nstat names a counter by its group and name run together
 * (TcpExtTCPMemoryPressures); netstat -s prints a sentence for the counters
 * it knows and "Name: value" for the others, and leaves out counters that
 * are zero (in TcpExt: all of them; with nstat, without -z).  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_NSTAT_TEXT_H
#define SOCKMEM_NSTAT_TEXT_H

#include "util.h"

struct nstat_text {
	char *text;		/* malloc'ed /proc/net/netstat-style text */
	size_t len;
	int ncounters;		/* counters read */
	int nskipped;		/* lines that name nothing sockmem can tell */
	bool zeros_omitted;	/* a counter not in the text may be 0 */
};

/**
 * nstat_text_parse() - read "nstat -az" (or -zas, -a) output
 * @buf: the text
 * @len: its length
 * @out: the counters as kernel text (free out->text)
 * @err: where a failure is described
 *
 * "#kernel" lines are comments; every other line is "NAME VALUE [RATE]".
 * A value that is not a number, a cut last line or no counter at all is an
 * error; a name of a group it does not know is skipped.
 * Return: 0, -EINVAL/-ERANGE with @err set, -ENOMEM.
 */
int nstat_text_parse(const char *buf, size_t len, struct nstat_text *out, struct parse_err *err);

/**
 * nstat_text_parse_netstat_s() - read "netstat -s" output
 * @buf: the text
 * @len: its length
 * @out: the counters as kernel text (free out->text); zeros_omitted is set
 * @err: where a failure is described
 *
 * Group lines ("TcpExt:") start in column 0; the counters under them are
 * the sentences of net-tools' statistics.c sockmem needs (Tcp, Udp and the
 * memory counters of TcpExt) and any "Name: value" line.  Other sentences
 * are skipped.
 * Return: 0, -EINVAL/-ERANGE with @err set, -ENOMEM.
 */
int nstat_text_parse_netstat_s(const char *buf, size_t len, struct nstat_text *out,
			       struct parse_err *err);

#endif
