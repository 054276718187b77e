/* sysinfo.h - parsers for small system files: sysctl integer vectors
 * (/proc/sys/...), /proc/meminfo MemTotal, the CPU lists in
 * /sys/devices/system/cpu/{possible,online} and /proc/sys/kernel/osrelease. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_SYSINFO_H
#define SOCKMEM_SYSINFO_H

#include "util.h"

/* Exactly n unsigned integers separated by blanks, one line. */
int sysinfo_parse_vector(const char *buf, size_t len, uint64_t *v, int n, struct parse_err *err);
/* MemTotal in bytes (the file says kB = KiB). */
int sysinfo_parse_meminfo(const char *buf, size_t len, uint64_t *memtotal_bytes,
			  struct parse_err *err);
/* "0-3,8,10-11" -> number of CPUs. */
int sysinfo_parse_cpulist(const char *buf, size_t len, uint64_t *ncpus, struct parse_err *err);

/* The kernel's own limit on a release (__NEW_UTS_LEN). */
#define KVERSION_RELEASE_MAX 64

struct kversion {
	char release[4 * KVERSION_RELEASE_MAX + 1];	/* escaped: \xNN for odd bytes */
	unsigned major, minor, patch;
	bool ok;
};
/* A release longer than KVERSION_RELEASE_MAX is not one (-EINVAL). */
int sysinfo_parse_osrelease(const char *buf, size_t len, struct kversion *kv,
			    struct parse_err *err);
/* true if kv is known and >= major.minor */
bool sysinfo_kver_ge(const struct kversion *kv, unsigned major, unsigned minor);

#endif
