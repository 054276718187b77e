/* fuzz_sysinfo.c - libFuzzer harness: sysctl vectors, /proc/meminfo, CPU
 * lists, osrelease, snapshot metadata and cgroup "key value" files; the first
 * byte picks the parser. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "procscan.h"
#include "snapshot.h"
#include "sysinfo.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *b = (const char *)data + 1;
	struct parse_err e;
	uint64_t v[3], x;
	struct kversion k;
	struct snapshot_meta m;
	char text[SNAPSHOT_META_MAX];
	int n;

	if (!size)
		return 0;
	size--;
	switch (data[0] % 8) {
	case 0: sysinfo_parse_vector(b, size, v, 3, &e); break;
	case 1: sysinfo_parse_vector(b, size, v, 1, &e); break;
	case 2: sysinfo_parse_meminfo(b, size, &x, &e); break;
	case 3: sysinfo_parse_cpulist(b, size, &x, &e); break;
	case 4:
		if (!sysinfo_parse_osrelease(b, size, &k, &e))
			(void)sysinfo_kver_ge(&k, 6, 9);
		break;
	case 5:
		/* what was read is written back readable */
		if (!snapshot_meta_parse(b, size, &m, &e)) {
			n = snapshot_meta_format(text, sizeof(text), &m);
			if (n < 0 || snapshot_meta_parse(text, (size_t)n, &m, &e))
				abort();
		}
		break;
	case 6: (void)procscan_parse_u64(b, size, "sock"); break;
	default: (void)procscan_parse_u64(b, size, NULL); break;
	}
	return 0;
}
