/* report_top.c - the report of "sockmem top": the largest holders of
 * charged socket memory as rows with their group decoded, addresses and
 * flags formatted once for every renderer, and the attribution figures.
 * Pure: no I/O (names from /proc are filled in by collect_top_names); the
 * Kubernetes pod a cgroup path names. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "procscan.h"
#include "report.h"

static void report_top_addr(char *dst, size_t n, int family, const uint8_t *a, uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	/* port 0 (a listener's or an unconnected UDP socket's peer): "*", as ss */
	if (!port)
		snprintf(dst, n, family == AF_INET6 ? "[%s]:*" : "%s:*", ip);
	else if (family == AF_INET6)
		snprintf(dst, n, "[%s]:%u", ip, port);
	else
		snprintf(dst, n, "%s:%u", ip, port);
}

int report_top_build(struct report_top *t, const struct sockets *agg, int requested,
		     const char *source, bool dump_partial, uint64_t processes_scanned,
		     uint64_t processes_denied)
{
	struct sock_entry *top;
	int i, n;

	memset(t, 0, sizeof(*t));
	t->by = agg->by;
	t->requested = requested;
	t->source = source;
	t->attribution = agg->by == BY_PROCESS || agg->by == BY_CGROUP;
	if (t->attribution) {
		t->unattributed_sockets = agg->unattributed;
		t->unattributed_bytes = agg->unattributed_bytes;
	}
	if (agg->by == BY_PROCESS) {
		t->processes_scanned = processes_scanned;
		t->processes_denied = processes_denied;
		t->attribution_partial = processes_denied > 0;
	}
	t->partial = dump_partial || t->attribution_partial;
	top = calloc((size_t)(requested > 0 ? requested : 1), sizeof(*top));
	t->row = calloc((size_t)(requested > 0 ? requested : 1), sizeof(*t->row));
	if (!top || !t->row) {
		free(top);
		report_top_free(t);
		return -ENOMEM;
	}
	n = sockets_top(agg, top, requested);
	for (i = 0; i < n; i++) {
		struct top_row *w = &t->row[i];
		const struct sock_entry *e = &top[i];

		w->e = *e;
		w->key = sockets_group_key(agg->by, e->key);
		snprintf(w->flags, sizeof(w->flags), "%s%s%s", e->slow_readers ? "slow-reader" : "",
			 e->slow_readers && e->sndbuf_small ? "," : "",
			 e->sndbuf_small ? "sndbuf-small" : "");
		if (agg->by == BY_SOCKET) {
			/* the holder (pid, shared_others): filled from /proc by the command */
			report_top_addr(w->local, sizeof(w->local), e->s.family, e->s.src, e->s.sport);
			report_top_addr(w->peer, sizeof(w->peer), e->s.family, e->s.dst, e->s.dport);
		}
	}
	t->n = n > 0 ? n : 0;
	free(top);
	return 0;
}

void report_top_free(struct report_top *t)
{
	int i;

	for (i = 0; t->row && i < t->n; i++)
		free(t->row[i].cg);
	free(t->row);
	t->row = NULL;
	t->n = 0;
}

/* A pod UID at s: 8-4-4-4-12 hex digits with '-' (cgroupfs) or '_'
 * (systemd, which escapes '-'), or a static pod's 32-hex config hash. */
static size_t check_uid_at(const char *s, char *uid)
{
	static const int group[] = { 8, 4, 4, 4, 12 };
	size_t i, k = 0, n = 0;

	for (i = 0; i < ARRAY_SIZE(group); i++) {
		int j;

		if (i) {
			if (s[n] != '-' && s[n] != '_')
				break;
			uid[k++] = '-';
			n++;
		}
		for (j = 0; j < group[i]; j++, n++) {
			if (!isxdigit((unsigned char)s[n]))
				goto hash;
			uid[k++] = (char)tolower((unsigned char)s[n]);
		}
	}
	if (i == ARRAY_SIZE(group)) {
		uid[k] = '\0';
		return n;
	}
hash:
	for (n = 0; n < 32 && isxdigit((unsigned char)s[n]); n++)
		uid[n] = (char)tolower((unsigned char)s[n]);
	if (n != 32)
		return 0;
	uid[n] = '\0';
	return n;
}

bool report_pod_from_cgroup(const char *path, struct report_pod *out)
{
	const char *c = path, *next;

	memset(out, 0, sizeof(*out));
	if (!path)
		return false;
	for (; *c; c = next) {
		size_t len, n;
		const char *p;

		while (*c == '/')
			c++;
		next = strchr(c, '/');
		if (!next)
			next = c + strlen(c);
		len = (size_t)(next - c);
		if (out->found) {
			/* the container below the pod: "cri-containerd-ID.scope",
			 * "crio-ID.scope", "docker-ID.scope" or "ID" */
			static const char *const prefix[] = { "cri-containerd-", "crio-", "docker-",
							      "containerd-" };
			size_t i, k;

			for (i = 0; i < ARRAY_SIZE(prefix); i++)
				if (!strncmp(c, prefix[i], strlen(prefix[i]))) {
					c += strlen(prefix[i]);
					len -= strlen(prefix[i]);
					break;
				}
			if (len > 6 && !strncmp(c + len - 6, ".scope", 6))
				len -= 6;
			for (k = 0; k < len && isxdigit((unsigned char)c[k]); k++)
				;
			if (k == len && len >= 12 && len < sizeof(out->container)) {
				memcpy(out->container, c, len);
				out->container[len] = '\0';
			}
			return true;
		}
		/* the QoS level above the pod: "kubepods-<qos>.slice" or "<qos>" */
		if (!strncmp(c, "kubepods-burstable", 18) || (len == 9 && !strncmp(c, "burstable", 9)))
			snprintf(out->qos, sizeof(out->qos), "burstable");
		else if (!strncmp(c, "kubepods-besteffort", 19) ||
			 (len == 10 && !strncmp(c, "besteffort", 10)))
			snprintf(out->qos, sizeof(out->qos), "besteffort");
		/* "pod<uid>" or "kubepods-<qos>-pod<uid>.slice" */
		if (strncmp(c, "pod", 3) && strncmp(c, "kubepods", 8))
			continue;
		for (p = c; p + 3 <= next; p++)
			if (!strncmp(p, "pod", 3) && (p == c || p[-1] == '-') &&
			    (n = check_uid_at(p + 3, out->uid)) > 0 &&
			    (p + 3 + n == next || !strncmp(p + 3 + n, ".slice", 6))) {
				out->found = true;
				if (!out->qos[0])
					snprintf(out->qos, sizeof(out->qos), "guaranteed");
				break;
			}
	}
	if (!out->found)
		out->qos[0] = '\0';
	return out->found;
}

void report_top_pods(struct report_top *t)
{
	int i;

	if (t->by != BY_CGROUP)
		return;
	for (i = 0; i < t->n; i++)
		if (t->row[i].cg && t->row[i].cg->found)
			report_pod_from_cgroup(t->row[i].cg->path, &t->row[i].pod);
}
