/* bpfwhy.h - why the kernel would not load or attach sockmem's BPF
 * programs, in an operator's words. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPFWHY_H
#define SOCKMEM_BPFWHY_H

#include <stddef.h>

/* "WHAT: strerror(-rc) (what it means here)" into buf: the running
 * kernel older than NEED_MAJOR.NEED_MINOR says so whatever the errno (an
 * old kernel refuses a newer loader with E2BIG, EINVAL or EPERM alike);
 * EPERM/EACCES with the privilege held is not a missing capability. */
void bpfwhy_format(char *buf, size_t n, int rc, const char *what, int need_major, int need_minor);

/* The hint alone, for a given release and privilege (pure: for tests). */
const char *bpfwhy_hint(char *buf, size_t n, int rc, const char *release, int privileged,
			int need_major, int need_minor);

#endif
