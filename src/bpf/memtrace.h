/* memtrace.h - what the event program (memtrace.bpf.c) and its loader
 * (src/kernel/tracer.c) share: the event codes, the fixed-size record of one
 * refusal or memory drop (ring buffer and aggregation map), the key and value
 * of the per (cgroup, socket, event) map, the per-CPU counters and the
 * request.  The ring buffer carries every event in line mode, and otherwise
 * the first event of each new aggregation entry.  Only fixed-width types, so that one layout compiles for
 * -target bpf and for the host. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPF_MEMTRACE_H
#define SOCKMEM_BPF_MEMTRACE_H

/* Event codes: a refused charge by direction (sock:sock_exceed_buf_limit,
 * kind SK_MEM_SEND / SK_MEM_RECV), then skb:kfree_skb by memory reason, in
 * the order of the reason table (MEMTRACE_EV_DROP0 + reason index). */
#define MEMTRACE_EV_REFUSE_SEND 0
#define MEMTRACE_EV_REFUSE_RECV 1
#define MEMTRACE_EV_DROP0 2
#define MEMTRACE_R_PROTO_MEM 0
#define MEMTRACE_R_SOCKET_RCVBUFF 1
#define MEMTRACE_R_SOCKET_BACKLOG 2
#define MEMTRACE_R_TCP_OFO_QUEUE_PRUNE 3
#define MEMTRACE_R_TCP_OFO_DROP 4
#define MEMTRACE_R_TCP_ZEROWINDOW 5
#define MEMTRACE_NREASONS 6
/* Then the pressure programs (mempress: the same source built with
 * MEMTRACE_PRESS, a skeleton of its own so that a kernel where a function
 * cannot be attached keeps the tracepoints): TCP entering and leaving
 * memory pressure (tcp_enter/leave_memory_pressure, each episode once),
 * and a connection aborted on memory (tcp_check_oom returning true: over
 * tcp_mem[2] or too many orphans, TCPAbortOnMemory). */
#define MEMTRACE_EV_PRESS_ENTER (MEMTRACE_EV_DROP0 + MEMTRACE_NREASONS)
#define MEMTRACE_EV_PRESS_LEAVE (MEMTRACE_EV_PRESS_ENTER + 1)
#define MEMTRACE_EV_ABORT_MEMORY (MEMTRACE_EV_PRESS_ENTER + 2)
#define MEMTRACE_NEVENTS (MEMTRACE_EV_ABORT_MEMORY + 1)

/* memtrace_event.flags */
#define MEMTRACE_F_SOCK 0x01		/* a socket: the socket fields are set */
#define MEMTRACE_F_CGROUP 0x02		/* cgroup_id is set */
#define MEMTRACE_F_MEMCG 0x04		/* the socket is charged to a memory cgroup */
#define MEMTRACE_F_PRESSURE 0x08		/* the protocol was under memory pressure */
#define MEMTRACE_F_LIMITS 0x10		/* allocated_pages and sysctl_mem_pages are set */
#define MEMTRACE_F_SYSCTL_BUF 0x20	/* sysctl_rmem/sysctl_wmem are set */
#define MEMTRACE_F_FIRST 0x40		/* the first event of its aggregation entry */
#define MEMTRACE_F_EPISODE 0x80		/* press-leave: episode_ms is set (its enter was seen) */
/* memtrace_event.xflags */
#define MEMTRACE_X_POLLED 0x01		/* a pressure transition seen in /proc/net/protocols */

/* One event, 168 bytes.  Addresses in network order (IPv4 in the first 4
 * bytes), ports in host order, pages in the kernel's page unit. */
struct memtrace_event {
	__u64 time_ns;			/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 cookie;			/* sock_gen_cookie(), 0 without a socket */
	__u64 cgroup_id;		/* cgroup v2 id of the socket (kernfs inode) */
	__s64 allocated_pages;		/* the protocol's memory_allocated */
	__s64 sysctl_mem_pages[3];	/* tcp_mem / udp_mem at the event */
	__u32 netns_ino;		/* the socket's (or the device's) network namespace */
	__u32 inode;			/* the socket's inode (0: none, e.g. closed) */
	__u32 uid;
	__s32 rmem_alloc, rcvbuf;	/* sk_rmem_alloc, sk_rcvbuf (bytes) */
	__s32 wmem_queued, wmem_alloc, sndbuf;
	__s32 sysctl_rmem, sysctl_wmem;	/* sk_get_rmem0/wmem0(): the guaranteed minimum */
	__u32 skb_len, skb_truesize;	/* drops: the packet */
	__u32 drops;			/* the socket's drop count after the event */
	__u8 src[16], dst[16];
	__u16 sport, dport;
	__u16 protocol;			/* sk_protocol: IPPROTO_TCP, _UDP, ... */
	__u8 family;			/* AF_INET, AF_INET6 */
	__u8 state;			/* TCP_ESTABLISHED ... */
	__u8 event;			/* MEMTRACE_EV_* */
	__u8 flags;			/* MEMTRACE_F_* */
	__u8 cpu;			/* the CPU it happened on (mod 256) */
	__u8 xflags;			/* MEMTRACE_X_*: set by user space only */
	__u32 episode_ms;		/* press-leave: the episode's length (MEMTRACE_F_EPISODE) */
	__u8 pad[4];
	__u64 memcg_cgroup_id;		/* the memory cgroup's own cgroup (kernfs inode: on
					 * cgroup v1 in the memory hierarchy), 0: none */
};

/* A socket without a cookie yet (skb->sk before anybody asked, or no
 * helper before 5.12): the key's cookie is this bit and its inode.  Real
 * cookies count from 1 and never reach it. */
#define MEMTRACE_COOKIE_INODE (1ULL << 63)

/* The aggregation map: one entry per (cgroup, socket, event). */
struct memtrace_key {
	__u64 cgroup_id;
	__u64 cookie;
	__u32 netns_ino;
	__u32 event;
};

struct memtrace_val {
	__u64 count;
	__u64 truesize_sum;		/* drops: bytes of the packets dropped */
	struct memtrace_event first;	/* the first event of the entry */
};

/* Each program has its own per-CPU slot in the counters and the pending
 * count: the two can run nested on one CPU (process context, softirq). */
#define MEMTRACE_SLOT_EXCEED 0
#define MEMTRACE_SLOT_KFREE_SKB 1
#define MEMTRACE_SLOT_PRESS_ENTER 0	/* the pressure object's own maps */
#define MEMTRACE_SLOT_PRESS_LEAVE 1
#define MEMTRACE_SLOT_OOM 2
#define MEMTRACE_SLOTS 3

/* Per CPU and slot: the events of one aggregation entry not yet added to
 * it (a run of events on one entry costs no map operation). */
struct memtrace_pending {
	struct memtrace_key key;
	__u64 count;
	__u64 truesize_sum;
	__u32 armed;			/* key is an entry of the map */
	__u32 pad;
};

/* The per-CPU counters (one entry per slot of a per-CPU array). */
struct memtrace_counts {
	__u64 events[MEMTRACE_NEVENTS];	/* every event that passed the filters */
	__u64 ring_lost;		/* line mode: no room in the ring buffer */
	__u64 agg_full;			/* the aggregation map was full: counted here only */
	__u64 no_sock;			/* drops without a socket (not attributed) */
	__u64 oom_checks;		/* tcp_check_oom calls seen (true or false): the
					 * hook sees the close and timer paths */
	__u64 paired;			/* drops without a socket given the one whose
					 * receive charge was refused just before on
					 * that CPU (before 6.11: no rx_sk) */
};

/* What user space sets before attaching (.bss) and reads after probing. */
struct memtrace_req {
	__u32 netns_ino;		/* only this network namespace; 0: every one */
	__u16 protocol;			/* only this sk_protocol; 0: every one */
	__u8 every_event;		/* line mode: every event into the ring buffer;
					 * otherwise only each entry's first (to name
					 * its process while it runs) */
	__u8 paused;			/* count nothing: the window is closed */
};

/* Filled by the probe program (SEC("syscall")) from the running kernel's
 * BTF: each memory reason's value in enum skb_drop_reason, -1 when absent. */
struct memtrace_probe {
	__s32 reason_value[MEMTRACE_NREASONS];
	__u32 done;
};

#define MEMTRACE_AGG_ENTRIES 16384
#define MEMTRACE_RING_BYTES (4u << 20)
/* The pressure object: rare events, every one in its ring. */
#define MEMTRACE_PRESS_AGG_ENTRIES 1024
#define MEMTRACE_PRESS_RING_BYTES (256u << 10)

#endif
