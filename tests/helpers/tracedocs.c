/* tracedocs.c - prints the documents of "sockmem trace" for synthetic
 * events, through the command's own report and renderers, so that the
 * offline tests can check them without BPF: the schema (schema.sh), the keys
 * documented in sockmem-json(5) (manlint.sh).  "tracedocs" prints the NDJSON
 * (start, three events, summary; then the start and summary of a run without
 * BPF), "tracedocs text" the same as text. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "output.h"
#include "report_trace.h"

static char snmp0[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\nUdp: 5 10 0 10 0\n";
static char snmp1[] = "Udp: InDatagrams RcvbufErrors MemErrors InErrors SndbufErrors\nUdp: 9 910 0 910 0\n";
static char net0[] = "TcpExt: PruneCalled TCPMemoryPressures TCPAbortOnMemory\nTcpExt: 1 3 0\n";
static char net1[] = "TcpExt: PruneCalled TCPMemoryPressures TCPAbortOnMemory\nTcpExt: 4 5 1\n";

static void mkevent(struct memtrace_event *e, int event, uint16_t proto, uint16_t port, uint64_t cookie)
{
	memset(e, 0, sizeof(*e));
	e->time_ns = 1000250000000ull;
	e->event = (uint8_t)event;
	e->flags = MEMTRACE_F_SOCK | MEMTRACE_F_LIMITS | MEMTRACE_F_CGROUP | MEMTRACE_F_SYSCTL_BUF;
	e->protocol = proto;
	e->family = AF_INET;
	e->state = proto == IPPROTO_TCP ? 1 : 7;
	e->sport = port;
	e->dport = proto == IPPROTO_TCP ? 40000 : 0;
	inet_pton(AF_INET, "10.0.0.1", e->src);
	if (proto == IPPROTO_TCP)
		inet_pton(AF_INET, "10.0.0.2", e->dst);
	e->inode = (uint32_t)(1000 + cookie);
	e->cookie = cookie;
	e->cgroup_id = 42;
	e->netns_ino = 4026531840u;
	e->rmem_alloc = 212992;
	e->rcvbuf = 212992;
	e->sndbuf = 87040;
	e->sysctl_rmem = 4096;
	e->sysctl_wmem = 4096;
	e->drops = 900;
	e->skb_len = 1200;
	e->skb_truesize = 2304;
	e->allocated_pages = 600000;
	e->sysctl_mem_pages[0] = 100000;
	e->sysctl_mem_pages[1] = 200000;
	e->sysctl_mem_pages[2] = 400000;
}

static int print(json_t *doc)
{
	int rc = doc ? output_json_dump_line(stdout, doc) : -1;

	json_decref(doc);
	return rc;
}

int main(int argc, char **argv)
{
	static const char pod[] = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
				  "8a1f2b3c_9d4e_4f5a_b6c7_d8e9f0a1b2c3.slice/cri-containerd-"
				  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope";
	bool text = argc > 1 && !strcmp(argv[1], "text");
	struct output_opts oo = { false, false };
	struct trace_counters before, after;
	struct tracer_entry entries[3];
	struct trace_names nm = { 0 };
	const struct trace_names *names[3];
	struct memtrace_counts counts = { 0 };
	struct tracer_info info = { 0 };
	struct memtrace_event ev[3];
	struct trace_window w = { 0 };
	struct report_trace t;
	struct trace_line l;
	struct parse_err err;
	struct host *h = calloc(1, sizeof(*h));
	int i, rc = 0;

	if (!h)
		return 2;
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	netstat_parse(snmp0, strlen(snmp0), &before.snmp, &err);
	netstat_parse(net0, strlen(net0), &before.netstat, &err);
	netstat_parse(snmp1, strlen(snmp1), &after.snmp, &err);
	netstat_parse(net1, strlen(net1), &after.netstat, &err);
	h->kver.ok = true;
	h->kver.major = 6;
	h->kver.minor = 10;
	snprintf(h->kver.release, sizeof(h->kver.release), "6.10.0");
	h->page_size_bytes = 4096;
	for (i = 0; i < MEMTRACE_NREASONS; i++)
		info.reason_value[i] = i == MEMTRACE_R_TCP_ZEROWINDOW ? -1 : 6 + i;
	nm.inode = 1001;
	nm.pid_found = true;
	nm.pid = 4242;
	snprintf(nm.comm, sizeof(nm.comm), "dnsd");
	nm.cgroup_found = true;
	snprintf(nm.cgroup, sizeof(nm.cgroup), "%s", pod);
	/* a UDP socket's full buffer, a TCP refusal over the hard limit, a drop without a socket */
	mkevent(&ev[0], MEMTRACE_EV_DROP0 + MEMTRACE_R_SOCKET_RCVBUFF, IPPROTO_UDP, 53, 1);
	mkevent(&ev[1], MEMTRACE_EV_REFUSE_SEND, IPPROTO_TCP, 443, 2);
	ev[1].flags |= MEMTRACE_F_PRESSURE | MEMTRACE_F_MEMCG;
	mkevent(&ev[2], MEMTRACE_EV_DROP0 + MEMTRACE_R_PROTO_MEM, 0, 0, 0);
	ev[2].flags = 0;
	ev[2].cgroup_id = 0;
	for (i = 0; i < 3; i++) {
		memset(&entries[i], 0, sizeof(entries[i]));
		entries[i].key.event = ev[i].event;
		entries[i].key.cookie = ev[i].cookie;
		entries[i].key.cgroup_id = ev[i].cgroup_id;
		entries[i].key.netns_ino = ev[i].netns_ino;
		entries[i].val.first = ev[i];
		entries[i].val.count = i == 0 ? 900 : 3;
		entries[i].val.truesize_sum = entries[i].val.count * ev[i].skb_truesize;
		counts.events[ev[i].event] += entries[i].val.count;
	}
	counts.no_sock = 3;
	names[0] = names[1] = &nm;
	names[2] = NULL;
	w.h = h;
	w.before = &before;
	w.after = &after;
	w.info = &info;
	w.clock.realtime_minus_monotonic_s = 1796112000.0 - 1000.0;
	w.netns_ino = 4026531840u;
	w.start_unix_s = 1796112000.0;
	w.end_unix_s = 1796112001.0;
	w.requested = 10;
	/* the start */
	if (report_trace_build(&t, &w))
		return 2;
	if (text)
		output_text_trace_start(stdout, &t, &oo);
	else
		rc |= print(output_json_trace_start(&t));
	report_trace_free(&t);
	/* the events */
	for (i = 0; i < 3; i++) {
		report_trace_line(&l, &ev[i], names[i], &w.clock, 4096);
		if (text)
			output_text_trace_line(stdout, &l, &oo);
		else
			rc |= print(output_json_trace_line(&l));
	}
	/* the summary */
	w.counts = &counts;
	w.entries = entries;
	w.nentries = 3;
	w.names = names;
	w.end_reason = "sigint";
	w.lines_printed = 3;
	if (report_trace_build(&t, &w))
		return 2;
	if (text)
		output_text_trace_summary(stdout, &t, &oo);
	else
		rc |= print(output_json_trace_summary(&t));
	report_trace_free(&t);
	/* a run without BPF: the counters only */
	memset(&w.clock, 0, sizeof(w.clock));
	w.info = NULL;
	w.counts = NULL;
	w.entries = NULL;
	w.nentries = 0;
	w.names = NULL;
	w.bpf_why = "sockmem was built without BPF";
	w.end_reason = "duration";
	if (report_trace_build(&t, &w))
		return 2;
	if (text) {
		output_text_trace_start(stdout, &t, &oo);
		output_text_trace_summary(stdout, &t, &oo);
	} else {
		rc |= print(output_json_trace_start(&t));
		rc |= print(output_json_trace_summary(&t));
	}
	report_trace_free(&t);
	free(h);
	return rc ? 2 : 0;
}
