/* test_diag.c - cmocka unit tests of sock_diag parsing, the netlink message
 * loop (errors, DONE with error, DUMP_INTR, bad lengths) and the streaming
 * aggregator (charged bytes, top-N, groups). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "bpfrec.h"
#include "diag.h"
#include "nl.h"
#include "procscan.h"
#include "sockets.h"

/* Builds a SOCK_DIAG_BY_FAMILY reply with n SK_MEMINFO values. */
static struct nlmsghdr *mkmsg(char *buf, uint8_t state, uint16_t sport, const uint32_t *mem, int n,
			      uint32_t inode)
{
	struct nlmsghdr *nlh;
	struct inet_diag_msg *m;

	memset(buf, 0, 1024);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->idiag_family = AF_INET;
	m->idiag_state = state;
	m->id.idiag_sport = htons(sport);
	m->idiag_inode = inode;
	if (n)
		mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, (size_t)n * sizeof(uint32_t), mem);
	mnl_attr_put_u64(nlh, INET_DIAG_CGROUP_ID, 4242);
	return nlh;
}

static void parse_skmem_lengths(void **state)
{
	char buf[1024];
	uint32_t mem[12] = { 5832, 131072, 0, 16384, 2360, 0, 0, 0, 7, 99, 98, 97 };
	struct diag_sock d;
	struct parse_err e = { 0, "" };

	/* 9 fields: with drops */
	assert_int_equal(diag_parse(mkmsg(buf, 1, 80, mem, 9, 5), DP_TCP, &d, &e), 0);
	assert_int_equal(d.nmem, 9);
	assert_int_equal(d.mem[DM_DROPS], 7);
	assert_int_equal(d.sport, 80);
	assert_true(d.has_cgroup);
	assert_int_equal(d.cgroup_id, 4242);
	/* 8 fields: an older kernel, no drops */
	assert_int_equal(diag_parse(mkmsg(buf, 1, 80, mem, 8, 5), DP_TCP, &d, &e), 0);
	assert_int_equal(d.nmem, 8);
	/* 12 fields: a newer kernel, extra ignored */
	assert_int_equal(diag_parse(mkmsg(buf, 1, 80, mem, 12, 5), DP_TCP, &d, &e), 0);
	assert_int_equal(d.nmem, DM_COUNT);
	/* no SKMEMINFO (TIME-WAIT): counted, no memory */
	assert_int_equal(diag_parse(mkmsg(buf, 6, 80, mem, 0, 0), DP_TCP, &d, &e), 0);
	assert_int_equal(d.nmem, 0);
	/* 5 fields: too short to be SK_MEMINFO */
	assert_int_equal(diag_parse(mkmsg(buf, 1, 80, mem, 5, 5), DP_TCP, &d, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "SKMEMINFO attribute of 20 bytes"));
}

static void parse_bad(void **state)
{
	char buf[1024];
	struct nlmsghdr *nlh;
	struct diag_sock d;
	struct parse_err e = { 0, "" };
	uint32_t mem[9] = { 0 };

	nlh = mkmsg(buf, 1, 80, mem, 9, 5);
	nlh->nlmsg_len = sizeof(*nlh) + 10; /* shorter than inet_diag_msg */
	assert_int_equal(diag_parse(nlh, DP_TCP, &d, &e), -EBADMSG);
	nlh = mkmsg(buf, 1, 80, mem, 9, 5);
	nlh->nlmsg_type = 99;
	assert_int_equal(diag_parse(nlh, DP_TCP, &d, &e), -EBADMSG);
	/* attribute claiming more than the message holds */
	nlh = mkmsg(buf, 1, 80, mem, 9, 5);
	((struct nlattr *)((char *)nlh + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct inet_diag_msg))))->nla_len = 900;
	assert_int_equal(diag_parse(nlh, DP_TCP, &d, &e), -EBADMSG);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return 0;
}

static void process_loop(void **state)
{
	char buf[4096];
	uint32_t mem[9] = { 0 };
	struct nlmsghdr *nlh;
	struct nl_error e = { 0 };
	int n = 0, rc;
	bool intr = false;
	struct nl_handler h = { count_cb, &n };
	size_t len;

	/* two messages then DONE */
	mkmsg(buf, 1, 1, mem, 9, 1);
	len = ((struct nlmsghdr *)buf)->nlmsg_len;
	mkmsg(buf + 1024, 1, 2, mem, 9, 2);
	memmove(buf + len, buf + 1024, ((struct nlmsghdr *)(buf + 1024))->nlmsg_len);
	len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
	nlh = (struct nlmsghdr *)(buf + len);
	memset(nlh, 0, 20);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(int));
	nlh->nlmsg_type = NLMSG_DONE;
	len += nlh->nlmsg_len;
	rc = nl_process(buf, len, 0, 0, &h, &intr, &e);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 2);
	assert_false(intr);

	/* DUMP_INTR flag is reported */
	((struct nlmsghdr *)buf)->nlmsg_flags |= NLM_F_DUMP_INTR;
	n = 0;
	rc = nl_process(buf, len, 0, 0, &h, &intr, &e);
	assert_true(intr);

	/* DONE carrying an error */
	*(int *)mnl_nlmsg_get_payload(nlh) = -EPERM;
	rc = nl_process(buf, len, 0, 0, &h, &intr, &e);
	assert_int_equal(rc, -EPERM);
	assert_int_equal(e.err, EPERM);
	assert_true(e.kernel);		/* the kernel's answer, not a failed call */

	/* NLMSG_ERROR with an extack message */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | NLM_F_CAPPED;
	{
		struct nlmsgerr *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

		err->error = -ENOENT;
		err->msg.nlmsg_len = sizeof(struct nlmsghdr);
	}
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no such protocol here");
	memset(&e, 0, sizeof(e));
	rc = nl_process(buf, nlh->nlmsg_len, 0, 0, &h, &intr, &e);
	assert_int_equal(rc, -ENOENT);
	assert_string_equal(e.msg, "no such protocol here");
	/* what sockdump takes for "this kernel has no such dump" (an MPTCP or
	 * UDP-Lite dump the kernel lacks): named, not a fault */
	assert_true(e.kernel);

	/* a length that runs past the buffer */
	mkmsg(buf, 1, 1, mem, 9, 1);
	len = ((struct nlmsghdr *)buf)->nlmsg_len;
	((struct nlmsghdr *)buf)->nlmsg_len = 5000;
	rc = nl_process(buf, len, 0, 0, &h, &intr, &e);
	assert_int_equal(rc, -EBADMSG);
}

static void replay_truncated(void **state)
{
	char buf[1024];
	uint32_t mem[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct nlmsghdr *nlh = mkmsg(buf, 1, 1, mem, 9, 1);
	int n = 0;
	struct nl_handler h = { count_cb, &n };
	struct nl_error e;
	bool intr;
	FILE *f = tmpfile();

	fwrite(buf, 1, nlh->nlmsg_len, f);
	fwrite(buf, 1, nlh->nlmsg_len - 7, f); /* cut mid-message */
	rewind(f);
	assert_int_equal(nl_replay(f, &h, &intr, &e), -EBADMSG);
	assert_int_equal(n, 1);
	assert_int_equal(e.offset, nlh->nlmsg_len);
	assert_non_null(strstr(e.msg, "truncated"));
	fclose(f);

	/* a huge announced length is refused before allocation */
	f = tmpfile();
	nlh->nlmsg_len = 0x7fffffff;
	fwrite(buf, 1, 64, f);
	rewind(f);
	assert_int_equal(nl_replay(f, &h, &intr, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "bad message length"));
	fclose(f);
}

static struct diag_sock mksock(enum diag_proto p, uint32_t r, uint32_t rb, uint32_t tb,
			       uint32_t f, uint32_t w, uint32_t drops, uint16_t sport)
{
	struct diag_sock d = { 0 };

	d.proto = p;
	d.state = p == DP_TCP ? 1 : 7;
	d.nmem = 9;
	d.mem[DM_RMEM_ALLOC] = r;
	d.mem[DM_RCVBUF] = rb;
	d.mem[DM_SNDBUF] = tb;
	d.mem[DM_FWD_ALLOC] = f;
	d.mem[DM_WMEM_QUEUED] = w;
	d.mem[DM_WMEM_ALLOC] = 777; /* never charged */
	d.mem[DM_DROPS] = drops;
	d.sport = sport;
	return d;
}

/* A TCP reply with a tcp_info of len bytes (the sending kernel's size). */
static struct nlmsghdr *mkinfo(char *buf, const struct tcp_info *ti, size_t len)
{
	uint32_t mem[9] = { 0 };
	struct nlmsghdr *nlh = mkmsg(buf, 1, 443, mem, 9, 5);

	mnl_attr_put(nlh, INET_DIAG_INFO, len, ti);
	return nlh;
}

/* tcp_info is as long as the kernel that sent it: rtt (every kernel),
 * delivery_rate and its app-limited bit (4.9), busy and rwnd-limited time
 * (4.10); a field shorter than the attribute is not read. */
static void parse_tcp_info_lengths(void **state)
{
	char buf[1024];
	struct tcp_info ti;
	struct diag_sock d;
	struct parse_err e = { 0, "" };

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 20000;
	ti.tcpi_delivery_rate = 125000000;
	ti.tcpi_delivery_rate_app_limited = 1;
	ti.tcpi_busy_time = 1000000;
	ti.tcpi_rwnd_limited = 600000;
	/* the whole struct */
	assert_int_equal(diag_parse(mkinfo(buf, &ti, sizeof(ti)), DP_TCP, &d, &e), 0);
	assert_true(d.has_tcp_info);
	assert_int_equal(d.rtt_us, 20000);
	assert_int_equal(d.delivery_rate, 125000000);
	assert_true(d.delivery_rate_app_limited);
	assert_true(d.has_chrono);
	assert_int_equal(d.busy_time_us, 1000000);
	assert_int_equal(d.rwnd_limited_us, 600000);
	/* 4.9: up to tcpi_delivery_rate, no chronographs */
	assert_int_equal(diag_parse(mkinfo(buf, &ti, offsetof(struct tcp_info, tcpi_busy_time)),
				    DP_TCP, &d, &e), 0);
	assert_int_equal(d.delivery_rate, 125000000);
	assert_true(d.delivery_rate_app_limited);
	assert_false(d.has_chrono);
	assert_int_equal(d.rwnd_limited_us, 0);
	/* busy time but not all of rwnd_limited: not read */
	assert_int_equal(diag_parse(mkinfo(buf, &ti, offsetof(struct tcp_info, tcpi_rwnd_limited) + 4),
				    DP_TCP, &d, &e), 0);
	assert_false(d.has_chrono);
	/* before 4.9: rtt only, and the byte of the app-limited bit not read */
	assert_int_equal(diag_parse(mkinfo(buf, &ti, offsetof(struct tcp_info, tcpi_delivery_rate)),
				    DP_TCP, &d, &e), 0);
	assert_true(d.has_tcp_info);
	assert_int_equal(d.rtt_us, 20000);
	assert_int_equal(d.delivery_rate, 0);
	assert_false(d.delivery_rate_app_limited);
	/* too short for rtt: no tcp_info */
	assert_int_equal(diag_parse(mkinfo(buf, &ti, offsetof(struct tcp_info, tcpi_rtt)), DP_TCP, &d, &e), 0);
	assert_false(d.has_tcp_info);
}

/* An established connection with bdp_bytes in flight: 1 s rtt, rate = bdp. */
static struct diag_sock mkpath(uint64_t bdp_bytes, const char *src, const char *dst)
{
	struct diag_sock d = mksock(DP_TCP, 0, 131072, 16384, 0, 0, 0, 443);

	d.family = strchr(src, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(d.family, src, d.src), 1);
	assert_int_equal(inet_pton(d.family, dst, d.dst), 1);
	d.has_tcp_info = true;
	d.rtt_us = 1000000;
	d.delivery_rate = bdp_bytes;
	return d;
}

/* first-user 3: the 90th percentile is the real one, not the top of a
 * power-of-two bucket (19.4 MB came out as 2^25 - 1 = 33554431) */
static void bdp_quantile(void **state)
{
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockets s;
	uint64_t q, v, lo, w;
	int i;

	assert_int_equal(sockets_init(&s, &par, BY_SOCKET, 0, NULL), 0);
	assert_int_equal(sockets_bdp_quantile(&s.sum[DP_TCP], 0.9), 0);	/* empty */
	{
		struct diag_sock d = mkpath(19400000, "10.0.0.1", "192.0.2.7");

		sockets_add(&s, &d);
	}
	q = sockets_bdp_quantile(&s.sum[DP_TCP], 0.9);
	assert_true(q >= 19400000 && q <= 19400000 + 19400000 / 8);
	/* 100 connections of 1..100 MB: p90 is 90 MB within a bucket's eighth */
	sockets_reset(&s);
	for (i = 1; i <= 100; i++) {
		struct diag_sock d = mkpath((uint64_t)i * 1000000, "10.0.0.1", "192.0.2.7");

		sockets_add(&s, &d);
	}
	assert_int_equal(s.sum[DP_TCP].bdp_n, 100);
	q = sockets_bdp_quantile(&s.sum[DP_TCP], 0.9);
	assert_true(q >= 90000000 - 90000000 / 8 && q <= 90000000 + 90000000 / 8);
	assert_true(sockets_bdp_quantile(&s.sum[DP_TCP], 1.0) <= 100000000 + 100000000 / 8);
	/* every bucket holds its own values and is at most an eighth of its
	 * lower edge wide */
	for (v = 1024; v < (1ull << 40); v = v + v / 7 + 1) {
		sockets_bdp_bucket_range(sockets_bdp_bucket(v), &lo, &w);
		assert_true(lo <= v && v < lo + w);
		assert_true(w <= lo / 8);
	}
	assert_int_equal(sockets_bdp_bucket(100), 0);
	assert_int_equal(sockets_bdp_bucket(UINT64_MAX), SOCKETS_BDP_BUCKETS - 1);
	sockets_free(&s);
}

/* first-user 25: a socket procscan found in several processes is credited
 * to the lowest PID; its group counts it as shared, with the most other
 * holders of one socket; by peer port, the remote port groups and a socket
 * without a peer is left out */
static void shared_and_peer_port(void **state)
{
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct keymap map;
	struct sockets s;
	struct sock_entry top[4];
	struct diag_sock d[3];
	uint32_t *v;
	int i, n;

	(void)state;
	assert_int_equal(keymap_init(&map, sizeof(uint32_t)), 0);
	for (i = 0; i < 3; i++) {
		memset(&d[i], 0, sizeof(d[i]));
		d[i].proto = DP_TCP;
		d[i].family = AF_INET;
		d[i].state = 1;
		d[i].inode = 100 + (uint32_t)i;
		d[i].nmem = DM_COUNT;
		d[i].mem[DM_RMEM_ALLOC] = 1000 * (uint64_t)(i + 1);
		d[i].sport = 40000 + (uint16_t)i;
		d[i].dport = i == 2 ? 0 : 443;
		*(uint32_t *)keymap_get(&map, d[i].inode) = 7;
	}
	*(uint32_t *)keymap_get(&map, 101 | PROCSCAN_KEY_OTHERS) = 2;
	*(uint32_t *)keymap_get(&map, 102 | PROCSCAN_KEY_OTHERS) = 1;
	assert_int_equal(procscan_shared_others(&map, 100), 0);
	assert_int_equal(procscan_shared_others(&map, 101), 2);
	assert_int_equal(procscan_shared_others(NULL, 101), 0);
	assert_int_equal(sockets_init(&s, &par, BY_PROCESS, 4, &map), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(sockets_add(&s, &d[i]), 0);
	n = sockets_top(&s, top, 4);
	assert_int_equal(n, 1);
	assert_int_equal(top[0].key, 7);
	assert_int_equal(top[0].count, 3);
	assert_int_equal(top[0].shared_sockets, 2);
	assert_int_equal(top[0].shared_others_max, 2);
	sockets_free(&s);
	assert_int_equal(sockets_init(&s, &par, BY_PEER_PORT, 4, NULL), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(sockets_add(&s, &d[i]), 0);
	n = sockets_top(&s, top, 4);
	assert_int_equal(n, 1);
	assert_int_equal(sockets_group_key(BY_PEER_PORT, top[0].key).port, 443);
	assert_int_equal(top[0].count, 2);
	assert_int_equal(s.unattributed, 1);
	sockets_free(&s);
	v = keymap_find(&map, 100);
	assert_non_null(v);
	keymap_free(&map);
}

/* first-user 3: loopback, app-limited and receive-window-limited samples
 * do not measure a path; they are counted apart */
static void bdp_samples(void **state)
{
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	static const char *const lo[][2] = {
		{ "127.0.0.1", "127.0.0.1" }, { "10.0.0.1", "127.0.0.53" }, { "::1", "::1" },
		{ "::ffff:127.0.0.1", "::ffff:127.0.0.1" }, { "10.0.0.5", "10.0.0.5" },
		{ "2001:db8::1", "2001:db8::1" },
	};
	struct sockets s, t;
	struct diag_sock d;
	uint64_t bdp = 0;
	size_t i;

	assert_int_equal(sockets_init(&s, &par, BY_SOCKET, 0, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(lo); i++) {
		d = mkpath(33554431, lo[i][0], lo[i][1]);
		assert_true(sockets_loopback(&d));
		assert_int_equal(sockets_bdp_sample(&d, &bdp), SOCKETS_BDP_LOOPBACK);
		sockets_add(&s, &d);
	}
	d = mkpath(5000000, "2001:db8::1", "2001:db8::2");
	assert_false(sockets_loopback(&d));
	assert_int_equal(sockets_bdp_sample(&d, &bdp), SOCKETS_BDP_USED);
	assert_int_equal(bdp, 5000000);
	d.delivery_rate_app_limited = true;
	assert_int_equal(sockets_bdp_sample(&d, NULL), SOCKETS_BDP_APP_LIMITED);
	sockets_add(&s, &d);
	/* limited by the peer's window for half of its busy time */
	d = mkpath(5000000, "10.0.0.1", "192.0.2.7");
	d.has_chrono = true;
	d.busy_time_us = 1000000;
	d.rwnd_limited_us = 500000;
	assert_int_equal(sockets_bdp_sample(&d, NULL), SOCKETS_BDP_RWND_LIMITED);
	sockets_add(&s, &d);
	d.rwnd_limited_us = 100000;	/* a tenth: the rate still measures the path */
	assert_int_equal(sockets_bdp_sample(&d, NULL), SOCKETS_BDP_USED);
	sockets_add(&s, &d);
	/* not established, or no rate: not a sample at all */
	d.state = 8;
	assert_int_equal(sockets_bdp_sample(&d, NULL), SOCKETS_BDP_NONE);
	d.state = 1;
	d.delivery_rate = 0;
	assert_int_equal(sockets_bdp_sample(&d, NULL), SOCKETS_BDP_NONE);
	assert_int_equal(s.sum[DP_TCP].bdp_n, 1);
	assert_int_equal(s.sum[DP_TCP].bdp_skipped[SOCKETS_BDP_LOOPBACK], ARRAY_SIZE(lo));
	assert_int_equal(s.sum[DP_TCP].bdp_skipped[SOCKETS_BDP_APP_LIMITED], 1);
	assert_int_equal(s.sum[DP_TCP].bdp_skipped[SOCKETS_BDP_RWND_LIMITED], 1);
	/* merged across namespaces */
	assert_int_equal(sockets_init(&t, &par, BY_SOCKET, 0, NULL), 0);
	sockets_merge_sums(&t, &s);
	sockets_merge_sums(&t, &s);
	assert_int_equal(t.sum[DP_TCP].bdp_n, 2);
	assert_int_equal(t.sum[DP_TCP].bdp_skipped[SOCKETS_BDP_LOOPBACK], 2 * ARRAY_SIZE(lo));
	assert_int_equal(sockets_bdp_quantile(&t.sum[DP_TCP], 0.5), sockets_bdp_quantile(&s.sum[DP_TCP], 0.5));
	sockets_free(&t);
	sockets_free(&s);
}

static void charged_formula(void **state)
{
	/* kernel-model.md 1.1: skmem:(r5832,...,f2360,w0) -> 8192 = 2 pages */
	struct diag_sock t = mksock(DP_TCP, 5832, 131072, 16384, 2360, 0, 0, 1);
	struct diag_sock u = mksock(DP_UDP, 6912, 212992, 212992, 1280, 5000, 3, 2);
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockets s;

	assert_int_equal(sockets_charged(&t), 8192);
	assert_int_equal(sockets_charged(&u), 8192); /* UDP: wmem_queued not charged */
	assert_true(sockets_slow_reader(&u));	      /* drops */
	assert_false(sockets_slow_reader(&t));
	assert_int_equal(sockets_init(&s, &par, BY_SOCKET, 3, NULL), 0);
	sockets_add(&s, &t);
	sockets_add(&s, &u);
	assert_int_equal(s.sum[DP_TCP].charged_pages, 2);
	assert_int_equal(s.sum[DP_UDP].charged_pages, 2);
	assert_int_equal(s.sum[DP_TCP].worst_case_bytes, 131072 + 16384);
	assert_int_equal(s.sum[DP_UDP].mem[DM_DROPS], 3);
	assert_int_equal(s.sum[DP_UDP].with_drops, 1);
	sockets_free(&s);
}

static void top_n_bounded(void **state)
{
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockets s;
	struct sock_entry out[5];
	int i, n;

	assert_int_equal(sockets_init(&s, &par, BY_SOCKET, 3, NULL), 0);
	for (i = 1; i <= 1000; i++) {
		struct diag_sock d = mksock(DP_TCP, (uint32_t)((i * 7919) % 1000) * 100, 1 << 20,
					    16384, 0, 0, 0, (uint16_t)i);

		sockets_add(&s, &d);
	}
	assert_int_equal(s.nheap, 3); /* memory bounded by N */
	n = sockets_top(&s, out, 5);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].charged_bytes, 99900);
	assert_int_equal(out[1].charged_bytes, 99800);
	assert_int_equal(out[2].charged_bytes, 99700);
	assert_int_equal(s.sum[DP_TCP].count, 1000);
	sockets_free(&s);
}

static void groups_by_port(void **state)
{
	struct sockets_params par = { 4096, true, 33554432, 4194304, 16384 };
	struct sockets s;
	struct sock_entry out[4];
	int i, n;

	assert_int_equal(sockets_init(&s, &par, BY_PORT, 4, NULL), 0);
	for (i = 0; i < 300; i++) {
		struct diag_sock d = mksock(DP_TCP, 1000, 1 << 20, 16384, 0, 0, 0,
					    (uint16_t)(i < 200 ? 443 : 8080 + i % 3));

		sockets_add(&s, &d);
	}
	n = sockets_top(&s, out, 4);
	assert_int_equal(n, 4);
	assert_int_equal(out[0].key & 0xffff, 443);
	assert_int_equal(out[0].count, 200);
	assert_int_equal(out[0].charged_bytes, 200000);
	assert_int_equal(s.groups.n, 4);
	sockets_free(&s);
}

/* The BPF record of a socket decodes to what diag_parse gives for the same
 * socket's sock_diag reply: both backends feed the aggregator alike. */
static void bpf_record_equals_diag(void **state)
{
	static const uint32_t mem[9] = { 4608, 131072, 0, 87040, 3584, 8192, 0, 0, 2 };
	char buf[1024];
	struct nlmsghdr *nlh = mkmsg(buf, 1, 443, mem, 9, 777);
	struct sockiter_rec r;
	struct diag_sock a, b;
	struct parse_err e = { 0, "" };
	struct sockets_params par = { 4096, true, 6291456, 4194304, 16384 };
	struct sockets sa, sb;
	int i;

	(void)state;
	assert_int_equal(diag_parse(nlh, DP_TCP, &a, &e), 0);
	memset(&r, 0, sizeof(r));
	r.proto = SOCKITER_TCP;
	r.family = a.family;
	r.state = a.state;
	r.sport = a.sport;
	r.dport = a.dport;
	memcpy(r.src, a.src, 16);
	memcpy(r.dst, a.dst, 16);
	r.inode = a.inode;
	r.uid = a.uid;
	r.cookie = a.cookie;
	r.rqueue = a.rqueue;
	r.wqueue = a.wqueue;
	r.rec_flags = SOCKITER_FULL;
	for (i = 0; i < 9; i++)
		r.mem[i] = mem[i];
	bpfrec_to_diag(&r, &b);
	assert_int_equal(b.nmem, a.nmem);
	assert_memory_equal(b.mem, a.mem, sizeof(a.mem));
	assert_int_equal(b.state, a.state);
	assert_int_equal(b.sport, a.sport);
	assert_int_equal(b.inode, a.inode);
	assert_int_equal(sockets_charged(&b), sockets_charged(&a));
	/* one aggregator each: the same sums */
	assert_int_equal(sockets_init(&sa, &par, BY_SOCKET, 0, NULL), 0);
	assert_int_equal(sockets_init(&sb, &par, BY_SOCKET, 0, NULL), 0);
	sockets_add(&sa, &a);
	sockets_add(&sb, &b);
	assert_memory_equal(sa.sum, sb.sum, sizeof(sa.sum));
	/* a TIME-WAIT entry: no meminfo, counted by its state */
	memset(&r, 0, sizeof(r));
	r.proto = SOCKITER_TCP;
	r.state = 6;
	bpfrec_to_diag(&r, &b);
	assert_int_equal(b.nmem, 0);
	assert_int_equal(sockets_charged(&b), 0);
	sockets_free(&sa);
	sockets_free(&sb);
}

/* A stream of records cut anywhere: whole ones added, the rest left. */
static void bpf_records_stream(void **state)
{
	struct sockiter_rec recs[3];
	struct sockets_params par = { 4096, false, 0, 0, 0 };
	struct sockets s;
	size_t used;
	int i;

	(void)state;
	memset(recs, 0, sizeof(recs));
	for (i = 0; i < 3; i++) {
		recs[i].proto = i == 2 ? SOCKITER_UDP : SOCKITER_TCP;
		recs[i].state = i == 2 ? 7 : 1;
		recs[i].rec_flags = SOCKITER_FULL;
		recs[i].mem[0] = 1000;
		recs[i].mem[4] = 3096;
	}
	assert_int_equal(sockets_init(&s, &par, BY_SOCKET, 0, NULL), 0);
	assert_int_equal(bpfrec_add(&s, recs, sizeof(recs) - 5, &used), 2);
	assert_int_equal(used, 2 * sizeof(recs[0]));
	assert_int_equal(bpfrec_add(&s, recs + 2, sizeof(recs[0]), &used), 1);
	assert_int_equal(s.sum[DP_TCP].count, 2);
	assert_int_equal(s.sum[DP_UDP].count, 1);
	assert_int_equal(s.sum[DP_TCP].charged_pages, 2);	/* 4096 bytes each */
	recs[0].proto = 9;	/* a program that does not match the loader */
	assert_int_equal(bpfrec_add(&s, recs, sizeof(recs[0]), &used), -EBADMSG);
	sockets_free(&s);
}

/* The sums a sums-only walk makes in the kernel (sockiter_sum_add(), the
 * program's own code) folded in by bpfrec_add_sums() equal those of the
 * same records added one by one (sockets_add()): every state, full or not,
 * each threshold on both sides, fields near 2^32, every set of limits. */
static void bpf_sums_in_kernel(void **state)
{
	static const struct sockets_params pars[] = {
		{ 4096, true, 6291456, 4194304, 16384 },
		{ 65536, true, 1000, 2000, 3000 },
		{ 0, false, 0, 0, 0 },
	};
	static const __u8 states[] = { 1, 2, 3, 7, 8, 10, 11, 13, 15 };
	struct sockiter_rec r;
	unsigned int seed = 12345;
	size_t k, used;
	int n, i;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(pars); k++) {
		struct sockiter_sums sums[2];
		struct sockiter_params par;
		struct sockets a, b;

		assert_int_equal(sockets_init(&a, &pars[k], BY_SOCKET, 0, NULL), 0);
		assert_int_equal(sockets_init(&b, &pars[k], BY_SOCKET, 0, NULL), 0);
		memset(sums, 0, sizeof(sums));
		bpfrec_params(&b, &par);
		for (n = 0; n < 5000; n++) {
			memset(&r, 0, sizeof(r));
			seed = seed * 1103515245u + 12345u;
			r.proto = (seed >> 8) & 1 ? SOCKITER_UDP : SOCKITER_TCP;
			r.state = states[(seed >> 9) % sizeof(states)];
			r.rec_flags = (seed >> 13) % 5 ? SOCKITER_FULL : 0;
			for (i = 0; i < SOCKITER_MEMINFO; i++) {
				seed = seed * 1103515245u + 12345u;
				/* small, around the thresholds, or near 2^32 */
				r.mem[i] = (seed >> 4) % 7 == 0 ? 0xffffffffu - (seed >> 20)
					   : (seed >> 4) % 3 == 0 ? 0 : (seed >> 10) % 20000;
			}
			if (n % 7 == 0)
				r.mem[0] = r.mem[1] - r.mem[1] / 10;	/* r = 90% of rb */
			if (n % 11 == 0)
				r.mem[3] = 16383 + n % 3;		/* tb around tcp_wmem[1] */
			assert_int_equal(bpfrec_add(&a, &r, sizeof(r), &used), 1);
			sockiter_sum_add(&sums[r.proto], &par, &r);
		}
		bpfrec_add_sums(&b, DP_TCP, &sums[SOCKITER_TCP]);
		bpfrec_add_sums(&b, DP_UDP, &sums[SOCKITER_UDP]);
		assert_true(a.sum[DP_TCP].slow_readers > 0 && a.sum[DP_TCP].worst_case_bytes + !pars[k].tcp_limits_ok > 0);
		assert_memory_equal(a.sum, b.sum, sizeof(a.sum));
		sockets_free(&a);
		sockets_free(&b);
	}
}

/* global + every CPU's cache, only when all of them were read. */
static void bpf_exact_totals(void **state)
{
	struct sockiter_totals t = { 0 };
	const char *why;
	__s64 pages;

	(void)state;
	assert_false(bpfrec_exact(&t, &pages, &why));
	assert_non_null(why);
	t.found = 1;
	t.global = 1903;
	t.has_pcpu = 1;
	t.pcpu_sum = 97;
	assert_false(bpfrec_exact(&t, &pages, &why));	/* no CPU read */
	t.cpus_read = 2;
	assert_true(bpfrec_exact(&t, &pages, &why));
	assert_int_equal(pages, 2000);
	t.cpus_failed = 1;
	assert_false(bpfrec_exact(&t, &pages, &why));
	/* before 6.0 there is no cache: the global counter is exact */
	memset(&t, 0, sizeof(t));
	t.found = 1;
	t.global = -14;
	assert_true(bpfrec_exact(&t, &pages, &why));
	assert_int_equal(pages, -14);
}

/* The requests of the four dumps.  net/ipv4/inet_diag.c (5.10.223, 6.1.192,
 * 6.12.117, 7.2.13): inet_diag_get_protocol() takes INET_DIAG_REQ_PROTOCOL
 * (a u32, else inet_diag_parse_attrs() says -EINVAL) over sdiag_protocol,
 * and inet_diag_lock_handler() finds no handler for 0: a kernel that
 * ignores the attribute answers ENOENT instead of dumping TCP, which
 * IPPROTO_MPTCP (262) cut to the u8 would be.  mptcp_diag's INET_DIAG_INFO
 * is struct mptcp_info (mptcp_diag_get_info), so it is never asked. */
static void request_dumps(void **state)
{
	char buf[DIAG_REQ_SIZE], buf2[DIAG_REQ_SIZE];
	struct nlmsghdr *nlh;
	const struct inet_diag_req_v2 *r;
	const struct nlattr *a;
	size_t base = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct inet_diag_req_v2));

	(void)state;
	nlh = diag_build_dump_request(buf, AF_INET, DD_TCP, true, DIAG_STATES_CHARGED);
	r = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(r->sdiag_protocol, IPPROTO_TCP);
	assert_int_equal(r->idiag_states, DIAG_STATES_CHARGED);
	assert_true(r->idiag_ext & (1 << (INET_DIAG_INFO - 1)));
	assert_int_equal(nlh->nlmsg_len, base);	/* no attribute */
	/* the old entry point builds the same */
	assert_memory_equal(diag_build_request(buf2, AF_INET, DP_TCP, true, DIAG_STATES_CHARGED),
			    nlh, base);

	nlh = diag_build_dump_request(buf, AF_INET6, DD_MPTCP, true, DIAG_STATES_CHARGED);
	r = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(r->sdiag_family, AF_INET6);
	assert_int_equal(r->sdiag_protocol, 0);
	assert_int_equal(r->idiag_states, DIAG_STATES_CHARGED);
	assert_int_equal(r->idiag_ext, 1 << (INET_DIAG_SKMEMINFO - 1));	/* no INFO */
	assert_int_equal(nlh->nlmsg_len, base + MNL_ATTR_HDRLEN + sizeof(uint32_t));
	a = (const struct nlattr *)((const char *)nlh + base);
	assert_int_equal(mnl_attr_get_type(a), INET_DIAG_REQ_PROTOCOL);
	assert_int_equal(mnl_attr_get_payload_len(a), sizeof(uint32_t));
	assert_int_equal(mnl_attr_get_u32(a), IPPROTO_MPTCP);

	nlh = diag_build_dump_request(buf, AF_INET, DD_UDPLITE, true, DIAG_STATES_CHARGED);
	r = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(r->sdiag_protocol, IPPROTO_UDPLITE);
	assert_int_equal(r->idiag_states, DIAG_STATES_ALL);	/* UDP: every state */
	assert_int_equal(r->idiag_ext, 1 << (INET_DIAG_SKMEMINFO - 1));
	assert_int_equal(nlh->nlmsg_len, base);

	/* the table: who shares whose counter */
	assert_int_equal(diag_dumps[DD_MPTCP].counter, DP_TCP);
	assert_int_equal(diag_dumps[DD_UDPLITE].counter, DP_UDP);
	assert_int_equal(diag_sharing_dump(DP_TCP), DD_MPTCP);
	assert_int_equal(diag_sharing_dump(DP_UDP), DD_UDPLITE);
	assert_false(diag_dumps[DD_TCP].shares);
}

/* A reply's INET_DIAG_PROTOCOL (sk_protocol as a u8, with CAP_NET_ADMIN):
 * UDP-Lite's 136 is told apart, and counts in UDP's sums as one sharing the
 * counter; an MPTCP connection (ipproto set by its dump) in TCP's. */
static void sharing_sums(void **state)
{
	char buf[1024];
	uint32_t mem[9] = { 4096, 212992, 0, 212992, 0, 0, 0, 0, 0 };
	struct sockets_params par = { 4096, false, 0, 0, 0 };
	struct sockets agg, other;
	struct diag_sock d;
	struct parse_err e = { 0, "" };
	struct nlmsghdr *nlh;

	(void)state;
	nlh = mkmsg(buf, 7, 5000, mem, 9, 1);
	mnl_attr_put_u8(nlh, INET_DIAG_PROTOCOL, IPPROTO_UDPLITE);
	assert_int_equal(diag_parse(nlh, DP_UDP, &d, &e), 0);
	assert_int_equal(d.proto, DP_UDP);
	assert_int_equal(d.ipproto, IPPROTO_UDPLITE);
	assert_int_equal(sockets_init(&agg, &par, BY_SOCKET, 0, NULL), 0);
	assert_int_equal(sockets_add(&agg, &d), 0);
	/* a plain UDP socket */
	assert_int_equal(diag_parse(mkmsg(buf, 7, 53, mem, 9, 2), DP_UDP, &d, &e), 0);
	assert_int_equal(d.ipproto, IPPROTO_UDP);
	assert_int_equal(sockets_add(&agg, &d), 0);
	/* an MPTCP connection: 2 pages in TCP's sums */
	assert_int_equal(diag_parse(mkmsg(buf, 1, 80, mem, 9, 3), DP_TCP, &d, &e), 0);
	d.ipproto = IPPROTO_MPTCP;
	d.mem[DM_WMEM_QUEUED] = 4096;
	assert_int_equal(sockets_add(&agg, &d), 0);
	assert_int_equal(agg.sum[DP_UDP].count, 2);
	assert_int_equal(agg.sum[DP_UDP].charged_pages, 2);
	assert_int_equal(agg.sum[DP_UDP].sharing_count, 1);
	assert_int_equal(agg.sum[DP_UDP].sharing_charged_bytes, 4096);
	assert_int_equal(agg.sum[DP_TCP].charged_pages, 2);
	assert_int_equal(agg.sum[DP_TCP].sharing_count, 1);
	assert_int_equal(agg.sum[DP_TCP].sharing_charged_bytes, 8192);
	/* merged over namespaces */
	assert_int_equal(sockets_init(&other, &par, BY_SOCKET, 0, NULL), 0);
	sockets_merge_sums(&other, &agg);
	sockets_merge_sums(&other, &agg);
	assert_int_equal(other.sum[DP_TCP].sharing_count, 2);
	assert_int_equal(other.sum[DP_UDP].sharing_charged_bytes, 8192);
	sockets_free(&agg);
	sockets_free(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_skmem_lengths),
		cmocka_unit_test(request_dumps),
		cmocka_unit_test(sharing_sums),
		cmocka_unit_test(bpf_sums_in_kernel),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(process_loop),
		cmocka_unit_test(replay_truncated),
		cmocka_unit_test(charged_formula),
		cmocka_unit_test(top_n_bounded),
		cmocka_unit_test(groups_by_port),
		cmocka_unit_test(parse_tcp_info_lengths),
		cmocka_unit_test(bdp_quantile),
		cmocka_unit_test(bdp_samples),
		cmocka_unit_test(bpf_record_equals_diag),
		cmocka_unit_test(bpf_records_stream),
		cmocka_unit_test(shared_and_peer_port),
		cmocka_unit_test(bpf_exact_totals),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
