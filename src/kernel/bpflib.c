/* bpflib.c - libbpf loaded with dlopen() for the regular skeletons of
 * kernels before 5.17 (bpflib.h says why): the library opened once, each
 * function it must have resolved, libbpf's messages kept for the reason a
 * load failed, never printed. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bpflib.h"
#include "dynlib.h"

#define BPFLIB_FUNCS(X) \
	X(bpflib_object__open_skeleton, "bpf_object__open_skeleton") \
	X(bpflib_object__load_skeleton, "bpf_object__load_skeleton") \
	X(bpflib_object__attach_skeleton, "bpf_object__attach_skeleton") \
	X(bpflib_object__detach_skeleton, "bpf_object__detach_skeleton") \
	X(bpflib_object__destroy_skeleton, "bpf_object__destroy_skeleton") \
	X(bpflib_map__fd, "bpf_map__fd") \
	X(bpflib_program__fd, "bpf_program__fd") \
	X(bpflib_program__set_autoload, "bpf_program__set_autoload") \
	X(bpflib_set_print, "libbpf_set_print") \
	X(bpflib_btf__load_vmlinux_btf, "btf__load_vmlinux_btf") \
	X(bpflib_btf__find_by_name_kind, "btf__find_by_name_kind") \
	X(bpflib_btf__type_by_id, "btf__type_by_id") \
	X(bpflib_btf__name_by_offset, "btf__name_by_offset") \
	X(bpflib_btf__free, "btf__free") \
	X(bpflib_version_string, "libbpf_version_string")

static struct {
#define BPFLIB_PTR(f, sym) __typeof__(f) *f;
	BPFLIB_FUNCS(BPFLIB_PTR)
#undef BPFLIB_PTR
} bpflib_fn;

static char bpflib_last[400];	/* what bpflib_log() returns */
static char bpflib_verifier[200];	/* the verifier's last line so far */
static char bpflib_line[512];	/* a message being assembled (libbpf prints pieces) */
static size_t bpflib_line_len;

/* One whole line of libbpf's (the verifier's log comes as one message of
 * many lines): the verifier's last line before the log's end, and
 * libbpf's own warnings, which name the program. */
static void bpflib_take_line(const char *l)
{
	while (*l == ' ' || *l == '\t')
		l++;
	if (!*l)
		return;
	if (strstr(l, "-- END PROG LOAD LOG --")) {
		if (bpflib_verifier[0]) {
			snprintf(bpflib_last, sizeof(bpflib_last), "the verifier: %s", bpflib_verifier);
			bpflib_verifier[0] = '\0';
		}
		return;
	}
	if (!strncmp(l, "libbpf: ", 8)) {
		size_t n = strlen(bpflib_last);

		if (strstr(l, "BEGIN PROG LOAD LOG") || n + 3 >= sizeof(bpflib_last))
			return;
		snprintf(bpflib_last + n, sizeof(bpflib_last) - n, "%s%s", n ? "; " : "", l + 8);
		return;
	}
	/* the verifier's statistics come after its error: keep the error */
	if (!strncmp(l, "processed ", 10) || !strncmp(l, "verification time", 17) ||
	    !strncmp(l, "stack depth", 11))
		return;
	/* the verifier's line, cut to the room kept */
	snprintf(bpflib_verifier, sizeof(bpflib_verifier), "%.*s", (int)sizeof(bpflib_verifier) - 1, l);
}

static int bpflib_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[4096], *p, *nl;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return 0;
	for (p = buf; *p; p = nl + 1) {
		size_t k;

		nl = strchr(p, '\n');
		k = nl ? (size_t)(nl - p) : strlen(p);
		if (bpflib_line_len + k >= sizeof(bpflib_line))
			k = sizeof(bpflib_line) - 1 - bpflib_line_len;
		memcpy(bpflib_line + bpflib_line_len, p, k);
		bpflib_line_len += k;
		bpflib_line[bpflib_line_len] = '\0';
		if (!nl)
			break;
		bpflib_take_line(bpflib_line);
		bpflib_line_len = 0;
		bpflib_line[0] = '\0';
	}
	return 0;
}

const char *bpflib_log(void)
{
	return bpflib_last;
}

void bpflib_log_clear(void)
{
	bpflib_last[0] = bpflib_verifier[0] = bpflib_line[0] = '\0';
	bpflib_line_len = 0;
}

int bpflib_open(char *why, size_t len)
{
	static int rc = 1;
	static char msg[300];
	static const struct dynlib_sym syms[] = {
#define BPFLIB_SYM(f, sym) { sym, DYNLIB_SLOT(&bpflib_fn.f) },
		BPFLIB_FUNCS(BPFLIB_SYM)
#undef BPFLIB_SYM
	};
	const char *miss;
	char dlerr[200];

	if (rc == 1) {
		rc = dynlib_open(SM_LIBBPF_SONAME, syms, sizeof(syms) / sizeof(syms[0]), &miss,
				 dlerr, sizeof(dlerr));
		if (rc == -ENOENT)
			snprintf(msg, sizeof(msg), "before 5.17 the programs are loaded with %s "
				 "(Debian: libbpf1), which could not be loaded (%s)", SM_LIBBPF_SONAME,
				 dlerr);
		else if (rc)
			snprintf(msg, sizeof(msg), "before 5.17 the programs are loaded with %s, "
				 "and the one loaded lacks %s (libbpf 1.0 or later has it)",
				 SM_LIBBPF_SONAME, miss);
		if (rc)
			rc = -ENOTSUP;
		else
			bpflib_fn.bpflib_set_print(bpflib_print);
	}
	if (rc && why && len)
		snprintf(why, len, "%s", msg);
	return rc;
}

/* Every renamed function: a call into the library (bpflib_open() first). */
int bpflib_object__open_skeleton(struct bpf_object_skeleton *s, const struct bpf_object_open_opts *opts)
{
	return bpflib_fn.bpflib_object__open_skeleton(s, opts);
}

int bpflib_object__load_skeleton(struct bpf_object_skeleton *s)
{
	return bpflib_fn.bpflib_object__load_skeleton(s);
}

int bpflib_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	return bpflib_fn.bpflib_object__attach_skeleton(s);
}

void bpflib_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	bpflib_fn.bpflib_object__detach_skeleton(s);
}

void bpflib_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	bpflib_fn.bpflib_object__destroy_skeleton(s);
}

int bpflib_map__fd(const struct bpf_map *map)
{
	return bpflib_fn.bpflib_map__fd(map);
}

int bpflib_program__fd(const struct bpf_program *prog)
{
	return bpflib_fn.bpflib_program__fd(prog);
}

int bpflib_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	return bpflib_fn.bpflib_program__set_autoload(prog, autoload);
}

libbpf_print_fn_t bpflib_set_print(libbpf_print_fn_t fn)
{
	return bpflib_fn.bpflib_set_print(fn);
}

struct btf *bpflib_btf__load_vmlinux_btf(void)
{
	return bpflib_fn.bpflib_btf__load_vmlinux_btf();
}

__s32 bpflib_btf__find_by_name_kind(const struct btf *btf, const char *type_name, __u32 kind)
{
	return bpflib_fn.bpflib_btf__find_by_name_kind(btf, type_name, kind);
}

const struct btf_type *bpflib_btf__type_by_id(const struct btf *btf, __u32 id)
{
	return bpflib_fn.bpflib_btf__type_by_id(btf, id);
}

const char *bpflib_btf__name_by_offset(const struct btf *btf, __u32 offset)
{
	return bpflib_fn.bpflib_btf__name_by_offset(btf, offset);
}

void bpflib_btf__free(struct btf *btf)
{
	bpflib_fn.bpflib_btf__free(btf);
}

const char *bpflib_version_string(void)
{
	return bpflib_fn.bpflib_version_string();
}
