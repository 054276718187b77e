/* mempress.bpf.c - trace's pressure and abort programs (fentry/fexit on
 * tcp_enter_memory_pressure, tcp_leave_memory_pressure, tcp_check_oom):
 * memtrace.bpf.c built with MEMTRACE_PRESS, a light skeleton of its own so
 * that a kernel where one of them cannot be attached keeps the tracepoints. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#define MEMTRACE_PRESS 1
#include "memtrace.bpf.c"
