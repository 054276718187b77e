/* memtrace.bpf.c - the kernel side of "sockmem trace": programs on the
 * sock:sock_exceed_buf_limit tracepoint (a charge refused: the hard limit,
 * the fair share under pressure, or the memory cgroup) and on skb:kfree_skb
 * filtered here to the memory drop reasons (PROTO_MEM, SOCKET_RCVBUFF,
 * SOCKET_BACKLOG, TCP_OFO_QUEUE_PRUNE, TCP_OFO_DROP, TCP_ZEROWINDOW).  Each
 * event is counted per CPU, aggregated per (cgroup, socket, event) in a hash
 * map (one update per event: --summary costs no line per drop), and in line
 * mode also written to a ring buffer, a full ring counted, never silent.
 *
 * The reasons' numbers are not UAPI: they come from the running kernel's
 * enum skb_drop_reason through CO-RE enum relocations, and a reason the
 * kernel lacks is never matched.  The probe program tells user space which
 * values this kernel has.  The socket of a receive drop is the tracepoint's
 * rx_sk (6.11+; rodata has_rx_sk, chosen before load) or skb->sk; never
 * the current task, which on receive is whatever softirq interrupted.
 *
 * Built like sockiter.bpf.c: minimal CO-RE definitions, no vmlinux.h.
 *
 * Built a second time with MEMTRACE_PRESS defined (src/bpf/mempress.bpf.c,
 * a skeleton of its own, so that a kernel where a function cannot be
 * attached still has the tracepoints): fentry/fexit programs on
 * tcp_enter_memory_pressure and tcp_leave_memory_pressure (each episode
 * once, deduplicated by the flag's value, the jiffies it began at, with its
 * length) and fexit on tcp_check_oom (a connection aborted on memory:
 * TCPAbortOnMemory).  The same record, counters and aggregation, in maps
 * of that object; every event in its ring (they are rare). */
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "kernel_types.h"

enum {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};
enum { BPF_ANY = 0, BPF_NOEXIST = 1 };

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "memtrace.h"

#define AF_INET6 10
#define E2BIG 7
#define EEXIST 17
#define SK_MEM_SEND 0

/* ---- trace's own additions to the kernel's types (keep this block apart
 * from the shared stubs below: they may move to a common header) ---- */

/* sock_cgroup_data before 5.15: a union of the cgroup pointer and net_cls
 * and net_prio's data, val (a flavour: CO-RE finds it in the union) */
struct sock_cgroup_data___val {
	__u64 val;
} __attribute__((preserve_access_index));

struct sock___cgval {
	struct sock_cgroup_data___val sk_cgrp_data;
} __attribute__((preserve_access_index));

/* the memory cgroup's own cgroup (css.cgroup): on cgroup v1 a directory of
 * the memory hierarchy, on v2 the socket's cgroup or an ancestor */
struct cgroup_subsys_state {
	struct cgroup *cgroup;
} __attribute__((preserve_access_index));

struct mem_cgroup {
	struct cgroup_subsys_state css;
} __attribute__((preserve_access_index));

/* ---- the kernel's types: only the fields read, relocated by CO-RE ---- */

enum skb_drop_reason {
	SKB_DROP_REASON_PROTO_MEM,
	SKB_DROP_REASON_SOCKET_RCVBUFF,
	SKB_DROP_REASON_SOCKET_BACKLOG,
	SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE,
	SKB_DROP_REASON_TCP_OFO_DROP,
	SKB_DROP_REASON_TCP_ZEROWINDOW,
};

struct net_device {
	possible_net_t nd_net;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	unsigned int len;
	unsigned int truesize;
} __attribute__((preserve_access_index));

/* ---- what user space sets and reads ---- */

/* Set before load: a tracing program may call bpf_get_socket_cookie()
 * (5.12+; the libbpf loader of older kernels clears it). */
const volatile __u8 has_cookie_helper = 1;

#ifndef MEMTRACE_PRESS
/* Set before load: the kfree_skb tracepoint has the receiving socket as
 * its fourth argument (6.11+).  A constant, so that the verifier never
 * sees the access on a kernel whose tracepoint has three. */
const volatile __u8 has_rx_sk = 0;
#define MEMTRACE_AGG_MAX MEMTRACE_AGG_ENTRIES
#define MEMTRACE_RING_MAX MEMTRACE_RING_BYTES
#else
#define MEMTRACE_AGG_MAX MEMTRACE_PRESS_AGG_ENTRIES
#define MEMTRACE_RING_MAX MEMTRACE_PRESS_RING_BYTES
#endif

struct memtrace_req req;		/* the filters and the mode */
struct memtrace_probe probe;		/* the probe program's answer */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMTRACE_AGG_MAX);
	__type(key, struct memtrace_key);
	__type(value, struct memtrace_val);
} memtrace_agg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MEMTRACE_SLOTS);
	__type(key, __u32);
	__type(value, struct memtrace_counts);
} memtrace_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MEMTRACE_SLOTS);
	__type(key, __u32);
	__type(value, struct memtrace_pending);
} memtrace_pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, MEMTRACE_RING_MAX);
} memtrace_ring SEC(".maps");

#ifndef MEMTRACE_PRESS
/* The last receive charge refused on this CPU: the socket's fields as the
 * refusal's event has them.  Before 6.11 skb:kfree_skb has no rx_sk, and a
 * packet dropped because its receive charge was refused is not charged to
 * its socket (skb->sk is NULL; UDP has even reused skb->dev as scratch by
 * then: __udp_enqueue_schedule_skb, udp_set_dev_scratch), so the drop that
 * follows the refusal on the same CPU, in the same softirq, within
 * MEMTRACE_PAIR_NS, is given this socket (counts.paired says how many). */
#define MEMTRACE_PAIR_NS 1000000ULL
struct memtrace_refused {
	__u64 time_ns;			/* 0: none pending */
	struct memtrace_event ev;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct memtrace_refused);
} memtrace_refused SEC(".maps");

/* The value of each memory reason in this kernel's enum, -1 if absent. */
#define MEMTRACE_REASON(name) (bpf_core_enum_value_exists(enum skb_drop_reason, name) ? \
			       (long)bpf_core_enum_value(enum skb_drop_reason, name) : -1L)

static __always_inline int memtrace_reason_index(long reason)
{
	if (reason == MEMTRACE_REASON(SKB_DROP_REASON_SOCKET_RCVBUFF))
		return MEMTRACE_R_SOCKET_RCVBUFF;
	if (reason == MEMTRACE_REASON(SKB_DROP_REASON_PROTO_MEM))
		return MEMTRACE_R_PROTO_MEM;
	if (reason == MEMTRACE_REASON(SKB_DROP_REASON_SOCKET_BACKLOG))
		return MEMTRACE_R_SOCKET_BACKLOG;
	if (reason == MEMTRACE_REASON(SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE))
		return MEMTRACE_R_TCP_OFO_QUEUE_PRUNE;
	if (reason == MEMTRACE_REASON(SKB_DROP_REASON_TCP_OFO_DROP))
		return MEMTRACE_R_TCP_OFO_DROP;
	if (reason == MEMTRACE_REASON(SKB_DROP_REASON_TCP_ZEROWINDOW))
		return MEMTRACE_R_TCP_ZEROWINDOW;
	return -1;
}

SEC("syscall")
int memtrace_probe(void *ctx)
{
	probe.reason_value[MEMTRACE_R_PROTO_MEM] = MEMTRACE_REASON(SKB_DROP_REASON_PROTO_MEM);
	probe.reason_value[MEMTRACE_R_SOCKET_RCVBUFF] = MEMTRACE_REASON(SKB_DROP_REASON_SOCKET_RCVBUFF);
	probe.reason_value[MEMTRACE_R_SOCKET_BACKLOG] = MEMTRACE_REASON(SKB_DROP_REASON_SOCKET_BACKLOG);
	probe.reason_value[MEMTRACE_R_TCP_OFO_QUEUE_PRUNE] =
		MEMTRACE_REASON(SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE);
	probe.reason_value[MEMTRACE_R_TCP_OFO_DROP] = MEMTRACE_REASON(SKB_DROP_REASON_TCP_OFO_DROP);
	probe.reason_value[MEMTRACE_R_TCP_ZEROWINDOW] = MEMTRACE_REASON(SKB_DROP_REASON_TCP_ZEROWINDOW);
	probe.done = 1;
	return 0;
}
#endif

/* The socket's inode (0: none, e.g. closed): sk_ino from 6.16, before
 * that the inode of the struct socket_alloc around sk_socket. */
static __always_inline __u32 memtrace_sock_inode(struct sock *sk)
{
	struct socket_alloc *sa;

	if (bpf_core_field_exists(sk->sk_ino))
		return (__u32)BPF_CORE_READ(sk, sk_ino);
	sa = (struct socket_alloc *)BPF_CORE_READ(sk, sk_socket);
	return sa ? (__u32)BPF_CORE_READ(sa, vfs_inode.i_ino) : 0;
}

/* The cgroup v2 id of the socket (sock_cgroup_ptr()): the pointer itself
 * from 5.15, before that the union's val, a pointer when its low bit
 * (is_data: net_cls or net_prio in use, the root's then) is clear. */
static __always_inline __u64 memtrace_sock_cgroup(struct sock *sk)
{
	struct cgroup *cg = NULL;

	if (bpf_core_field_exists(struct sock_cgroup_data, cgroup)) {
		cg = sk->sk_cgrp_data.cgroup;
		return cg ? cg->kn->id : 0;
	}
	if (bpf_core_field_exists(struct sock_cgroup_data___val, val)) {
		__u64 v = BPF_CORE_READ((struct sock___cgval *)sk, sk_cgrp_data.val);

		if (v && !(v & 1))
			cg = (struct cgroup *)v;
	}
	return cg ? BPF_CORE_READ(cg, kn, id) : 0;
}

/* The fields of the key, read for every event: direct loads (the verifier
 * makes them faulting-safe), the socket as the helper wants it. */
static __always_inline void memtrace_sock_key(struct memtrace_key *k, struct sock *sk, int trusted)
{
	struct net *net = sk->__sk_common.skc_net.net;

	/* the helper wants a trusted pointer (a tracepoint argument), and a
	 * tracing program has it from 5.12 (has_cookie_helper); skb->sk is
	 * only RCU-protected: its cookie as generated so far (sock_diag and
	 * ss generate it), and without one the socket's inode stands in, so
	 * that two sockets never share an entry */
	if (trusted && has_cookie_helper)
		k->cookie = bpf_get_socket_cookie(sk);
	else
		k->cookie = (__u64)BPF_CORE_READ(sk, __sk_common.skc_cookie.counter);
	if (!k->cookie) {
		__u32 ino = memtrace_sock_inode(sk);

		if (ino)
			k->cookie = MEMTRACE_COOKIE_INODE | ino;
	}
	k->netns_ino = net ? net->ns.inum : 0;
	k->cgroup_id = memtrace_sock_cgroup(sk);
}

/* sk_get_rmem0() / sk_get_wmem0(): per-netns (TCP) or global (UDP). */
static __always_inline int memtrace_buf0(const struct sock *sk, const struct proto *prot, int send)
{
	__u32 off = send ? BPF_CORE_READ(prot, sysctl_wmem_offset)
			 : BPF_CORE_READ(prot, sysctl_rmem_offset);
	int *p = send ? BPF_CORE_READ(prot, sysctl_wmem) : BPF_CORE_READ(prot, sysctl_rmem);
	int v = 0;

	if (off) {
		struct net *net = BPF_CORE_READ(sk, __sk_common.skc_net.net);

		if (net)
			bpf_probe_read_kernel(&v, sizeof(v), (const char *)net + off);
	} else if (p) {
		bpf_probe_read_kernel(&v, sizeof(v), p);
	}
	return v;
}

/* The rest of the record: only for a new aggregation entry or a line. */
static __always_inline void memtrace_fill(struct memtrace_event *e, const struct memtrace_key *k,
					  struct sock *sk, long allocated, int have_allocated,
					  long episode_ms)
{
	struct mem_cgroup *memcg;
	struct proto *prot;
	unsigned long *press;
	long *mem;
	int drops;

	e->cookie = k->cookie;
	e->cgroup_id = k->cgroup_id;
	e->netns_ino = k->netns_ino;
	e->event = (__u8)k->event;
	e->cpu = (__u8)bpf_get_smp_processor_id();
	if (episode_ms >= 0) {
		e->episode_ms = episode_ms > 0xffffffffL ? 0xffffffffu : (__u32)episode_ms;
		e->flags |= MEMTRACE_F_EPISODE;
	}
	if (!sk)
		return;
	e->flags |= MEMTRACE_F_SOCK;
	if (k->cgroup_id)
		e->flags |= MEMTRACE_F_CGROUP;
	e->family = (__u8)BPF_CORE_READ(sk, __sk_common.skc_family);
	e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e->protocol = BPF_CORE_READ(sk, sk_protocol);
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (e->family == AF_INET6) {
		BPF_CORE_READ_INTO(&e->src, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&e->dst, sk, __sk_common.skc_v6_daddr);
	} else {
		BPF_CORE_READ_INTO((__be32 *)e->src, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__be32 *)e->dst, sk, __sk_common.skc_daddr);
	}
	e->uid = BPF_CORE_READ(sk, sk_uid.val);
	e->rmem_alloc = BPF_CORE_READ(sk, sk_backlog.rmem_alloc.counter);
	e->rcvbuf = BPF_CORE_READ(sk, sk_rcvbuf);
	e->wmem_queued = BPF_CORE_READ(sk, sk_wmem_queued);
	e->wmem_alloc = BPF_CORE_READ(sk, sk_wmem_alloc.refs.counter) - 1;
	e->sndbuf = BPF_CORE_READ(sk, sk_sndbuf);
	if (BPF_CORE_READ(sk, sk_memcg))
		e->flags |= MEMTRACE_F_MEMCG;	/* a memcg charges it (v1: kmem.tcp set) */
	drops = BPF_CORE_READ(sk, sk_drops.counter);
	if (bpf_core_field_exists(sk->sk_drop_counters) &&
	    bpf_core_type_exists(struct numa_drop_counters)) {
		struct numa_drop_counters *ndc = BPF_CORE_READ(sk, sk_drop_counters);

		if (ndc)
			drops = BPF_CORE_READ(ndc, drops0.counter) + BPF_CORE_READ(ndc, drops1.counter);
	}
	e->drops = (__u32)drops;
	e->inode = memtrace_sock_inode(sk);
	memcg = BPF_CORE_READ(sk, sk_memcg);
	if (memcg)
		e->memcg_cgroup_id = BPF_CORE_READ(memcg, css.cgroup, kn, id);
	prot = BPF_CORE_READ(sk, __sk_common.skc_prot);
	if (!prot)
		return;
	if (!have_allocated) {
		atomic_long_t *ma = BPF_CORE_READ(prot, memory_allocated);

		have_allocated = ma && !bpf_probe_read_kernel(&allocated, sizeof(allocated), &ma->counter);
	}
	mem = BPF_CORE_READ(prot, sysctl_mem);
	if (have_allocated && mem &&
	    !bpf_probe_read_kernel(e->sysctl_mem_pages, sizeof(e->sysctl_mem_pages), mem)) {
		e->allocated_pages = allocated;
		e->flags |= MEMTRACE_F_LIMITS;
	}
	press = BPF_CORE_READ(prot, memory_pressure);
	if (press) {
		unsigned long p = 0;

		if (!bpf_probe_read_kernel(&p, sizeof(p), press) && p)
			e->flags |= MEMTRACE_F_PRESSURE;
	}
	e->sysctl_rmem = memtrace_buf0(sk, prot, 0);
	e->sysctl_wmem = memtrace_buf0(sk, prot, 1);
	e->flags |= MEMTRACE_F_SYSCTL_BUF;
}

/* memtrace_fill(), or for a paired drop the refusal's socket fields, with
 * this event's own kind, CPU, time and packet. */
static __always_inline void memtrace_fill_from(struct memtrace_event *e, const struct memtrace_key *k,
					       struct sock *sk, long allocated, int have_allocated,
					       long episode_ms, const struct memtrace_event *tmpl)
{
	__u64 t = e->time_ns;
	__u32 len = e->skb_len, truesize = e->skb_truesize;

	if (!tmpl) {
		memtrace_fill(e, k, sk, allocated, have_allocated, episode_ms);
		return;
	}
	*e = *tmpl;
	e->time_ns = t;
	e->skb_len = len;
	e->skb_truesize = truesize;
	e->event = (__u8)k->event;
	e->cpu = (__u8)bpf_get_smp_processor_id();
	e->flags &= ~MEMTRACE_F_FIRST;
}

/* An atomic add, never of a constant 0: the compiler turns that into an
 * atomic OR of 0 (an idempotent read-modify-write), which a kernel before
 * 5.12 refuses ("BPF_XADD uses reserved fields"): refusals carry no packet. */
static __always_inline void memtrace_add(__u64 *p, __u64 v)
{
	if (v)
		__sync_fetch_and_add(p, v);
}

static __always_inline int memtrace_key_eq(const struct memtrace_key *a, const struct memtrace_key *b)
{
	return a->cgroup_id == b->cgroup_id && a->cookie == b->cookie &&
	       a->netns_ino == b->netns_ino && a->event == b->event;
}

/* One event of program slot (MEMTRACE_SLOT_*): counted per CPU; then its
 * aggregation entry's count, in a per-CPU pending count while the events
 * on this CPU keep to one entry (a flood on one socket costs no map
 * operation), into the map when another entry comes (user space adds what
 * is still pending at the end).  The kernel never runs a program nested in
 * itself on one CPU (it counts a recursion miss instead), and each program
 * has its own slot: nothing per CPU is shared by two runs at once. */
static __always_inline void memtrace_record(struct sock *sk, int trusted, struct sk_buff *skb,
					    int event, long allocated, int have_allocated, __u32 slot,
					    long episode_ms, const struct memtrace_event *tmpl)
{
	struct memtrace_key k = { 0 };
	struct memtrace_pending *p;
	struct memtrace_counts *c;
	struct memtrace_val *v;
	__u32 len = 0, truesize = 0;
	int first = 0, armed = 0;
	__u64 now = 0;
	long rc;

	if (req.paused || event < 0 || event >= MEMTRACE_NEVENTS)
		return;
	c = bpf_map_lookup_elem(&memtrace_counts, &slot);
	p = bpf_map_lookup_elem(&memtrace_pending, &slot);
	if (!c || !p)
		return;
	if (skb) {
		len = skb->len;
		truesize = skb->truesize;
	}
	/* the same socket and event as the last one on this CPU: its cookie
	 * (unique since boot) says so, and with it the namespace, cgroup and
	 * protocol that passed the filters then */
	if (sk && p->armed && p->key.event == (__u32)event) {
		__u64 ck = (__u64)sk->__sk_common.skc_cookie.counter;

		if (ck && ck == p->key.cookie) {
			c->events[event]++;
			p->count++;
			p->truesize_sum += truesize;
			if (!req.every_event)
				return;
			k = p->key;
			goto ring;
		}
	}
	if (sk) {
		if (req.protocol && sk->sk_protocol != req.protocol)
			return;
		memtrace_sock_key(&k, sk, trusted);
	} else if (tmpl) {
		/* the socket of the refusal just before (memtrace_refused) */
		if (req.protocol && tmpl->protocol != req.protocol)
			return;
		k.cookie = tmpl->cookie;
		k.cgroup_id = tmpl->cgroup_id;
		k.netns_ino = tmpl->netns_ino;
	} else if (skb) {
		/* no socket: the device's namespace, the event not attributed */
		struct net_device *dev = skb->dev;
		struct net *net = dev ? dev->nd_net.net : 0;

		if (req.protocol)
			return;
		if (net)
			k.netns_ino = net->ns.inum;
	}
	/* the pressure state is the host's: an episode shows whichever
	 * namespace's socket entered or left it.  A drop with neither socket
	 * nor a readable device (UDP's scratch in skb->dev) has no namespace
	 * to filter on: counted, not attributed (no_sock), never lost. */
	if (req.netns_ino && k.netns_ino != req.netns_ino && (sk || tmpl || k.netns_ino) &&
	    event != MEMTRACE_EV_PRESS_ENTER && event != MEMTRACE_EV_PRESS_LEAVE)
		return;
	k.event = (__u32)event;
	c->events[event]++;
	if (tmpl)
		c->paired++;
	else if (!sk)
		c->no_sock++;
	if (p->armed && memtrace_key_eq(&p->key, &k)) {
		p->count++;
		p->truesize_sum += truesize;
		if (!req.every_event)
			return;
		goto ring;
	}
	/* another entry: what is pending goes to its own first */
	if (p->armed && p->count) {
		v = bpf_map_lookup_elem(&memtrace_agg, &p->key);
		if (v) {
			__sync_fetch_and_add(&v->count, p->count);
			memtrace_add(&v->truesize_sum, p->truesize_sum);
		}
	}
	p->armed = 0;
	p->count = 0;
	p->truesize_sum = 0;
	v = bpf_map_lookup_elem(&memtrace_agg, &k);
	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		memtrace_add(&v->truesize_sum, truesize);
		armed = 1;
	} else {
		struct memtrace_val nv = { 0 };

		now = bpf_ktime_get_ns();
		nv.count = 1;
		nv.truesize_sum = truesize;
		nv.first.time_ns = now;
		nv.first.skb_len = len;
		nv.first.skb_truesize = truesize;
		memtrace_fill_from(&nv.first, &k, sk, allocated, have_allocated, episode_ms, tmpl);
		rc = bpf_map_update_elem(&memtrace_agg, &k, &nv, BPF_NOEXIST);
		if (!rc) {
			first = armed = 1;
		} else if (rc == -EEXIST) {
			/* another CPU made it in between */
			v = bpf_map_lookup_elem(&memtrace_agg, &k);
			if (v) {
				__sync_fetch_and_add(&v->count, 1);
				memtrace_add(&v->truesize_sum, truesize);
				armed = 1;
			}
		} else {
			c->agg_full++;	/* counted above, without its socket */
		}
	}
	if (armed) {
		p->key = k;
		p->armed = 1;
	}
ring:
	if (req.every_event || first) {
		struct memtrace_event *e = bpf_ringbuf_reserve(&memtrace_ring, sizeof(*e), 0);

		if (!e) {
			c->ring_lost++;
			return;
		}
		__builtin_memset(e, 0, sizeof(*e));
		e->time_ns = now ? now : bpf_ktime_get_ns();
		e->skb_len = len;
		e->skb_truesize = truesize;
		memtrace_fill_from(e, &k, sk, allocated, have_allocated, episode_ms, tmpl);
		if (first)
			e->flags |= MEMTRACE_F_FIRST;
		/* the kernel wakes the reader only when it had caught up */
		bpf_ringbuf_submit(e, 0);
	}
}

#ifndef MEMTRACE_PRESS
/* TP_PROTO(struct sock *sk, struct proto *prot, long allocated, int kind) */
SEC("tp_btf/sock_exceed_buf_limit")
int memtrace_exceed(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	long allocated = (long)ctx[2];
	int kind = (int)ctx[3];

	if (!sk)
		return 0;
	memtrace_record(sk, 1, 0, kind == SK_MEM_SEND ? MEMTRACE_EV_REFUSE_SEND : MEMTRACE_EV_REFUSE_RECV,
			allocated, 1, MEMTRACE_SLOT_EXCEED, -1, 0);
	if (kind != SK_MEM_SEND && !has_rx_sk && !req.paused) {
		__u32 zero = 0;
		struct memtrace_refused *rf = bpf_map_lookup_elem(&memtrace_refused, &zero);
		struct memtrace_key k = { 0 };

		if (rf) {
			memtrace_sock_key(&k, sk, 1);
			k.event = MEMTRACE_EV_REFUSE_RECV;
			__builtin_memset(&rf->ev, 0, sizeof(rf->ev));
			memtrace_fill(&rf->ev, &k, sk, allocated, 1, -1);
			rf->time_ns = bpf_ktime_get_ns();
		}
	}
	return 0;
}

/* TP_PROTO(struct sk_buff *skb, void *location, enum skb_drop_reason reason
 * [, struct sock *rx_sk]) */
SEC("tp_btf/kfree_skb")
int memtrace_kfree_skb(unsigned long long *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx[0];
	int r = memtrace_reason_index((long)(__u32)ctx[2]);
	struct sock *sk;

	if (r < 0)
		return 0;
	if (has_rx_sk) {
		sk = (struct sock *)ctx[3];
		if (sk) {
			memtrace_record(sk, 1, skb, MEMTRACE_EV_DROP0 + r, 0, 0, MEMTRACE_SLOT_KFREE_SKB, -1, 0);
			return 0;
		}
	}
	sk = skb->sk;
	if (!sk && !has_rx_sk && r == MEMTRACE_R_PROTO_MEM) {
		__u32 zero = 0;
		struct memtrace_refused *rf = bpf_map_lookup_elem(&memtrace_refused, &zero);

		if (rf && rf->time_ns && bpf_ktime_get_ns() - rf->time_ns <= MEMTRACE_PAIR_NS) {
			rf->time_ns = 0;	/* one drop per refusal */
			memtrace_record(0, 0, skb, MEMTRACE_EV_DROP0 + r, 0, 0, MEMTRACE_SLOT_KFREE_SKB, -1,
					&rf->ev);
			return 0;
		}
	}
	memtrace_record(sk, 0, skb, MEMTRACE_EV_DROP0 + r, 0, 0, MEMTRACE_SLOT_KFREE_SKB, -1, 0);
	return 0;
}

#else /* MEMTRACE_PRESS */

/* The flag the episode is: tcp_memory_pressure, 0 or the jiffies (never 0)
 * it was set at (tcp_enter_memory_pressure), through the socket's proto. */
static __always_inline __u64 memtrace_press_flag(struct sock *sk)
{
	struct proto *prot = BPF_CORE_READ(sk, __sk_common.skc_prot);
	unsigned long *press = prot ? BPF_CORE_READ(prot, memory_pressure) : 0;
	unsigned long v = 0;

	if (press)
		bpf_probe_read_kernel(&v, sizeof(v), press);
	return v;
}

/* The flag before tcp_enter_memory_pressure ran on this CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} memtrace_press_before SEC(".maps");

/* Each episode once: its flag value, shifted, +1 for its leave; the value
 * of an enter is when it was seen (bpf_ktime_get_ns), for the length.
 * BPF_NOEXIST is atomic: of two CPUs racing on one episode, one wins. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __u64);
} memtrace_press_seen SEC(".maps");

/* void tcp_enter_memory_pressure(struct sock *sk) */
SEC("fentry/tcp_enter_memory_pressure")
int memtrace_press_enter_in(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	__u32 zero = 0;
	__u64 *before = bpf_map_lookup_elem(&memtrace_press_before, &zero);

	if (before)
		*before = sk ? memtrace_press_flag(sk) : 1;
	return 0;
}

/* Entered: the flag was 0 on the way in and is set on the way out (by
 * this call, or by another CPU's in the same race: the value tells). */
SEC("fexit/tcp_enter_memory_pressure")
int memtrace_press_enter(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	__u32 zero = 0;
	__u64 *before = bpf_map_lookup_elem(&memtrace_press_before, &zero);
	__u64 v, key, now;

	if (!before || *before || !sk || req.paused)
		return 0;
	v = memtrace_press_flag(sk);
	if (!v)
		return 0;
	key = v << 1;
	now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&memtrace_press_seen, &key, &now, BPF_NOEXIST))
		return 0;
	memtrace_record(sk, 1, 0, MEMTRACE_EV_PRESS_ENTER, 0, 0, MEMTRACE_SLOT_PRESS_ENTER, -1, 0);
	return 0;
}

/* void tcp_leave_memory_pressure(struct sock *sk): it clears a set flag
 * (xchg, one caller wins); the episode's length when its enter was seen. */
SEC("fentry/tcp_leave_memory_pressure")
int memtrace_press_leave(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	__u64 v, key, now, *entered;
	long ms = -1;

	if (!sk || req.paused)
		return 0;
	v = memtrace_press_flag(sk);
	if (!v)
		return 0;
	key = (v << 1) | 1;
	now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&memtrace_press_seen, &key, &now, BPF_NOEXIST))
		return 0;
	key = v << 1;
	entered = bpf_map_lookup_elem(&memtrace_press_seen, &key);
	if (entered && now >= *entered)
		ms = (long)((now - *entered) / 1000000);
	memtrace_record(sk, 1, 0, MEMTRACE_EV_PRESS_LEAVE, 0, 0, MEMTRACE_SLOT_PRESS_LEAVE, ms, 0);
	return 0;
}

/* bool tcp_check_oom(const struct sock *sk, int shift): true when the
 * connection is reset for memory (tcp_out_of_resources, __tcp_close: both
 * count TCPAbortOnMemory): over tcp_mem[2] or too many orphans. */
SEC("fexit/tcp_check_oom")
int memtrace_oom(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	__u32 slot = MEMTRACE_SLOT_OOM;
	struct memtrace_counts *c;

	if (req.paused)
		return 0;
	c = bpf_map_lookup_elem(&memtrace_counts, &slot);
	if (c)
		c->oom_checks++;
	if ((__u8)ctx[2] && sk)
		memtrace_record(sk, 1, 0, MEMTRACE_EV_ABORT_MEMORY, 0, 0, MEMTRACE_SLOT_OOM, -1, 0);
	return 0;
}

#endif /* MEMTRACE_PRESS */

char LICENSE[] SEC("license") = "GPL";
