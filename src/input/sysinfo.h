/* sysinfo.h - parsers for small system files: sysctl integer vectors
 * (/proc/sys/...), /proc/meminfo MemTotal, the CPU lists in
 * /sys/devices/system/cpu/{possible,online}, /proc/sys/kernel/osrelease and
 * /proc/net/tls_stat. */
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

/* /proc/net/tls_stat (net/tls/tls_proc.c: "%-32s\t%lu" per counter, per
 * network namespace; present once the tls module is loaded): the kTLS
 * sockets in use.  Unknown names are skipped (a newer kernel). */
struct tls_stat {
	bool ok;
	uint64_t curr_tx_sw, curr_rx_sw, curr_tx_device, curr_rx_device;
};
int sysinfo_parse_tls_stat(const char *buf, size_t len, struct tls_stat *t, struct parse_err *err);

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
