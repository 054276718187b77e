/* bpfwhy.c - why the kernel would not load or attach sockmem's BPF
 * programs, in an operator's words: the errno, and what it means for this
 * kernel release and this process's privilege. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpfwhy.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON, in the effective set. */
static int bpfwhy_privileged(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	unsigned long long eff;

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d))
		return 0;
	eff = (unsigned long long)d[0].effective | (unsigned long long)d[1].effective << 32;
	return (eff >> 21 & 1) || ((eff >> CAP_BPF & 1) && (eff >> 38 & 1));
}

const char *bpfwhy_hint(char *buf, size_t n, int rc, const char *release, int privileged,
			int need_major, int need_minor)
{
	int major, minor;

	if (release && sscanf(release, "%d.%d", &major, &minor) == 2 &&
	    (major < need_major || (major == need_major && minor < need_minor))) {
		snprintf(buf, n, " (Linux %d.%d is older than the %d.%d with BTF these programs need)",
			 major, minor, need_major, need_minor);
		return buf;
	}
	if (rc == -EPERM || rc == -EACCES)
		snprintf(buf, n, "%s", privileged
			 ? " (refused with CAP_SYS_ADMIN held: kernel lockdown, an LSM, a seccomp "
			   "filter, or the verifier rejected the program on this kernel)"
			 : " (needs CAP_BPF and CAP_PERFMON, or root)");
	else if (rc == -EINVAL || rc == -ENOENT || rc == -ESRCH || rc == -E2BIG || rc == -ENOTSUP ||
		 rc == -EOPNOTSUPP)
		snprintf(buf, n, " (needs Linux %d.%d or later with BTF)", need_major, need_minor);
	else
		buf[0] = '\0';
	return buf;
}

void bpfwhy_format(char *buf, size_t n, int rc, const char *what, int need_major, int need_minor)
{
	struct utsname u;
	char hint[160];

	bpfwhy_hint(hint, sizeof(hint), rc, uname(&u) ? NULL : u.release, bpfwhy_privileged(),
		    need_major, need_minor);
	snprintf(buf, n, "%s: %s%s", what, strerror(-rc), hint);
}
