/* cmdout.h - readers of the small command outputs a capture carries beside
 * the kernel's files: uname -a (kernel release, machine), lscpu and
 * /proc/cpuinfo (CPU counts), free (MemTotal), date (the capture's time),
 * hostname and getconf PAGE_SIZE.  Each turns its text into what the
 * kernel's own file would say.  Pure: no I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_CMDOUT_H
#define SOCKMEM_CMDOUT_H

#include "util.h"

/* The fields of "uname -a" (Linux NODE RELEASE VERSION... MACHINE [...] GNU/Linux).
 * Strings are escaped (\xNN for odd bytes). */
struct cmdout_uname {
	char node[256];
	char release[256];
	char machine[64];
};
int cmdout_uname(const char *buf, size_t len, struct cmdout_uname *u, struct parse_err *err);

/* lscpu "CPU(s):" (the CPUs present); -ENOENT without that line. */
int cmdout_lscpu_cpus(const char *buf, size_t len, uint64_t *cpus, struct parse_err *err);
/* The "processor : N" entries of /proc/cpuinfo (the CPUs online). */
int cmdout_cpuinfo_cpus(const char *buf, size_t len, uint64_t *cpus, struct parse_err *err);
/* free (without -m/-g: KiB): the total of the "Mem:" line, in KiB. */
int cmdout_free_total_kib(const char *buf, size_t len, uint64_t *kib, struct parse_err *err);

/**
 * cmdout_date() - the time "date" printed
 * @buf: "Tue Dec  1 08:39:33 UTC 2026"
 * @len: its length
 * @out: "2026-12-01T08:39:33Z" for a time in UTC, else the text as printed
 *       (escaped)
 * @outsz: room in @out
 * @err: where a failure is described
 *
 * Return: 0 or -EINVAL.
 */
int cmdout_date(const char *buf, size_t len, char *out, size_t outsz, struct parse_err *err);

/* The first word of the first line (hostname), escaped. */
int cmdout_word(const char *buf, size_t len, char *out, size_t outsz, struct parse_err *err);

#endif
