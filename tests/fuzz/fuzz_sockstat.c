/* fuzz_sockstat.c - libFuzzer harness: /proc/net/sockstat{,6} parser. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "sockstat.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sockstat *s = malloc(sizeof(*s));
	struct parse_err e;

	if (s && sockstat_parse((const char *)data, size, s, &e) == 0)
		(void)sockstat_get(s, "TCP", "mem");
	free(s);
	return 0;
}
