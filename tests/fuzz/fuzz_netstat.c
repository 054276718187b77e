/* fuzz_netstat.c - libFuzzer harness: /proc/net/netstat and snmp parser. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "netstat.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct netstat *n = malloc(sizeof(*n));
	struct parse_err e;

	if (n && netstat_parse((const char *)data, size, n, &e) == 0)
		(void)netstat_get(n, "TcpExt", "TCPMemoryPressures");
	free(n);
	return 0;
}
