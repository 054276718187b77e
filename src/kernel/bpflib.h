/* bpflib.h - libbpf, loaded with dlopen() only when the light skeletons
 * cannot load (kernels before 5.17: no BPF_PROG_TYPE_SYSCALL for their
 * loader program and no CO-RE in the kernel), for the regular skeletons
 * that bpftool generates beside them (src/bpf/NAME_lib.skel.h).  The few
 * libbpf functions those skeletons and tracer.c call are renamed here to
 * bpflib_ functions that call into the loaded library: the library costs a
 * process nothing until an old kernel needs it, and a build needs only
 * libbpf's headers.  Include this before any libbpf header. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPFLIB_H
#define SOCKMEM_BPFLIB_H

#include <stddef.h>

#define bpf_object__open_skeleton bpflib_object__open_skeleton
#define bpf_object__load_skeleton bpflib_object__load_skeleton
#define bpf_object__attach_skeleton bpflib_object__attach_skeleton
#define bpf_object__detach_skeleton bpflib_object__detach_skeleton
#define bpf_object__destroy_skeleton bpflib_object__destroy_skeleton
#define bpf_map__fd bpflib_map__fd
#define bpf_program__fd bpflib_program__fd
#define bpf_program__set_autoload bpflib_program__set_autoload
#define libbpf_set_print bpflib_set_print
#define btf__load_vmlinux_btf bpflib_btf__load_vmlinux_btf
#define btf__find_by_name_kind bpflib_btf__find_by_name_kind
#define btf__type_by_id bpflib_btf__type_by_id
#define btf__name_by_offset bpflib_btf__name_by_offset
#define btf__free bpflib_btf__free
#define libbpf_version_string bpflib_version_string

#include <bpf/libbpf.h>
#include <bpf/btf.h>

/* Loads the library (once; SM_LIBBPF_SONAME, libbpf.so.1): 0, or -ENOTSUP
 * with a sentence in why[len].  Its messages go to bpflib_log(). */
int bpflib_open(char *why, size_t len);

/* What libbpf said last about a program it could not load: the verifier's
 * last line and libbpf's own ("" when nothing). */
const char *bpflib_log(void);
void bpflib_log_clear(void);

#endif
