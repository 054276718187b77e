/* sockiter.h - what the socket iterator program (sockiter.bpf.c) and its
 * loader (bpfiter.c, bpfrec.c) share: the fixed-size record the program
 * writes per socket with bpf_seq_write(), the totals it leaves in .bss, and
 * the request flags.  Only fixed-width types, so that the same layout
 * compiles for -target bpf and for the host.  A record carries what a
 * sock_diag reply carries (net/ipv4/tcp_diag.c, udp_diag.c,
 * inet_diag_msg_common_fill, sk_get_meminfo), field for field. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPF_SOCKITER_H
#define SOCKMEM_BPF_SOCKITER_H

/* SK_MEMINFO_VARS of the kernels the iterator runs on (5.9+): 9 fields,
 * rmem_alloc .. drops, in the order of enum diag_mem. */
#define SOCKITER_MEMINFO 9

/* rec_flags */
#define SOCKITER_FULL 0x01	/* a full socket: mem[] and cgroup_id are set */
#define SOCKITER_CGROUP 0x02	/* cgroup_id is set (CONFIG_SOCK_CGROUP_DATA) */

/* proto */
#define SOCKITER_TCP 0
#define SOCKITER_UDP 1

/* One socket, 112 bytes.  Addresses in network order as sock_diag sends
 * them (IPv4 in the first 4 bytes of src/dst), ports in host order. */
struct sockiter_rec {
	__u64 cookie;			/* sock_gen_cookie() */
	__u64 cgroup_id;		/* INET_DIAG_CGROUP_ID */
	__u32 inode;			/* idiag_inode (0: TIME-WAIT, request) */
	__u32 uid;			/* idiag_uid (0: TIME-WAIT, request) */
	__u32 mem[SOCKITER_MEMINFO];	/* INET_DIAG_SKMEMINFO */
	__u32 rqueue, wqueue;		/* idiag_rqueue, idiag_wqueue */
	__u8 src[16], dst[16];
	__u16 sport, dport;
	__u8 family;			/* AF_INET, AF_INET6 */
	__u8 state;			/* idiag_state: TIME-WAIT sub-state, SYN-RECV for requests */
	__u8 proto;			/* SOCKITER_TCP, SOCKITER_UDP */
	__u8 rec_flags;
	__u32 pad;
};

/* The protocol's counter, read through the first full socket's struct
 * proto: memory_allocated (what sockstat publishes) and every possible
 * CPU's per_cpu_fw_alloc cache (6.0+), in the counter's own unit. */
struct sockiter_totals {
	__s64 global;			/* atomic_long_read(prot->memory_allocated) */
	__s64 pcpu_sum;			/* sum of *per_cpu_ptr(prot->per_cpu_fw_alloc, cpu) */
	__u32 cpus_read;		/* CPUs whose cache was read */
	__u32 cpus_failed;		/* CPUs whose cache could not be read */
	__u8 found;			/* a full socket led to the counter */
	__u8 has_pcpu;			/* the kernel has per-CPU caches (6.0+) */
	__u8 pad[6];
};

#endif
