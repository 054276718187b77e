/* sockiter.bpf.c - the BPF backend's kernel side: iter/tcp and iter/udp
 * programs that write one struct sockiter_rec per socket, the fields a
 * sock_diag reply carries, and read the protocol's charge counter exactly:
 * memory_allocated plus every CPU's per_cpu_fw_alloc cache.
 *
 * Built with clang -target bpf against the minimal CO-RE definitions of
 * kernel_types.h (preserve_access_index: libbpf relocates every field
 * against the running kernel's BTF), never against a vmlinux.h of the
 * build host.
 *
 * The per-CPU caches: typed __ksym + bpf_per_cpu_ptr() needs the symbol in
 * kallsyms (CONFIG_KALLSYMS_ALL).  Instead the caches are reached from the
 * socket (sk->sk_prot->per_cpu_fw_alloc, the __percpu address) and CPU c's
 * per-CPU offset is taken from a one-entry per-CPU array map:
 * bpf_map_lookup_percpu_elem(map, 0, c) - array->pptrs[0]
 * (= __per_cpu_offset[c]).  Needs 5.19+ (bpf_map_lookup_percpu_elem) and
 * CAP_PERFMON (pointers read as numbers); kernels before 6.0 have no caches
 * and memory_allocated alone is exact. */
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "kernel_types.h"

enum { BPF_MAP_TYPE_PERCPU_ARRAY = 6 };

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "sockiter.h"

#define AF_INET 2
#define AF_INET6 10
#define TCP_ESTABLISHED 1
#define TCP_SYN_RECV 3
#define TCP_TIME_WAIT 6
#define TCP_LISTEN 10
#define TCP_NEW_SYN_RECV 12
#define SOCKITER_MAX_CPUS 8192

/* ---- the iterators' own types (the sockets': kernel_types.h) ---- */

struct bpf_array {
	void *pptrs[0];
} __attribute__((preserve_access_index));

/* The iterators' contexts, as the kernel lays them out for every program
 * (DEFINE_BPF_ITER_FUNC: a pointer per 8 bytes, each argument 8-aligned;
 * the verifier checks each access's offset against its own definition):
 * not relocated, which spares the load a search of the kernel's BTF per
 * type (1.5 of its 15 ms of kernel time). */
struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__tcp {
	struct bpf_iter_meta *meta;
	struct sock_common *sk_common;
	__u32 uid __attribute__((aligned(8)));
};

struct bpf_iter__udp {
	struct bpf_iter_meta *meta;
	struct udp_sock *udp_sk;
	__u32 uid __attribute__((aligned(8)));
	int bucket __attribute__((aligned(8)));
};

_Static_assert(__builtin_offsetof(struct bpf_iter__tcp, uid) == 16, "bpf_iter__tcp layout");
_Static_assert(__builtin_offsetof(struct bpf_iter__udp, bucket) == 24, "bpf_iter__udp layout");

/* ---- what user space sets before each iterator and reads after it ---- */

__u32 tcp_states;		/* idiag_states of the request: states to report */
__u8 skip_v6[2];		/* leave out AF_INET6 sockets of a protocol */
__u8 totals_only;		/* read the counters at the first full socket and stop */
__u8 want_ids;			/* fill the identity: cookie, addresses, uid, inode,
				 * cgroup, queues (not needed for sums and by port) */
__u8 sums_only;			/* add each socket into sums[], write nothing */
struct sockiter_params params;	/* what sums_only needs of the aggregator */
struct sockiter_sums sums[2];
__u64 prot_addr[2];		/* the struct proto seen first, per protocol */
struct sockiter_totals totals[2];
__u8 totals_done[2];

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sockiter_pcpu SEC(".maps");

/* A kernel pointer as a number: spilled to the stack and read back, the
 * only way the verifier lets a map or map-value pointer become a scalar
 * (needs allow_ptr_leaks, i.e. CAP_PERFMON). */
static __always_inline __u64 sockiter_addr(const void *p)
{
	const void *volatile slot = p;
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), (const void *)&slot);
	return v;
}

struct sockiter_pcpu_ctx {
	__u64 pptr0;		/* the map's per-CPU value, as a __percpu address */
	__u64 cache;		/* prot->per_cpu_fw_alloc, as a __percpu address */
	__s64 sum;
	__u32 ok, failed;
};

static long sockiter_pcpu_cb(__u32 cpu, void *data)
{
	struct sockiter_pcpu_ctx *c = data;
	__u32 zero = 0;
	void *elem = bpf_map_lookup_percpu_elem(&sockiter_pcpu, &zero, cpu);
	int v = 0;

	if (!elem)
		return 1;	/* cpu >= nr_cpu_ids: every possible CPU was read */
	if (bpf_probe_read_kernel(&v, sizeof(v),
				  (const void *)(c->cache + (sockiter_addr(elem) - c->pptr0)))) {
		c->failed++;
		return 0;
	}
	c->sum += v;
	c->ok++;
	return 0;
}

/* memory_allocated and the per-CPU caches of the counter prot leads to. */
static __always_inline void sockiter_read_totals(int p)
{
	struct sockiter_totals *t = &totals[p & 1];
	struct proto *prot = (struct proto *)prot_addr[p & 1];
	atomic_long_t *ma;
	long global = 0;

	if (!prot)
		return;
	ma = BPF_CORE_READ(prot, memory_allocated);
	if (!ma || bpf_probe_read_kernel(&global, sizeof(global), &ma->counter))
		return;
	t->global = global;
	t->found = 1;
	if (bpf_core_field_exists(prot->per_cpu_fw_alloc)) {
		struct sockiter_pcpu_ctx c = { 0 };
		__u64 arr = sockiter_addr(&sockiter_pcpu);

		c.cache = (__u64)BPF_CORE_READ(prot, per_cpu_fw_alloc);
		t->has_pcpu = 1;
		if (!c.cache || bpf_probe_read_kernel(&c.pptr0, sizeof(c.pptr0),
						       (const void *)(arr + bpf_core_field_offset(struct bpf_array, pptrs)))) {
			t->cpus_failed = 1;
			return;
		}
		bpf_loop(SOCKITER_MAX_CPUS, sockiter_pcpu_cb, &c, 0);
		t->pcpu_sum = c.sum;
		t->cpus_read = c.ok;
		t->cpus_failed = c.failed;
	}
}

/* The first full socket of a protocol leads to its counter.  Returns true
 * when the walk should stop here (totals only). */
static __always_inline int sockiter_seen_full(int p, const struct sock *sk)
{
	if (!prot_addr[p & 1])
		prot_addr[p & 1] = (__u64)BPF_CORE_READ(sk, __sk_common.skc_prot);
	if (!totals_only)
		return 0;
	sockiter_read_totals(p);
	totals_done[p & 1] = 1;
	return 1;
}

/* The record: written for the loader, or summed here. */
static __always_inline void sockiter_emit(struct seq_file *seq, const struct sockiter_rec *r)
{
	if (sums_only)
		sockiter_sum_add(&sums[r->proto & 1], &params, r);
	else
		bpf_seq_write(seq, r, sizeof(*r));
}

static __always_inline void sockiter_addrs(struct sockiter_rec *r, const struct sock_common *skc)
{
	r->family = (__u8)skc->skc_family;
	r->sport = skc->skc_num;
	r->dport = __builtin_bswap16(skc->skc_dport);
	if (r->family == AF_INET6) {
		__builtin_memcpy(r->src, &skc->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(r->dst, &skc->skc_v6_daddr, 16);
	} else {
		__builtin_memcpy(r->src, &skc->skc_rcv_saddr, 4);
		__builtin_memcpy(r->dst, &skc->skc_daddr, 4);
	}
}

/* sk_get_meminfo(); with want_ids also INET_DIAG_CGROUP_ID and the inode
 * (sock_i_ino).  Direct loads (the verifier turns them into faulting-safe
 * loads), not bpf_probe_read_kernel() calls: this runs for every socket. */
static __always_inline void sockiter_full(struct sockiter_rec *r, const struct sock *sk)
{
	int drops = sk->sk_drops.counter;

	r->rec_flags |= SOCKITER_FULL;
	r->mem[0] = sk->sk_backlog.rmem_alloc.counter;
	r->mem[1] = sk->sk_rcvbuf;
	r->mem[2] = sk->sk_wmem_alloc.refs.counter - 1;
	r->mem[3] = sk->sk_sndbuf;
	r->mem[4] = sk->sk_forward_alloc;
	r->mem[5] = sk->sk_wmem_queued;
	r->mem[6] = sk->sk_omem_alloc.counter;
	r->mem[7] = sk->sk_backlog.len;
	/* sk_drops_read(): 6.18 keeps UDP's drops in per-NUMA counters */
	if (bpf_core_field_exists(sk->sk_drop_counters) &&
	    bpf_core_type_exists(struct numa_drop_counters)) {
		struct numa_drop_counters *ndc = sk->sk_drop_counters;

		if (ndc)
			drops = ndc->drops0.counter + ndc->drops1.counter;
	}
	r->mem[8] = drops;
	if (!want_ids)
		return;
	if (bpf_core_field_exists(sk->sk_ino)) {
		r->inode = (__u32)sk->sk_ino;
	} else {
		struct socket_alloc *sa = (struct socket_alloc *)BPF_CORE_READ(sk, sk_socket);

		if (sa)
			r->inode = (__u32)BPF_CORE_READ(sa, vfs_inode.i_ino);
	}
	if (bpf_core_field_exists(struct sock_cgroup_data, cgroup)) {
		struct cgroup *cg = sk->sk_cgrp_data.cgroup;

		if (cg) {
			r->cgroup_id = cg->kn->id;
			r->rec_flags |= SOCKITER_CGROUP;
		}
	}
}

SEC("iter/tcp")
int sockiter_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct sockiter_rec r = { 0 };
	struct tcp_sock *tp;
	__u32 state;

	if (!skc) {
		if (!totals_only)
			sockiter_read_totals(SOCKITER_TCP);
		return 0;
	}
	state = skc->skc_state;
	tp = bpf_skc_to_tcp_sock(skc);
	if (tp && sockiter_seen_full(SOCKITER_TCP, (const struct sock *)tp))
		return 1;
	if (totals_only)
		return 0;
	/* the state the dump reports and filters on: a TIME-WAIT entry by
	 * its sub-state, a request (NEW_SYN_RECV) as SYN-RECV */
	if (state == TCP_TIME_WAIT) {
		struct tcp_timewait_sock *tw = bpf_skc_to_tcp_timewait_sock(skc);

		if (!tw)
			return 0;
		state = tw->tw_sk.tw_substate;
	}
	if (!((tcp_states | (tcp_states & (1u << TCP_SYN_RECV) ? 1u << TCP_NEW_SYN_RECV : 0)) &
	      (1u << (state & 31))))
		return 0;
	if (skc->skc_family == AF_INET6 && skip_v6[SOCKITER_TCP])
		return 0;
	r.proto = SOCKITER_TCP;
	r.state = state == TCP_NEW_SYN_RECV ? TCP_SYN_RECV : (__u8)state;
	r.sport = skc->skc_num;
	if (want_ids) {
		r.cookie = bpf_get_socket_cookie(skc);
		sockiter_addrs(&r, skc);
	}
	if (tp) {
		const struct sock *sk = (const struct sock *)tp;

		sockiter_full(&r, sk);
		if (!want_ids)
			goto out;
		r.uid = ctx->uid;
		if (state == TCP_LISTEN) {
			r.rqueue = sk->sk_ack_backlog;
			r.wqueue = sk->sk_max_ack_backlog;
		} else {
			int rq = (int)(tp->rcv_nxt - tp->copied_seq);

			r.rqueue = rq > 0 ? (__u32)rq : 0;
			r.wqueue = tp->write_seq - tp->snd_una;
		}
	}
out:
	sockiter_emit(ctx->meta->seq, &r);
	return 0;
}

SEC("iter/udp")
int sockiter_udp(struct bpf_iter__udp *ctx)
{
	struct udp_sock *us = ctx->udp_sk;
	const struct sock *sk = (const struct sock *)us;
	struct sockiter_rec r = { 0 };

	if (!us) {
		if (!totals_only)
			sockiter_read_totals(SOCKITER_UDP);
		return 0;
	}
	if (sockiter_seen_full(SOCKITER_UDP, sk))
		return 1;
	if (sk->__sk_common.skc_family == AF_INET6 && skip_v6[SOCKITER_UDP])
		return 0;
	r.proto = SOCKITER_UDP;
	r.state = sk->__sk_common.skc_state;
	r.sport = sk->__sk_common.skc_num;
	sockiter_full(&r, sk);
	if (want_ids) {
		r.cookie = bpf_get_socket_cookie(us);
		sockiter_addrs(&r, &sk->__sk_common);
		r.uid = ctx->uid;
		/* udp_diag_get_info(): udp_rqueue_get() and sk_wmem_alloc_get() */
		r.rqueue = r.mem[0] - us->forward_deficit;
		r.wqueue = r.mem[2];
	}
	sockiter_emit(ctx->meta->seq, &r);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
