/* dynlib.c - a shared library loaded with dlopen() and its functions bound
 * from a table, all of them or none. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dynlib.h"

int dynlib_open(const char *soname, const struct dynlib_sym *syms, size_t n,
		const char **missing, char *dlerr, size_t dlerr_len)
{
	void *h;
	size_t i, j;

	*missing = NULL;
	if (dlerr && dlerr_len)
		dlerr[0] = '\0';
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();

		if (dlerr && dlerr_len)
			snprintf(dlerr, dlerr_len, "%s", e ? e : "not found");
		return -ENOENT;
	}
	for (i = 0; i < n; i++) {
		*syms[i].slot = dlsym(h, syms[i].name);
		if (!*syms[i].slot) {
			*missing = syms[i].name;
			for (j = 0; j < n; j++)
				*syms[j].slot = NULL;
			dlclose(h);
			return -ENOSYS;
		}
	}
	return 0;
}
