/* kernel_types.h - the kernel's types the BPF programs read (sockiter.bpf.c,
 * memtrace.bpf.c), as minimal CO-RE definitions: the fixed-width integer
 * types (before <bpf/bpf_helpers.h>, which uses them) and only the fields
 * read, each struct marked preserve_access_index so that libbpf relocates
 * every access against the running kernel's BTF.  Never a vmlinux.h of the
 * build host: the programs build anywhere clang targets BPF.  A field
 * declared here and read by no program costs nothing (a relocation is made
 * per access); the order and the sizes here are not the kernel's. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_BPF_KERNEL_TYPES_H
#define SOCKMEM_BPF_KERNEL_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be32 u6_addr32[4];
	} in6_u;
} __attribute__((preserve_access_index));

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

typedef struct {
	long long counter;
} atomic64_t;

typedef struct {
	atomic_t refs;
} refcount_t;

typedef struct {
	unsigned int val;
} kuid_t;

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct proto {
	atomic_long_t *memory_allocated;
	int *per_cpu_fw_alloc;		/* int __percpu * (6.0+) */
	unsigned long *memory_pressure;
	long *sysctl_mem;
	int *sysctl_wmem;
	int *sysctl_rmem;
	__u32 sysctl_wmem_offset;
	__u32 sysctl_rmem_offset;
} __attribute__((preserve_access_index));

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	struct proto *skc_prot;
	possible_net_t skc_net;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	atomic64_t skc_cookie;
} __attribute__((preserve_access_index));

struct kernfs_node {
	__u64 id;
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct sock_cgroup_data {
	struct cgroup *cgroup;
} __attribute__((preserve_access_index));

/* 6.18: UDP's drops in per-NUMA counters (sk_drops_read()) */
struct numa_drop_counters {
	atomic_t drops0;
	atomic_t drops1;
} __attribute__((preserve_access_index));

struct inode {
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct socket {
	short type;
} __attribute__((preserve_access_index));

struct socket_alloc {
	struct socket socket;
	struct inode vfs_inode;
} __attribute__((preserve_access_index));

struct mem_cgroup;

struct sock {
	struct sock_common __sk_common;
	atomic_t sk_drops;
	struct {
		atomic_t rmem_alloc;
		int len;
	} sk_backlog;
	int sk_rcvbuf;
	struct socket *sk_socket;
	int sk_forward_alloc;
	atomic_t sk_omem_alloc;
	int sk_wmem_queued;
	refcount_t sk_wmem_alloc;
	int sk_sndbuf;
	__u16 sk_protocol;
	kuid_t sk_uid;
	__u32 sk_ack_backlog;
	__u32 sk_max_ack_backlog;
	unsigned long sk_ino;		/* 6.16+: the inode without sk_socket */
	struct mem_cgroup *sk_memcg;
	struct sock_cgroup_data sk_cgrp_data;
	struct numa_drop_counters *sk_drop_counters;
} __attribute__((preserve_access_index));

struct tcp_sock {
	__u32 rcv_nxt;
	__u32 copied_seq;
	__u32 snd_una;
	__u32 write_seq;
} __attribute__((preserve_access_index));

struct udp_sock {
	int forward_deficit;
} __attribute__((preserve_access_index));

struct inet_timewait_sock {
	unsigned char tw_substate;
} __attribute__((preserve_access_index));

struct tcp_timewait_sock {
	struct inet_timewait_sock tw_sk;
} __attribute__((preserve_access_index));

#endif
