/* tpcount.c - trace's events counted through perf_event_open, without BPF
 * (tpcount.h): the tracepoints' ids and fields from tracefs, a counting
 * event per CPU for each (tracepoint, filter), the filters set with
 * PERF_EVENT_IOC_SET_FILTER in the tracepoint's own field names. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tpcount.h"

/* The reasons' names, in the order of MEMTRACE_R_*. */
static const char *const tpcount_reason_names[MEMTRACE_NREASONS] = {
	"PROTO_MEM", "SOCKET_RCVBUFF", "SOCKET_BACKLOG", "TCP_OFO_QUEUE_PRUNE", "TCP_OFO_DROP",
	"TCP_ZEROWINDOW",
};

static const char *const tpcount_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

#define TPCOUNT_MAX (2 + MEMTRACE_NREASONS)

static struct tpcount_counter {
	int event;			/* MEMTRACE_EV_* */
	int *fd;			/* per CPU, -1: none */
} tpcount_c[TPCOUNT_MAX];
static int tpcount_n, tpcount_ncpus;
static char tpcount_why[320];

void tpcount_parse_reasons(const char *format, int32_t out[MEMTRACE_NREASONS])
{
	char pat[64];
	const char *p;
	int i;

	for (i = 0; i < MEMTRACE_NREASONS; i++) {
		out[i] = -1;
		if (!format)
			continue;
		snprintf(pat, sizeof(pat), ", \"%s\" }", tpcount_reason_names[i]);
		p = strstr(format, pat);
		if (!p)
			continue;
		/* back to the "{ " before the number */
		while (p > format && p[-1] != '{')
			p--;
		if (p > format) {
			char *end;
			long v = strtol(p, &end, 10);

			if (end != p && v >= 0 && v < INT32_MAX)
				out[i] = (int32_t)v;
		}
	}
}

/* A small file, NUL-terminated (malloc'ed), or NULL with errno. */
static char *tpcount_read_file(const char *path)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = fd < 0 ? errno : ENOMEM;

		if (fd >= 0)
			close(fd);
		free(buf);
		errno = e;
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += (size_t)n;
		if (len == cap - 1) {
			char *grown = cap < (4u << 20) ? realloc(buf, cap * 2) : NULL;

			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The tracepoint's id (and its format, malloc'ed) under root. */
static long tpcount_tracepoint(const char *root, const char *tp, char **format)
{
	char path[256], *text;
	long id;

	snprintf(path, sizeof(path), "%s/events/%s/id", root, tp);
	text = tpcount_read_file(path);
	if (!text)
		return -errno;
	id = strtol(text, NULL, 10);
	free(text);
	snprintf(path, sizeof(path), "%s/events/%s/format", root, tp);
	*format = tpcount_read_file(path);
	return id > 0 ? id : -EINVAL;
}

static int tpcount_add(long id, int event, const char *filter)
{
	struct tpcount_counter *c = &tpcount_c[tpcount_n];
	struct perf_event_attr a;
	int cpu, opened = 0, rc = 0;

	c->event = event;
	c->fd = malloc((size_t)tpcount_ncpus * sizeof(int));
	if (!c->fd)
		return -ENOMEM;
	for (cpu = 0; cpu < tpcount_ncpus; cpu++)
		c->fd[cpu] = -1;
	tpcount_n++;
	for (cpu = 0; cpu < tpcount_ncpus; cpu++) {
		memset(&a, 0, sizeof(a));
		a.type = PERF_TYPE_TRACEPOINT;
		a.size = sizeof(a);
		a.config = (__u64)id;
		a.disabled = 1;
		c->fd[cpu] = (int)syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (c->fd[cpu] < 0) {
			/* an offline CPU has no events to count */
			if (errno != ENODEV)
				rc = -errno;
			c->fd[cpu] = -1;
			continue;
		}
		if (filter && ioctl(c->fd[cpu], PERF_EVENT_IOC_SET_FILTER, filter)) {
			rc = -errno;
			break;
		}
		opened++;
	}
	return rc ? rc : opened ? 0 : -ENODEV;
}

static int tpcount_fail(int rc, const char *what)
{
	const char *hint = rc == -EACCES || rc == -EPERM
			   ? " (needs CAP_PERFMON or root; kernel.perf_event_paranoid)" : "";

	snprintf(tpcount_why, sizeof(tpcount_why), "%s: %s%s", what, strerror(-rc), hint);
	tpcount_close();
	return rc;
}

int tpcount_open(const char *protocol, struct tpcount_info *info, const char **why)
{
	char *fmt_exceed = NULL, *fmt_kfree = NULL, filter[160], proto_filter[80] = "";
	const char *root = NULL;
	long id_exceed = -ENOENT, id_kfree = -ENOENT;
	size_t r;
	int rc = 0, i, k;

	*why = tpcount_why;
	memset(info, 0, sizeof(*info));
	if (tpcount_n)
		return -EALREADY;
	for (r = 0; r < sizeof(tpcount_roots) / sizeof(tpcount_roots[0]); r++) {
		id_exceed = tpcount_tracepoint(tpcount_roots[r], "sock/sock_exceed_buf_limit", &fmt_exceed);
		if (id_exceed > 0) {
			root = tpcount_roots[r];
			break;
		}
	}
	if (!root) {
		snprintf(tpcount_why, sizeof(tpcount_why), "no tracepoint ids: tracefs is not mounted "
			 "(/sys/kernel/tracing/events/sock/sock_exceed_buf_limit/id: %s)",
			 strerror((int)-id_exceed));
		return (int)id_exceed;
	}
	snprintf(info->tracefs, sizeof(info->tracefs), "%s", root);
	id_kfree = tpcount_tracepoint(root, "skb/kfree_skb", &fmt_kfree);
	info->kind = fmt_exceed && strstr(fmt_exceed, " kind;");
	info->reasons = id_kfree > 0 && fmt_kfree && strstr(fmt_kfree, " reason;");
	tpcount_parse_reasons(info->reasons ? fmt_kfree : NULL, info->reason_value);
	/* the proto's name ("TCP", "TCPv6", "UDP", "UDPv6", "UDP-Lite", ...) */
	if (protocol && fmt_exceed && strstr(fmt_exceed, " name[")) {
		if (!strcmp(protocol, "tcp"))
			snprintf(proto_filter, sizeof(proto_filter), "(name == \"TCP\" || name == \"TCPv6\")");
		else if (!strcmp(protocol, "udp"))
			snprintf(proto_filter, sizeof(proto_filter), "(name == \"UDP\" || name == \"UDPv6\")");
		else if (!strcmp(protocol, "udplite"))
			snprintf(proto_filter, sizeof(proto_filter),
				 "(name == \"UDP-Lite\" || name == \"UDPLITEv6\")");
		else if (!strcmp(protocol, "sctp"))
			snprintf(proto_filter, sizeof(proto_filter), "(name == \"SCTP\" || name == \"SCTPv6\")");
		else if (!strcmp(protocol, "mptcp"))
			snprintf(proto_filter, sizeof(proto_filter), "(name == \"MPTCP\" || name == \"MPTCPv6\")");
		info->protocol_filtered = proto_filter[0] != '\0';
	}
	free(fmt_exceed);
	free(fmt_kfree);
	tpcount_ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (tpcount_ncpus < 1)
		tpcount_ncpus = 1;
	info->ncpus = tpcount_ncpus;
	for (k = 0; k < 2 && !rc; k++) {
		if (!info->kind && k)
			break;	/* without the field: every refusal as a receive one */
		if (info->kind)
			snprintf(filter, sizeof(filter), "kind == %d%s%s", k, proto_filter[0] ? " && " : "",
				 proto_filter);
		else
			snprintf(filter, sizeof(filter), "%s", proto_filter);
		rc = tpcount_add(id_exceed, k || !info->kind ? MEMTRACE_EV_REFUSE_RECV
				 : MEMTRACE_EV_REFUSE_SEND, filter[0] ? filter : NULL);
	}
	if (rc)
		return tpcount_fail(rc, "cannot count sock:sock_exceed_buf_limit (perf_event_open)");
	for (i = 0; i < MEMTRACE_NREASONS && info->reasons; i++) {
		if (info->reason_value[i] < 0)
			continue;
		snprintf(filter, sizeof(filter), "reason == %d", info->reason_value[i]);
		rc = tpcount_add(id_kfree, MEMTRACE_EV_DROP0 + i, filter);
		if (rc)
			return tpcount_fail(rc, "cannot count skb:kfree_skb (perf_event_open)");
	}
	tpcount_why[0] = '\0';
	return 0;
}

void tpcount_enable(bool on)
{
	int i, cpu;

	for (i = 0; i < tpcount_n; i++)
		for (cpu = 0; cpu < tpcount_ncpus; cpu++)
			if (tpcount_c[i].fd[cpu] >= 0)
				ioctl(tpcount_c[i].fd[cpu], on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

int tpcount_read(struct memtrace_counts *sum)
{
	int i, cpu;

	memset(sum, 0, sizeof(*sum));
	if (!tpcount_n)
		return -EBADF;
	for (i = 0; i < tpcount_n; i++)
		for (cpu = 0; cpu < tpcount_ncpus; cpu++) {
			uint64_t v;

			if (tpcount_c[i].fd[cpu] < 0)
				continue;
			if (read(tpcount_c[i].fd[cpu], &v, sizeof(v)) != (ssize_t)sizeof(v))
				return errno ? -errno : -EIO;
			sum->events[tpcount_c[i].event] += v;
		}
	return 0;
}

void tpcount_close(void)
{
	int i, cpu;

	for (i = 0; i < tpcount_n; i++) {
		for (cpu = 0; cpu < tpcount_ncpus && tpcount_c[i].fd; cpu++)
			if (tpcount_c[i].fd[cpu] >= 0)
				close(tpcount_c[i].fd[cpu]);
		free(tpcount_c[i].fd);
		tpcount_c[i].fd = NULL;
	}
	tpcount_n = 0;
}
