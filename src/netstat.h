/* netstat.h - parser for the header/value line pairs of /proc/net/netstat
 * (TcpExt, IpExt, MPTcpExt) and /proc/net/snmp (Ip, Tcp, Udp, ...).
 * Counters are found by name, never by position: kernels add counters. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_NETSTAT_H
#define SOCKMEM_NETSTAT_H

#include "util.h"

#define NETSTAT_MAX 1024

struct netstat_counter {
	char group[16];	/* "TcpExt", "Udp" */
	char name[48];	/* "TCPMemoryPressures" */
	uint64_t mag;
	bool neg;	/* snmp prints some signed values, e.g. Tcp MaxConn -1 */
};

struct netstat {
	struct netstat_counter c[NETSTAT_MAX];
	int n;
};

int netstat_parse(const char *buf, size_t len, struct netstat *out, struct parse_err *err);
/* Non-negative counter group.name, or absent. */
struct opt netstat_get(const struct netstat *s, const char *group, const char *name);

#endif
