/* nl.c - libmnl dump loop and raw-dump replay for NETLINK_SOCK_DIAG. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

static void nl_set(struct nl_error *e, int err, const char *msg)
{
	e->err = err;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
}

/* A failed system call, named: "sendto: Operation not permitted". */
static void nl_set_call(struct nl_error *e, const char *call, int err)
{
	e->err = err;
	snprintf(e->msg, sizeof(e->msg), "%s: %s", call, strerror(err));
}

/* The extack message, if the kernel sent one after the error: in NLMSG_ERROR
 * after the echoed request (only its header when NLM_F_CAPPED), in
 * NLMSG_DONE after the error number. */
static void nl_extack(const struct nlmsghdr *nlh, struct nl_error *e)
{
	size_t off, plen = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *a;

	e->msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		off = sizeof(err->error) + ((nlh->nlmsg_flags & NLM_F_CAPPED)
					    ? sizeof(struct nlmsghdr) : err->msg.nlmsg_len);
	} else {
		off = sizeof(int);
	}
	off = MNL_ALIGN(off);
	if (off >= plen)
		return;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(e->msg, sizeof(e->msg), "%s", mnl_attr_get_str(a));
			return;
		}
	}
}

/* A kernel error number (negative errno) from a message: anything outside
 * the errno range (a damaged or forged dump) is EPROTO. */
static int nl_errno(int error)
{
	if (error < 0 && error > -4096)
		return -error;
	if (error > 0 && error < 4096)
		return error;
	return EPROTO;
}

int nl_process(const void *buf, size_t len, uint32_t seq, uint32_t portid,
	       const struct nl_handler *h, bool *intr, struct nl_error *e)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len, rc;

	/* mnl_nlmsg_ok() compares (int)nlmsg_len with the remainder: a length
	 * of 2^31 or more passes it as negative.  Check unsigned first. */
	while (rem >= (int)sizeof(*nlh) && nlh->nlmsg_len <= (uint32_t)rem && mnl_nlmsg_ok(nlh, rem)) {
		if (portid && nlh->nlmsg_pid && nlh->nlmsg_pid != portid)
			goto next; /* not ours */
		if (seq && nlh->nlmsg_seq != seq)
			goto next;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR: {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
				nl_set(e, EBADMSG, "truncated NLMSG_ERROR message");
				return -EBADMSG;
			}
			if (err->error == 0)
				break; /* an ACK */
			nl_extack(nlh, e);
			e->kernel = true;
			e->err = nl_errno(err->error);
			if (!e->msg[0])
				snprintf(e->msg, sizeof(e->msg), "%s", strerror(e->err));
			return -e->err;
		}
		case NLMSG_DONE:
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
				int derr = *(const int *)mnl_nlmsg_get_payload(nlh);

				if (derr < 0) {
					nl_extack(nlh, e);
					e->kernel = true;
					e->err = nl_errno(derr);
					if (!e->msg[0])
						snprintf(e->msg, sizeof(e->msg), "%s", strerror(e->err));
					return -e->err;
				}
			}
			return 0;
		case NLMSG_OVERRUN:
			nl_set(e, ENOBUFS, "netlink overrun");
			return -ENOBUFS;
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				break;
			rc = h->msg(nlh, h->data);
			if (rc < 0) {
				if (!e->err)
					nl_set(e, -rc, strerror(-rc));
				return rc;
			}
		}
next:
		nlh = mnl_nlmsg_next(nlh, &rem);
	}
	if (rem > 0) {
		nl_set(e, EBADMSG, rem >= (int)sizeof(*nlh)
		       ? "malformed netlink message: its length runs past the data"
		       : "malformed netlink message: truncated header");
		return -EBADMSG;
	}
	return 1;
}

static int nl_dump_once(struct mnl_socket *nl, struct nlmsghdr *req, const struct nl_handler *h,
			FILE *record, char *buf, bool *intr, struct nl_error *e)
{
	uint32_t portid = mnl_socket_get_portid(nl);
	int rc;

	req->nlmsg_seq = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	req->nlmsg_pid = 0;
	while (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		if (errno == EINTR)
			continue;	/* as the receive is */
		rc = errno;
		nl_set_call(e, "sendto", rc);
		return -rc;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, NL_RECV_BUF);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = errno;
			if (rc == ENOBUFS)
				nl_set(e, rc, "recvmsg: receive buffer overrun (ENOBUFS): the dump is incomplete");
			else
				nl_set_call(e, "recvmsg", rc);
			return -rc;
		}
		if (n == 0) {
			nl_set(e, EPIPE, "netlink socket closed before the end of the dump");
			return -EPIPE;
		}
		if (record && fwrite(buf, 1, NLMSG_ALIGN((size_t)n), record) != NLMSG_ALIGN((size_t)n)) {
			nl_set(e, EIO, "cannot write the recorded dump");
			return -EIO;
		}
		rc = nl_process(buf, (size_t)n, req->nlmsg_seq, portid, h, intr, e);
		if (rc <= 0)
			return rc;
	}
}

int nl_dump(struct nlmsghdr *req, const struct nl_handler *h, FILE *record, bool *interrupted,
	    struct nl_error *e)
{
	struct mnl_socket *nl;
	char *buf;
	int one = 1, rcvbuf = NL_SOCK_RCVBUF, rc;

	memset(e, 0, sizeof(*e));
	e->offset = -1;
	*interrupted = false;
	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (!nl) {
		rc = errno;
		nl_set_call(e, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)", rc);
		return -rc;
	}
	/* Best effort: older kernels lack extended ack; rmem_max caps the buffer. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = errno;
		nl_set_call(e, "bind", rc);
		mnl_socket_close(nl);
		return -rc;
	}
	buf = malloc(NL_RECV_BUF);
	if (!buf) {
		mnl_socket_close(nl);
		nl_set(e, ENOMEM, "out of memory");
		return -ENOMEM;
	}
	rc = nl_dump_once(nl, req, h, record, buf, interrupted, e);
	free(buf);
	mnl_socket_close(nl);
	return rc;
}

int nl_replay(FILE *f, const struct nl_handler *h, bool *interrupted, struct nl_error *e)
{
	char *buf = malloc(NL_MAX_MSG);
	unsigned long msgs = 0;
	long off = 0;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	e->offset = -1;
	*interrupted = false;
	if (!buf) {
		nl_set(e, ENOMEM, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		size_t n = fread(buf, 1, sizeof(*nlh), f), len;

		if (n == 0 && feof(f))
			break;
		if (++msgs > NL_REPLAY_MAX_MESSAGES) {
			snprintf(e->msg, sizeof(e->msg), "more than %lu messages: not the dump of one host",
				 NL_REPLAY_MAX_MESSAGES);
			e->err = E2BIG;
			rc = -E2BIG;
			break;
		}
		if (n < sizeof(*nlh)) {
			nl_set(e, EBADMSG, "truncated message header");
			rc = -EBADMSG;
			break;
		}
		len = nlh->nlmsg_len;
		if (len < sizeof(*nlh) || len > NL_MAX_MSG) {
			snprintf(e->msg, sizeof(e->msg), "bad message length %zu", len);
			e->err = EBADMSG;
			rc = -EBADMSG;
			break;
		}
		if (fread(buf + sizeof(*nlh), 1, NLMSG_ALIGN(len) - sizeof(*nlh), f) !=
		    NLMSG_ALIGN(len) - sizeof(*nlh)) {
			/* The last message of a buffer may lack its alignment padding. */
			if (!(feof(f) && ftell(f) - off >= (long)len)) {
				snprintf(e->msg, sizeof(e->msg), "truncated message (%zu bytes announced)",
					 len);
				e->err = EBADMSG;
				rc = -EBADMSG;
				break;
			}
		}
		rc = nl_process(buf, len, 0, 0, h, interrupted, e);
		if (rc < 0)
			break;
		rc = 0;
		off = ftell(f);
	}
	if (rc < 0)
		e->offset = off;
	if (!rc && ferror(f)) {
		nl_set(e, EIO, "read error");
		rc = -EIO;
	}
	free(buf);
	return rc;
}
