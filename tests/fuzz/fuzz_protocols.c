/* fuzz_protocols.c - libFuzzer harness: /proc/net/protocols parser. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "protocols.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct protocols *p = malloc(sizeof(*p));
	struct parse_err e;

	if (p && protocols_parse((const char *)data, size, p, &e) == 0) {
		(void)protocols_find(p, "TCP");
		protocols_free(p);
	}
	free(p);
	return 0;
}
