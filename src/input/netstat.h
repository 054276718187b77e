/* netstat.h - parser for the header/value line pairs of /proc/net/netstat
 * (TcpExt, IpExt, MPTcpExt) and /proc/net/snmp (Ip, Tcp, Udp, ...).
 * Counters are found by name, never by position: kernels add counters. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_NETSTAT_H
#define SOCKMEM_NETSTAT_H

#include "util.h"

/* A checked netstat or snmp file, kept as the text itself (not copied: the
 * text must outlive the struct) and looked up by group and counter name.
 * Any number of groups and counters, names of any length. */
struct netstat {
	const char *text;
	size_t len;
	int n;			/* counters */
};

/**
 * netstat_parse() - check a netstat or snmp file and refer to it
 * @buf: the file's text; @out points into it, so it must live as long
 * @len: its length
 * @out: the parsed file (empty on failure)
 * @err: where a failure is described
 *
 * A header without its value line, counts that differ, bad numbers,
 * duplicate groups or counters and truncation are errors.
 * Return: 0, or -EINVAL/-ERANGE (-ENOMEM) with @err->line and @err->msg set.
 */
int netstat_parse(const char *buf, size_t len, struct netstat *out, struct parse_err *err);
/* Non-negative counter group.name, or absent. */
struct opt netstat_get(const struct netstat *s, const char *group, const char *name);

#endif
