/* dynlib.h - a shared library loaded with dlopen() and its functions bound
 * from a table, all of them or none (libarchive, ncurses, libbpf). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_DYNLIB_H
#define SOCKMEM_DYNLIB_H

#include <stddef.h>

/* One symbol: its name in the library and where its address goes (a
 * function pointer's address cast through void *: POSIX's dlsym idiom). */
struct dynlib_sym {
	const char *name;
	void **slot;
};

#define DYNLIB_SLOT(p) ((void **)(void *)(p))

/* Opens SONAME (RTLD_NOW | RTLD_LOCAL; kept open) and fills every slot of
 * SYMS.  Returns 0; -ENOENT when the library cannot be loaded (dlerror()'s
 * text in DLERR); -ENOSYS when it lacks a symbol (*MISSING names the first;
 * the library is closed and every slot is NULL again). */
int dynlib_open(const char *soname, const struct dynlib_sym *syms, size_t n,
		const char **missing, char *dlerr, size_t dlerr_len);

#endif
