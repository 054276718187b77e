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

/* the states sockiter_sum_add() tells apart (TCP_ESTABLISHED, TCP_LISTEN) */
#define SOCKITER_ESTABLISHED 1
#define SOCKITER_LISTEN 10

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

/* A walk for sums only (show: no holders, no identities): the program adds
 * each socket it would have written into its protocol's struct
 * sockiter_sums and writes nothing; bpfrec_add_sums() folds them into the
 * aggregator's struct sock_sums exactly as sockets_add() would have added
 * the records one by one (tests/backend.sh compares the two backends).
 * sockiter_params are the aggregator's sockets_params. */
#define SOCKITER_NSTATES 16

struct sockiter_params {
	__u64 mem_unit_bytes;		/* 0: no charged_pages */
	__u64 tcp_rmem_max_bytes, tcp_wmem_max_bytes, tcp_wmem_default_bytes;
	__u8 tcp_limits_ok;
	__u8 pad[7];
};

struct sockiter_sums {
	__u64 count;			/* sockets summed */
	__u64 with_mem;			/* ... full ones: mem[] read */
	__u64 by_state[SOCKITER_NSTATES];	/* state >= SOCKITER_NSTATES: in [0] */
	__u64 mem[SOCKITER_MEMINFO];
	__u64 charged_bytes, charged_pages, worst_case_bytes;
	__u64 slow_readers, sndbuf_small, with_drops, with_backlog;
};

/* sockets_add() of one record, for its sums (src/kernel/sockets.c:
 * sockets_charged(), sockets_slow_reader(), sockets_sndbuf_small() of a
 * socket with its 9 SK_MEMINFO fields, or with none when not a full
 * socket): run by the program per socket, and by the unit tests against
 * sockets_add() on the same records. */
static inline __attribute__((always_inline)) void
sockiter_sum_add(struct sockiter_sums *t, const struct sockiter_params *par, const struct sockiter_rec *r)
{
	__u32 idx = r->state < SOCKITER_NSTATES ? r->state : 0;
	__u64 rm = r->mem[0], rb = r->mem[1], tb = r->mem[3], charged;
	int tcp = r->proto == SOCKITER_TCP, i;

	t->count++;
	t->by_state[idx & (SOCKITER_NSTATES - 1)]++;
	if (!(r->rec_flags & SOCKITER_FULL))
		return;
	t->with_mem++;
	for (i = 0; i < SOCKITER_MEMINFO; i++)
		t->mem[i] += r->mem[i];
	t->with_drops += r->mem[8] > 0;		/* drops */
	t->with_backlog += r->mem[7] > 0;	/* backlog */
	charged = rm + r->mem[4] + (tcp ? (__u64)r->mem[5] : 0);	/* r + f (+ w) */
	t->charged_bytes += charged;
	if (par->mem_unit_bytes)
		t->charged_pages += (charged + par->mem_unit_bytes - 1) / par->mem_unit_bytes;
	if (tcp && par->tcp_limits_ok && r->state != SOCKITER_LISTEN)
		t->worst_case_bytes += (rb < par->tcp_rmem_max_bytes ? rb : par->tcp_rmem_max_bytes) +
				       (tb < par->tcp_wmem_max_bytes ? tb : par->tcp_wmem_max_bytes);
	if (r->state != SOCKITER_LISTEN &&
	    ((rb && rm * 10 >= rb * 9 && rm > 0) || r->mem[8] > 0 || r->mem[7] > 0))
		t->slow_readers++;
	if (tcp && r->state == SOCKITER_ESTABLISHED && par->tcp_limits_ok &&
	    tb < par->tcp_wmem_default_bytes)
		t->sndbuf_small++;
}

#endif
