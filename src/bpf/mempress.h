/* mempress.h - the layout mempress.bpf.c shares with src/kernel/tracer.c:
 * memtrace.h's (the pressure programs are memtrace.bpf.c built again). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "memtrace.h"
