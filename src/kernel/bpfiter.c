/* bpfiter.c - loads the socket iterators and reads their records into the
 * aggregator.  The program is embedded as a light skeleton (bpftool gen
 * skeleton -L, generated at build time from src/bpf/sockiter.bpf.c): a
 * loader program does the CO-RE relocations inside the kernel (5.17+), so
 * sockmem neither links libbpf nor parses the kernel's 5 MB BTF in user
 * space, and its memory stays that of the netlink backend. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpfiter.h"
#include "bpfwhy.h"
/* generated code, not held to this project's warnings */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpointer-arith"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "sockiter.lskel.h"	/* generated in the build directory */
#pragma GCC diagnostic pop

/* Records are copied out of the kernel's seq_file buffer (8 pages) per
 * read(): a buffer of twice that takes a whole one with room for the
 * record a previous read cut. */
#define BPFITER_BUF (64u * 1024)
/* read() returns EAGAIN after 1,000,000 objects that wrote nothing
 * (MAX_ITER_OBJECTS, e.g. TIME-WAIT entries left out): read again.  This
 * many in a row means something else. */
#define BPFITER_MAX_EAGAIN 4096

static struct sockiter *bpfiter_skel;
static int bpfiter_rc = 1;		/* 1: not tried yet */
static char bpfiter_why[320];

static int bpfiter_fail(int rc, const char *what)
{
	bpfwhy_format(bpfiter_why, sizeof(bpfiter_why), rc, what, 5, 19);
	return rc;
}

int bpfiter_open(const char **why)
{
	int rc;

	*why = bpfiter_why;
	if (bpfiter_rc <= 0)
		return bpfiter_rc;
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(bpfiter_why, sizeof(bpfiter_why), "the kernel has no BTF "
			 "(/sys/kernel/btf/vmlinux: %s; CONFIG_DEBUG_INFO_BTF)", strerror(errno));
		return bpfiter_rc = -ENOENT;
	}
	bpfiter_skel = sockiter__open();
	if (!bpfiter_skel)
		return bpfiter_rc = bpfiter_fail(-ENOMEM, "cannot open the BPF iterator");
	rc = sockiter__load(bpfiter_skel);
	if (rc < 0) {
		bpfiter_rc = bpfiter_fail(rc, "cannot load the BPF iterator");
		bpfiter_close();
		return bpfiter_rc;
	}
	rc = sockiter__attach(bpfiter_skel);
	if (rc < 0) {
		bpfiter_rc = bpfiter_fail(rc, "cannot attach the BPF iterator");
		bpfiter_close();
		return bpfiter_rc;
	}
	bpfiter_why[0] = '\0';
	return bpfiter_rc = 0;
}

void bpfiter_close(void)
{
	sockiter__destroy(bpfiter_skel);
	bpfiter_skel = NULL;
	if (bpfiter_rc == 0)
		bpfiter_rc = 1;
}

/* BPF_ITER_CREATE on a link: a file whose reads run the program over the
 * sockets of the caller's network namespace. */
static int bpfiter_create(int p)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.iter_create.link_fd = (__u32)(p == DP_TCP ? bpfiter_skel->links.sockiter_tcp_fd
						   : bpfiter_skel->links.sockiter_udp_fd);
	return (int)syscall(__NR_bpf, BPF_ITER_CREATE, &a, sizeof(a));
}

/* One iterator over protocol p: its records into agg (NULL: totals only,
 * nothing is written).  Returns the records read or -errno. */
static long bpfiter_run(int p, struct sockets *agg, char *buf, size_t size)
{
	size_t have = 0, used;
	long total = 0, n;
	int fd, eagain = 0, rc = 0;

	fd = bpfiter_create(p);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got = read(fd, buf + have, size - have);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* totals only: the program stopped the walk (returned 1) */
			if (errno == EAGAIN && (!agg && bpfiter_skel->bss->totals_done[p]))
				break;
			if (errno == EAGAIN && ++eagain < BPFITER_MAX_EAGAIN)
				continue;
			rc = -errno;
			break;
		}
		if (got == 0)
			break;
		have += (size_t)got;
		if (!agg) {
			have = 0;	/* the program writes nothing in this mode */
			continue;
		}
		n = bpfrec_add(agg, buf, have, &used);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		total += n;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	close(fd);
	if (!rc && have)
		rc = -EBADMSG;	/* a record cut at the end: the layouts differ */
	return rc ? rc : total;
}

static void bpfiter_reset(bool totals_only)
{
	struct sockiter__bss *b = bpfiter_skel->bss;

	memset(b->prot_addr, 0, sizeof(b->prot_addr));
	memset(b->totals, 0, sizeof(b->totals));
	memset(b->totals_done, 0, sizeof(b->totals_done));
	memset(b->sums, 0, sizeof(b->sums));
	b->totals_only = totals_only;
	b->sums_only = 0;
}

int bpfiter_walk(struct sockets *agg, const struct bpfiter_req *q, struct sockdump_status *st,
		 struct sockiter_totals tot[DP_COUNT])
{
	const char *why;
	char *buf;
	bool sums;
	int p, rc = bpfiter_open(&why);

	memset(tot, 0, sizeof(*tot) * DP_COUNT);
	if (rc)
		return rc;
	buf = malloc(BPFITER_BUF);
	if (!buf)
		return -ENOMEM;
	bpfiter_reset(false);
	bpfiter_skel->bss->tcp_states = q->tcp_states;
	bpfiter_skel->bss->want_ids = q->want_ids;
	/* sums only (show): summed in the kernel, no record to copy out */
	sums = agg->by == BY_SOCKET && agg->topn == 0 && !q->want_ids;
	bpfiter_skel->bss->sums_only = sums;
	bpfrec_params(agg, &bpfiter_skel->bss->params);
	for (p = 0; p < DP_COUNT; p++)
		bpfiter_skel->bss->skip_v6[p] = q->skip_v6[p];
	st->messages = 0;
	rc = 0;
	for (p = 0; p < DP_COUNT; p++) {
		long n = bpfiter_run(p, agg, buf, BPFITER_BUF);

		st->ok[p] = n >= 0;
		if (n < 0) {
			rc = (int)n;
			sockdump_problem(st, "%s BPF iterator: %s", diag_proto_name((enum diag_proto)p),
					 n == -EBADMSG ? "records do not match the loader (rebuild)"
					 : strerror((int)-n));
			continue;
		}
		if (sums) {
			const struct sockiter_sums *k = &bpfiter_skel->bss->sums[p];

			bpfrec_add_sums(agg, (enum diag_proto)p, k);
			n = (long)k->count;
		}
		st->messages += (uint64_t)n;
		tot[p] = bpfiter_skel->bss->totals[p];
	}
	free(buf);
	return st->ok[DP_TCP] || st->ok[DP_UDP] ? 0 : rc;
}

/* A socket of protocol p that the iterator sees, bound to 127.0.0.1 (any
 * port) even where lo is down: a listener for TCP.  -1 when none. */
static int bpfiter_anchor(int p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, (p == DP_TCP ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || (p == DP_TCP && listen(fd, 0))) {
		close(fd);
		return -1;
	}
	return fd;
}

int bpfiter_totals(struct sockiter_totals tot[DP_COUNT], const char **why)
{
	int p, rc = bpfiter_open(why);

	memset(tot, 0, sizeof(*tot) * DP_COUNT);
	if (rc)
		return rc;
	for (p = 0; p < DP_COUNT; p++) {
		int attempt;

		for (attempt = 0; attempt < 2; attempt++) {
			int anchor = attempt ? bpfiter_anchor(p) : -1;
			char buf[2 * sizeof(struct sockiter_rec)];
			long n;

			if (attempt && anchor < 0)
				break;
			bpfiter_reset(true);
			n = bpfiter_run(p, NULL, buf, sizeof(buf));
			if (anchor >= 0)
				close(anchor);
			if (n < 0) {
				snprintf(bpfiter_why, sizeof(bpfiter_why), "%s BPF iterator: %s",
					 diag_proto_name((enum diag_proto)p), strerror((int)-n));
				*why = bpfiter_why;
				rc = (int)n;
				break;
			}
			tot[p] = bpfiter_skel->bss->totals[p];
			if (tot[p].found)
				break;
		}
	}
	return rc;
}
