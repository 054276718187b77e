/* fuzz_sysctltext.c - libFuzzer harness: the output of sysctl -a (every
 * sysctl sockmem reads looked up and turned into its file's text, which
 * sysinfo_parse_vector must then accept or refuse cleanly), and the small
 * command outputs of a capture (uname, lscpu, cpuinfo, free, date); the
 * first byte picks the reader. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmdout.h"
#include "host.h"
#include "sysctl_text.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *b = (const char *)data + 1;
	struct sysctl_text t;
	struct cmdout_uname u;
	struct parse_err e;
	char out[256];
	uint64_t v[3];
	int i, line, n;

	if (!size)
		return 0;
	size--;
	switch (data[0] % 6) {
	case 0:
		if (sysctl_text_parse(b, size, &t, &e))
			break;
		for (i = 0; i < SC_COUNT; i++) {
			const char *val;
			size_t vl;

			if (sysctl_text_get(&t, host_sysctl[i].name, &val, &vl, &line, &e))
				continue;
			n = sysctl_text_as_file(val, vl, out, sizeof(out));
			if (n >= 0 && (size_t)n + 1 > sizeof(out))
				abort();
			if (n >= 0)
				(void)sysinfo_parse_vector(out, (size_t)n, v, host_sysctl[i].n, &e);
		}
		break;
	case 1: (void)cmdout_uname(b, size, &u, &e); break;
	case 2: (void)cmdout_lscpu_cpus(b, size, v, &e); break;
	case 3: (void)cmdout_cpuinfo_cpus(b, size, v, &e); break;
	case 4: (void)cmdout_free_total_kib(b, size, v, &e); break;
	default: (void)cmdout_date(b, size, out, sizeof(out), &e); break;
	}
	return 0;
}
