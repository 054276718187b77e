/* nl.h - the one netlink layer (libmnl): a dump request on NETLINK_SOCK_DIAG
 * with extended ack, a receive loop that handles EINTR, NLMSG_ERROR and
 * errors carried in NLMSG_DONE with the kernel's message, and
 * NLM_F_DUMP_INTR by restarting the dump; and the replay of a dump recorded
 * as raw netlink buffers (the format of iproute2's "ss -D FILE"). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_NL_H
#define SOCKMEM_NL_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The kernel fills each dump skb up to 32 KiB once the reader offers a buffer
 * that large (netlink_dump, nlk->max_recvmsg_len); 64 KiB leaves room for an
 * oversized message.  See kernel-model.md section 10. */
#define NL_RECV_BUF (64u * 1024)
/* SO_RCVBUF asked for, as iproute2 does, so a fast dump is not overrun. */
#define NL_SOCK_RCVBUF (1u << 20)
/* A dump whose sequence changed (NLM_F_DUMP_INTR) is retried this often. */
#define NL_DUMP_RETRIES 5
/* Largest message accepted from a file (the kernel never sends more). */
#define NL_MAX_MSG (1u << 20)
/* A replay stops after this many messages: 50 million is 50 times the
 * sockets of a very large host, and keeps hostile input bounded in time. */
#define NL_REPLAY_MAX_MESSAGES 50000000ul

struct nl_error {
	int err;		/* positive errno of the failure, 0 if none */
	char msg[256];		/* the kernel's extack message or our description */
	long offset;		/* replay: file offset of the bad message, else -1 */
	bool kernel;		/* err is the kernel's answer (NLMSG_ERROR, or NLMSG_DONE
				 * with an error), not a failed system call */
};

struct nl_handler {
	/* one data message; return 0 to go on or a negative errno to stop */
	int (*msg)(const struct nlmsghdr *nlh, void *data);
	void *data;
};

/* Dump request (already built, nlmsg_seq/pid filled in here) on a fresh
 * NETLINK_SOCK_DIAG socket.  If record is not NULL the raw received buffers
 * are written to it (ss -D format).  *interrupted is set when the kernel
 * flagged NLM_F_DUMP_INTR: the caller restarts (NL_DUMP_RETRIES times).
 * Returns 0 or -errno with e filled. */
int nl_dump(struct nlmsghdr *req, const struct nl_handler *h, FILE *record, bool *interrupted,
	    struct nl_error *e);

/* Replays raw netlink messages from f until EOF (several dumps may follow
 * each other, each ended by NLMSG_DONE).  *interrupted is set if a message
 * carried NLM_F_DUMP_INTR (the recorded dump is not consistent).
 * Returns 0 or -errno (-EBADMSG for malformed data) with e filled. */
int nl_replay(FILE *f, const struct nl_handler *h, bool *interrupted, struct nl_error *e);

/* Processes one buffer of messages.  Returns 1 (more to come), 0 (NLMSG_DONE
 * seen) or -errno; sets *intr on NLM_F_DUMP_INTR.  Exposed for tests. */
int nl_process(const void *buf, size_t len, uint32_t seq, uint32_t portid,
	       const struct nl_handler *h, bool *intr, struct nl_error *e);

#endif
