/* test_parsers.c - cmocka unit tests of the procfs/sysfs parsers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "dynlib.h"
#include "host.h"
#include "netstat.h"
#include "protocols.h"
#include "snapshot.h"
#include "sockstat.h"
#include "sysinfo.h"
#include "util.h"

#define S(str) (str), strlen(str)

/* ------------------------------------------------------------ sockstat */

/* prometheus/procfs net_sockstat_test.go, "IPv4" case (quoted in peers.md) */
static const char procfs_ipv4[] =
	"sockets: used 1591\n"
	"TCP: inuse 32 orphan 0 tw 0 alloc 58 mem 13\n"
	"UDP: inuse 8 mem 115\n"
	"UDPLITE: inuse 0\n"
	"RAW: inuse 0\n"
	"FRAG: inuse 0 memory 0\n";

static void sockstat_ipv4(void **state)
{
	struct sockstat s;
	struct parse_err e = { 0 };

	assert_int_equal(sockstat_parse(S(procfs_ipv4), &s, &e), 0);
	assert_int_equal(s.nlines, 6);
	assert_true(sockstat_get(&s, "sockets", "used").ok);
	assert_int_equal(sockstat_get(&s, "sockets", "used").v, 1591);
	assert_int_equal(sockstat_get(&s, "TCP", "inuse").v, 32);
	assert_int_equal(sockstat_get(&s, "TCP", "alloc").v, 58);
	assert_int_equal(sockstat_get(&s, "TCP", "mem").v, 13);
	assert_int_equal(sockstat_get(&s, "UDP", "mem").v, 115);
	assert_true(sockstat_get(&s, "FRAG", "memory").ok);
	/* absent is not zero */
	assert_false(sockstat_get(&s, "UDP", "orphan").ok);
	assert_false(sockstat_get(&s, "SCTP", "mem").ok);
}

static void sockstat_ipv6(void **state)
{
	struct sockstat s;
	struct parse_err e = { 0 };

	assert_int_equal(sockstat_parse(S("TCP6: inuse 24\nUDP6: inuse 9\nUDPLITE6: inuse 0\n"
					  "RAW6: inuse 1\nFRAG6: inuse 0 memory 0\n"), &s, &e), 0);
	assert_int_equal(sockstat_get(&s, "TCP6", "inuse").v, 24);
	assert_int_equal(sockstat_get(&s, "RAW6", "inuse").v, 1);
	assert_false(sockstat_get(&s, "sockets", "used").ok);
}

static void sockstat_unknown_keys_kept(void **state)
{
	struct sockstat s;
	struct parse_err e = { 0 };

	assert_int_equal(sockstat_parse(S("TCP: inuse 1 pressure 1 mem 5\nNEWPROTO: inuse 3\n"), &s,
					&e), 0);
	assert_int_equal(sockstat_get(&s, "TCP", "mem").v, 5);
	assert_int_equal(sockstat_get(&s, "NEWPROTO", "inuse").v, 3);
}

/* A newer kernel: long keys, long names, many keys and lines are read, never
 * fatal (sockmem used to stop at 15 characters, 8 keys and 32 lines). */
static void sockstat_no_limits(void **state)
{
	static const char in[] =
		"sockets: used 7\n"
		"TCP: inuse 1 orphan 0 tw 0 alloc 4 memory_pressure_threshold 9 a 1 b 2 c 3 d 4 e 5 f 6 mem 18\n"
		"A_PROTOCOL_NAME_OF_MANY_CHARACTERS: inuse 2\n";
	struct sockstat s;
	struct parse_err e = { 0, "" };
	char *big, *q;
	int i;

	assert_int_equal(sockstat_parse(S(in), &s, &e), 0);
	assert_int_equal(s.nlines, 3);
	assert_int_equal(sockstat_get(&s, "TCP", "mem").v, 18);		/* the 12th key */
	assert_int_equal(sockstat_get(&s, "TCP", "memory_pressure_threshold").v, 9);
	assert_false(sockstat_get(&s, "TCP", "memory").ok);
	assert_false(sockstat_get(&s, "TCP", "memory_pressure_threshol").ok);
	assert_int_equal(sockstat_get(&s, "A_PROTOCOL_NAME_OF_MANY_CHARACTERS", "inuse").v, 2);
	assert_false(sockstat_get(&s, "A_PROTOCOL", "inuse").ok);

	/* 2000 lines of 100 keys each: nothing in the way, duplicates still found */
	big = malloc(2000 * 1100 + 64);
	assert_non_null(big);
	for (q = big, i = 0; i < 2000; i++) {
		int k;

		q += sprintf(q, "L%d:", i);
		for (k = 0; k < 100; k++)
			q += sprintf(q, " k%d %d", k, i);
		*q++ = '\n';
	}
	assert_int_equal(sockstat_parse(big, (size_t)(q - big), &s, &e), 0);
	assert_int_equal(s.nlines, 2000);
	assert_int_equal(sockstat_get(&s, "L1999", "k99").v, 1999);
	q += sprintf(q, "L7: x 1\n");
	assert_int_equal(sockstat_parse(big, (size_t)(q - big), &s, &e), -EINVAL);
	assert_int_equal(e.line, 2001);
	assert_non_null(strstr(e.msg, "duplicate line 'L7'"));
	assert_false(sockstat_get(&s, "L1", "k1").ok);	/* a failed parse is empty */
	free(big);
}

struct bad_case {
	const char *in;
	int rc;
	int line;
	const char *msg;
};

static void check_bad_sockstat(const struct bad_case *c)
{
	struct sockstat s;
	struct parse_err e = { 0, "" };
	int rc = sockstat_parse(c->in, strlen(c->in), &s, &e);

	if (rc != c->rc || e.line != c->line || !strstr(e.msg, c->msg))
		fail_msg("input %s: rc %d line %d msg '%s'", c->in, rc, e.line, e.msg);
}

static void sockstat_bad(void **state)
{
	static const struct bad_case cases[] = {
		{ "", -EINVAL, 0, "empty file" },
		{ "sockets: used\n", -EINVAL, 1, "key 'used' has no value" },
		{ "TCP: inuse 32 orphan\n", -EINVAL, 1, "key 'orphan' has no value" },
		{ "TCP: inuse 1 mem 18", -EINVAL, 1, "truncated" },
		{ "TCP: inuse 1\nUDP: inuse 0 me", -EINVAL, 2, "truncated" },
		{ "TCP: inuse x\n", -EINVAL, 1, "'x' is not a number" },
		{ "TCP: inuse -1\n", -EINVAL, 1, "negative" },
		{ "TCP: mem 18446744073709551616\n", -ERANGE, 1, "out of range" },
		{ "TCP: mem 99999999999999999999999\n", -ERANGE, 1, "out of range" },
		{ "TCP: inuse 1 inuse 2\n", -EINVAL, 1, "duplicate key 'inuse'" },
		{ "TCP: inuse 1\nTCP: inuse 2\n", -EINVAL, 2, "duplicate line 'TCP'" },
		{ "garbage line here\n", -EINVAL, 1, "expected 'NAME: key value" },
		{ "TCP: 5 inuse\n", -EINVAL, 1, "expected a key" },
		{ "\x1b[2J: inuse 1\n", -EINVAL, 1, "bad line name" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_bad_sockstat(&cases[i]);
}

static void sockstat_max_u64(void **state)
{
	struct sockstat s;
	struct parse_err e = { 0 };

	assert_int_equal(sockstat_parse(S("TCP: mem 18446744073709551615\n"), &s, &e), 0);
	assert_true(sockstat_get(&s, "TCP", "mem").v == UINT64_MAX);
}

static void sockstat_nul(void **state)
{
	static const char in[] = "TCP: inuse 1\nUDP: in\0use 0\n";
	struct sockstat s;
	struct parse_err e = { 0 };

	assert_int_equal(sockstat_parse(in, sizeof(in) - 1, &s, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "NUL byte"));
}

/* Every prefix of a valid file either parses or fails cleanly. */
static void sockstat_every_truncation(void **state)
{
	size_t n;

	for (n = 0; n < sizeof(procfs_ipv4) - 1; n++) {
		struct sockstat s;
		struct parse_err e = { 0 };
		char *copy = malloc(n ? n : 1);
		int rc;

		memcpy(copy, procfs_ipv4, n);
		rc = sockstat_parse(copy, n, &s, &e);
		if (n == 0 || procfs_ipv4[n - 1] != '\n')
			assert_int_not_equal(rc, 0);
		else
			assert_int_equal(rc, 0);
		free(copy);
	}
}

/* ----------------------------------------------------------- protocols */

static const char protocols_in[] =
	"protocol  size sockets  memory press maxhdr  slab module     cl co di ac io in de sh ss gs se re sp bi br ha uh gp em\n"
	"PACKET    1344      2      -1   NI       0   no   kernel      n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n"
	"UDPv6     1216     10      57   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  n  n  n  y  y  y  n\n"
	"TCPv6     2144   1937  1225378   no     320   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y\n"
	"TCP       1984  93064  1225378   yes     320   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y\n";

static void protocols_ok(void **state)
{
	struct protocols p;
	struct parse_err e = { 0 };
	const struct protocols_row *r;

	assert_int_equal(protocols_parse(S(protocols_in), &p, &e), 0);
	assert_int_equal(p.nrows, 4);
	r = protocols_find(&p, "TCP");
	assert_non_null(r);
	assert_true(r->has_memory);
	assert_int_equal(r->memory_pages, 1225378);
	assert_int_equal(r->press, PRESS_YES);
	assert_int_equal(r->sockets.v, 93064);
	r = protocols_find(&p, "TCPv6");
	assert_int_equal(r->press, PRESS_NO);
	r = protocols_find(&p, "PACKET");
	assert_false(r->has_memory);
	assert_int_equal(r->press, PRESS_NI);
	assert_null(protocols_find(&p, "SCTP"));
}

static void protocols_columns_by_name(void **state)
{
	/* a kernel that moved the columns around */
	struct protocols p;
	struct parse_err e = { 0 };

	assert_int_equal(protocols_parse(S("press memory protocol sockets\nyes 7 TCP 3\n"), &p, &e), 0);
	assert_int_equal(protocols_find(&p, "TCP")->memory_pages, 7);
	assert_int_equal(protocols_find(&p, "TCP")->press, PRESS_YES);
}

/* Every module loaded: more rows than fit in place, a long protocol name, a
 * header of 80 columns (sockmem used to stop at 64 rows, 23 characters and 64
 * columns). */
static void protocols_no_limits(void **state)
{
	struct protocols p;
	struct parse_err e = { 0, "" };
	const struct protocols_row *r;
	char *big = malloc(200 * 400), *q = big;
	int i;

	assert_non_null(big);
	q += sprintf(q, "protocol size sockets");
	for (i = 0; i < 76; i++)
		q += sprintf(q, " c%d", i);
	q += sprintf(q, " memory press\n");
	for (i = 0; i < 150; i++) {
		int k;

		q += sprintf(q, i == 149 ? "A_PROTOCOL_NAME_OF_31_CHARS_%d 1 %d" : "P%d 1 %d", i, i);
		for (k = 0; k < 76; k++)
			q += sprintf(q, " y");
		q += sprintf(q, " %d %s\n", i * 10, i % 2 ? "yes" : "NI");
	}
	assert_int_equal(protocols_parse(big, (size_t)(q - big), &p, &e), 0);
	assert_int_equal(p.nrows, 150);
	assert_true(p.nrows > PROTOCOLS_IN_PLACE);
	r = protocols_find(&p, "P0");
	assert_non_null(r);
	assert_int_equal(r->press, PRESS_NI);
	r = protocols_find(&p, "P100");
	assert_non_null(r);
	assert_int_equal(r->sockets.v, 100);
	assert_int_equal(r->memory_pages, 1000);
	r = protocols_find(&p, "A_PROTOCOL_NAME_OF_31_CHARS_149");
	assert_non_null(r);
	assert_int_equal(r->press, PRESS_YES);
	assert_null(protocols_find(&p, "P1000"));
	assert_null(protocols_find(&p, "P"));
	protocols_free(&p);
	assert_int_equal(p.nrows, 0);

	/* a duplicate among the rows on the heap */
	q += sprintf(q, "P120 1 1");
	for (i = 0; i < 76; i++)
		q += sprintf(q, " y");
	q += sprintf(q, " 1 no\n");
	assert_int_equal(protocols_parse(big, (size_t)(q - big), &p, &e), -EINVAL);
	assert_int_equal(e.line, 152);
	assert_non_null(strstr(e.msg, "duplicate protocol 'P120'"));
	assert_int_equal(p.nrows, 0);
	free(big);
}

static void protocols_bad(void **state)
{
	static const struct { const char *in; int line; const char *msg; } cases[] = {
		{ "", 0, "empty file" },
		{ "protocol size sockets memory\nTCP 1 2 3\n", 1, "no 'press' column" },
		{ "protocol size sockets memory press\nTCP 1 2 3\n", 2, "row has 4 columns" },
		{ "protocol size sockets memory press\nTCP 1 2 3 maybe\n", 2, "press 'maybe'" },
		{ "protocol size sockets memory press\nTCP 1 2 -2 no\n", 2, "not a page count" },
		{ "protocol size sockets memory press\nTCP 1 x 2 no\n", 2, "sockets 'x'" },
		{ "protocol size sockets memory press\nTCP 1 2 3 no\nTCP 1 2 3 no\n", 3, "duplicate" },
		{ "protocol size sockets memory press\nTCP 1 2 3 no", 2, "truncated" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct protocols p;
		struct parse_err e = { 0, "" };
		int rc = protocols_parse(cases[i].in, strlen(cases[i].in), &p, &e);

		if (!rc || e.line != cases[i].line || !strstr(e.msg, cases[i].msg))
			fail_msg("case %zu: rc %d line %d msg '%s'", i, rc, e.line, e.msg);
	}
}

/* ------------------------------------------------------------- netstat */

static void netstat_ok(void **state)
{
	struct netstat *n = malloc(sizeof(*n));
	struct parse_err e = { 0 };

	assert_int_equal(netstat_parse(S("TcpExt: PruneCalled TCPMemoryPressures TCPMemoryPressuresChrono\n"
					 "TcpExt: 3 4 5000\n"
					 "IpExt: InOctets\nIpExt: 99\n"), n, &e), 0);
	assert_int_equal(netstat_get(n, "TcpExt", "TCPMemoryPressures").v, 4);
	assert_int_equal(netstat_get(n, "TcpExt", "TCPMemoryPressuresChrono").v, 5000);
	assert_int_equal(netstat_get(n, "IpExt", "InOctets").v, 99);
	assert_false(netstat_get(n, "TcpExt", "TCPRcvQDrop").ok); /* old kernel: absent */
	assert_false(netstat_get(n, "IpExt", "PruneCalled").ok);  /* group matters */
	free(n);
}

static void netstat_snmp_negative(void **state)
{
	struct netstat *n = malloc(sizeof(*n));
	struct parse_err e = { 0 };

	assert_int_equal(netstat_parse(S("Tcp: RtoAlgorithm MaxConn\nTcp: 1 -1\n"
					 "Udp: InDatagrams RcvbufErrors\nUdp: 10 2\n"), n, &e), 0);
	assert_false(netstat_get(n, "Tcp", "MaxConn").ok); /* negative: not a counter */
	assert_int_equal(netstat_get(n, "Udp", "RcvbufErrors").v, 2);
	free(n);
}

/* A newer kernel's counter of 200 characters, a group of 40, 3000 counters in
 * a group: all read (sockmem used to reject names of 48 characters or more,
 * groups of 16, and more than 1024 counters). */
static void netstat_no_limits(void **state)
{
	struct netstat n;
	struct parse_err e = { 0, "" };
	char name[201], *big, *h, *v;
	size_t len;
	int i;

	memset(name, 'X', 200);
	name[200] = '\0';
	len = (size_t)snprintf(NULL, 0, "TcpExt: %s TCPMemoryPressures\nTcpExt: 5 4\n"
			       "AVeryLongGroupNameOfForty_Characters_x1: A\n"
			       "AVeryLongGroupNameOfForty_Characters_x1: 3\n", name);
	big = malloc(len + 1 + 2 * 3000 * 16);
	assert_non_null(big);
	snprintf(big, len + 1, "TcpExt: %s TCPMemoryPressures\nTcpExt: 5 4\n"
		 "AVeryLongGroupNameOfForty_Characters_x1: A\n"
		 "AVeryLongGroupNameOfForty_Characters_x1: 3\n", name);
	assert_int_equal(netstat_parse(big, len, &n, &e), 0);
	assert_int_equal(n.n, 3);
	assert_int_equal(netstat_get(&n, "TcpExt", name).v, 5);
	assert_int_equal(netstat_get(&n, "TcpExt", "TCPMemoryPressures").v, 4);
	assert_int_equal(netstat_get(&n, "AVeryLongGroupNameOfForty_Characters_x1", "A").v, 3);
	assert_false(netstat_get(&n, "TcpExt", "XXXX").ok);

	/* 3000 counters in one group, the wanted one last */
	h = big;
	h += sprintf(h, "TcpExt:");
	for (i = 0; i < 3000; i++)
		h += sprintf(h, " C%d", i);
	h += sprintf(h, "\n");
	v = h;
	v += sprintf(v, "TcpExt:");
	for (i = 0; i < 3000; i++)
		v += sprintf(v, " %d", i);
	v += sprintf(v, "\n");
	assert_int_equal(netstat_parse(big, (size_t)(v - big), &n, &e), 0);
	assert_int_equal(n.n, 3000);
	assert_int_equal(netstat_get(&n, "TcpExt", "C2999").v, 2999);
	free(big);
}

static void netstat_bad(void **state)
{
	static const struct { const char *in; int line; const char *msg; } cases[] = {
		{ "", 0, "empty file" },
		{ "TcpExt: A B\n", 1, "header line has no value line" },
		{ "TcpExt: A B\nTcpExt: 1\n", 2, "fewer values than names" },
		{ "TcpExt: A\nTcpExt: 1 2\n", 2, "more values than names" },
		{ "TcpExt: A\nIpExt: 1\n", 2, "does not follow header" },
		{ "TcpExt: A\nTcpExt: z\n", 2, "'z' is not a number" },
		{ "TcpExt: A\nTcpExt: 18446744073709551616\n", 2, "out of range" },
		{ "TcpExt: A A\nTcpExt: 1 2\n", 1, "duplicate counter 'A'" },
		{ "TcpExt: A\nTcpExt: 1\nTcpExt: B\nTcpExt: 2\n", 3, "duplicate group" },
		{ "no colon\n", 1, "expected 'Group:" },
		{ "TcpExt: A\nTcpExt: 1", 2, "truncated" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct netstat *n = malloc(sizeof(*n));
		struct parse_err e = { 0, "" };
		int rc = netstat_parse(cases[i].in, strlen(cases[i].in), n, &e);

		free(n);
		if (!rc || e.line != cases[i].line || !strstr(e.msg, cases[i].msg))
			fail_msg("case %zu: rc %d line %d msg '%s'", i, rc, e.line, e.msg);
	}
}

/* ------------------------------------------------------------- sysinfo */

static void vector_cases(void **state)
{
	uint64_t v[3];
	struct parse_err e = { 0, "" };

	assert_int_equal(sysinfo_parse_vector(S("287898\t383867\t575796\n"), v, 3, &e), 0);
	assert_int_equal(v[0], 287898);
	assert_int_equal(v[2], 575796);
	assert_int_equal(sysinfo_parse_vector(S("4096\n"), v, 1, &e), 0);
	assert_int_equal(sysinfo_parse_vector(S("1 2\n"), v, 3, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "2 values, expected 3"));
	assert_int_equal(sysinfo_parse_vector(S("1 2 3 4\n"), v, 3, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_vector(S("1 -2 3\n"), v, 3, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "negative"));
	assert_int_equal(sysinfo_parse_vector(S("1 2 99999999999999999999\n"), v, 3, &e), -ERANGE);
	assert_int_equal(sysinfo_parse_vector(S("\n"), v, 1, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_vector(S("12"), v, 1, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "truncated"));
	assert_int_equal(sysinfo_parse_vector(S("1\n2\n"), v, 1, &e), -EINVAL);
}

static void meminfo_cases(void **state)
{
	uint64_t b;
	struct parse_err e = { 0, "" };

	assert_int_equal(sysinfo_parse_meminfo(S("MemTotal:       24684084 kB\nMemFree: 1 kB\n"), &b, &e), 0);
	assert_true(b == 24684084ull * 1024);
	assert_int_equal(sysinfo_parse_meminfo(S("MemFree: 1 kB\n"), &b, &e), -ENOENT);
	assert_int_equal(sysinfo_parse_meminfo(S("MemTotal: 1 MB\n"), &b, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_meminfo(S("MemTotal: 18446744073709551615 kB\n"), &b, &e), -ERANGE);
}

static void cpulist_cases(void **state)
{
	uint64_t n;
	struct parse_err e = { 0, "" };

	assert_int_equal(sysinfo_parse_cpulist(S("0-1\n"), &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(sysinfo_parse_cpulist(S("0\n"), &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sysinfo_parse_cpulist(S("0-3,8,10-11\n"), &n, &e), 0);
	assert_int_equal(n, 7);
	assert_int_equal(sysinfo_parse_cpulist(S("3-1\n"), &n, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_cpulist(S("a-b\n"), &n, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_cpulist(S("0-99999999999\n"), &n, &e), -EINVAL);
}

/* /proc/net/tls_stat as net/tls/tls_proc.c tls_statistics_seq_show()
 * prints it ("%-32s\t%lu", 6.1.192, 6.12.117, 7.2.13): the current kTLS
 * sockets; later counters (7.2's rekey ones) are skipped. */
static void tls_stat_cases(void **state)
{
	struct tls_stat t;
	struct parse_err e = { 0, "" };

	assert_int_equal(sysinfo_parse_tls_stat(S("TlsCurrTxSw                     \t3\n"
						  "TlsCurrRxSw                     \t1\n"
						  "TlsCurrTxDevice                 \t2\n"
						  "TlsCurrRxDevice                 \t0\n"
						  "TlsTxSw                         \t40\n"
						  "TlsTxRekeyOk                    \t0\n"), &t, &e), 0);
	assert_true(t.ok);
	assert_int_equal(t.curr_tx_sw, 3);
	assert_int_equal(t.curr_rx_sw, 1);
	assert_int_equal(t.curr_tx_device, 2);
	assert_int_equal(t.curr_rx_device, 0);
	assert_int_equal(sysinfo_parse_tls_stat(S("TlsCurrTxSw x\n"), &t, &e), -EINVAL);
	assert_false(t.ok);
	assert_int_equal(e.line, 1);
	assert_int_equal(sysinfo_parse_tls_stat(S("TlsCurrTxSw 1 2\n"), &t, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_tls_stat(S("Ip: 1 2\n"), &t, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_tls_stat(S("TlsCurrTxSw -1\n"), &t, &e), -EINVAL);
	assert_int_equal(sysinfo_parse_tls_stat(S(""), &t, &e), -EINVAL);
}

static void osrelease_cases(void **state)
{
	struct kversion k;
	struct parse_err e = { 0, "" };

	assert_int_equal(sysinfo_parse_osrelease(S("6.18.44-fc-v669\n"), &k, &e), 0);
	assert_int_equal(k.major, 6);
	assert_int_equal(k.minor, 18);
	assert_true(sysinfo_kver_ge(&k, 6, 9));
	assert_true(sysinfo_kver_ge(&k, 6, 18));
	assert_false(sysinfo_kver_ge(&k, 6, 19));
	assert_int_equal(sysinfo_parse_osrelease(S("5.15.0-91-generic\n"), &k, &e), 0);
	assert_false(sysinfo_kver_ge(&k, 6, 0));
	/* the kernel's longest release, whole, and one longer */
	assert_int_equal(sysinfo_parse_osrelease(S("6.18.0-1234567890123456789012345678901234567890"
						   "12345678901234567\n"), &k, &e), 0);
	assert_int_equal(strlen(k.release), 64);
	assert_int_equal(sysinfo_parse_osrelease(S("6.18.0-1234567890123456789012345678901234567890"
						   "123456789012345678\n"), &k, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "65 characters"));
	assert_int_equal(sysinfo_parse_osrelease(S("6.1.0-\x1b[31m\n"), &k, &e), 0);
	assert_string_equal(k.release, "6.1.0-\\x1b[31m");
	assert_int_equal(sysinfo_parse_osrelease(S("banana\n"), &k, &e), -EINVAL);
	assert_false(k.ok);
	assert_false(sysinfo_kver_ge(&k, 1, 0));
}

/* ----------------------------------------------------------- snapshot */

static void snapshot_meta_cases(void **state)
{
	/* as tests/trees/ hold them (sockmem 0.1.0) */
	static const char old[] = "# sockmem snapshot metadata: key=value, one per line\n"
				  "page_size_bytes=65536\nkernel_release=6.1.0-18-arm64\n"
				  "possible_cpus=64\ntime=2026-11-22T00:21:24Z\nsockmem_version=0.1.0\n";
	struct snapshot_meta m, m2;
	struct parse_err e = { 0, "" };
	char text[SNAPSHOT_META_MAX], big[200];
	int n;

	assert_int_equal(snapshot_meta_parse(S(old), &m, &e), 0);
	assert_int_equal(m.page_size_bytes.v, 65536);
	assert_int_equal(m.possible_cpus.v, 64);
	assert_string_equal(m.kernel_release, "6.1.0-18-arm64");
	assert_string_equal(m.time, "2026-11-22T00:21:24Z");
	assert_string_equal(m.sockmem_version, "0.1.0");
	/* written back: the same text */
	n = snapshot_meta_format(text, sizeof(text), &m);
	assert_int_equal(n, (int)strlen(old));
	assert_string_equal(text, old);
	assert_int_equal(snapshot_meta_format(text, 40, &m), -ENOSPC);

	/* 0.1.0 wrote "possible_cpus=#0" when it did not know: not known */
	assert_int_equal(snapshot_meta_parse(S("page_size_bytes=4096\npossible_cpus=#0\n"), &m, &e), 0);
	assert_false(m.possible_cpus.ok);
	assert_true(m.page_size_bytes.ok);
	/* what is not known is left out, and read back as not known */
	memset(&m, 0, sizeof(m));
	m.page_size_bytes = opt_some(4096);
	n = snapshot_meta_format(text, sizeof(text), &m);
	assert_non_null(strstr(text, "page_size_bytes=4096\n"));
	assert_null(strstr(text, "possible_cpus"));
	assert_null(strstr(text, "kernel_release"));
	assert_int_equal(snapshot_meta_parse(text, (size_t)n, &m2, &e), 0);
	assert_false(m2.possible_cpus.ok);
	assert_string_equal(m2.kernel_release, "");

	assert_int_equal(snapshot_meta_parse(S("# c\npage_size_bytes=65536\nfuture_key=1\n"), &m, &e), 0);
	assert_int_equal(snapshot_meta_parse(S("page_size_bytes=big\n"), &m, &e), -EINVAL);
	assert_false(m.page_size_bytes.ok);
	assert_int_equal(snapshot_meta_parse(S("nonsense\n"), &m, &e), -EINVAL);
	assert_string_equal(e.msg, "expected key=value");
	assert_int_equal(snapshot_meta_parse(S("time=1\ntime=2\n"), &m, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "duplicate key 'time'"));
	assert_int_equal(snapshot_meta_parse(S("page_size_bytes=4096"), &m, &e), -EINVAL);
	memset(big, 'x', sizeof(big));
	memcpy(big, "kernel_release=", 15);
	big[15 + 65] = '\n';
	assert_int_equal(snapshot_meta_parse(big, 15 + 66, &m, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "65 characters"));
	big[15 + 64] = '\n';
	assert_int_equal(snapshot_meta_parse(big, 15 + 65, &m, &e), 0);
	assert_int_equal(strlen(m.kernel_release), 64);
}

static void snapshot_paths(void **state)
{
	char b[64];

	assert_int_equal(snapshot_dump_path(b, sizeof(b), NULL, DP_TCP), 0);
	assert_string_equal(b, "sock_diag/tcp.dump");
	assert_int_equal(snapshot_dump_path(b, sizeof(b), "", DP_UDP), 0);
	assert_string_equal(b, "sock_diag/udp.dump");
	assert_int_equal(snapshot_dump_path(b, sizeof(b), "/srv/snap", DP_TCP), 0);
	assert_string_equal(b, "/srv/snap/sock_diag/tcp.dump");
	assert_int_equal(snapshot_dump_path(b, 10, "/srv/snap", DP_TCP), -ENAMETOOLONG);
	assert_string_equal(b, "");
}

static int count_file(const char *rel, void *arg)
{
	int *n = arg;

	(*n)++;
	return strcmp(rel, "sock_diag/udp.dump") ? 0 : 42;
}

/* Writing and clearing a snapshot directory never follows a symbolic link. */
static void snapshot_dir_cases(void **state)
{
	char dir[] = "/tmp/sockmem-unit.XXXXXX", p[256], q[256], bad[64];
	struct stat st;
	int n = 0, fd, kept = 0;
	size_t i;

	/* every input but a capture's command outputs, and the dumps */
	for (i = 0; i < host_ninputs; i++)
		kept += host_inputs[i].origin != HOST_CAPTURE;
	assert_int_equal(snapshot_foreach_file(count_file, &n), 42);
	assert_int_equal(n, kept + DP_COUNT);

	assert_non_null(mkdtemp(dir));
	assert_false(snapshot_is_snapshot(dir));
	assert_int_equal(snapshot_write_file(dir, "proc/net/sockstat", "TCP: inuse 1\n", 13), 0);
	assert_int_equal(snapshot_write_file(dir, "proc/net/sockstat", "x\n", 2), -EEXIST);
	assert_int_equal(snapshot_write_file(dir, SNAPSHOT_META_FILE, "time=1\n", 7), 0);
	assert_true(snapshot_is_snapshot(dir));
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	/* a link in the place of a file goes itself, its target stays */
	snprintf(p, sizeof(p), "%s/target", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(snapshot_write_file(dir, "proc/meminfo", "", 0), 0);
	snprintf(q, sizeof(q), "%s/proc/net/snmp", dir);
	assert_int_equal(symlink(p, q), 0);
	assert_int_equal(snapshot_clear(dir, bad, sizeof(bad)), 0);
	snprintf(q, sizeof(q), "%s/proc/net/sockstat", dir);
	assert_int_equal(lstat(q, &st), -1);
	snprintf(q, sizeof(q), "%s/proc/net/snmp", dir);
	assert_int_equal(lstat(q, &st), -1);
	assert_int_equal(stat(p, &st), 0);			/* target */
	snprintf(q, sizeof(q), "%s/notes.txt", dir);
	assert_int_equal(stat(q, &st), 0);			/* not a snapshot's */
	assert_false(snapshot_is_snapshot(dir));

	/* a link in the place of a directory: refused, nothing removed */
	assert_int_equal(snapshot_write_file(dir, SNAPSHOT_META_FILE, "time=1\n", 7), 0);
	snprintf(p, sizeof(p), "%s/elsewhere", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(q, sizeof(q), "%s/elsewhere/sockstat", dir);
	fd = open(q, O_WRONLY | O_CREAT, 0644);
	close(fd);
	snprintf(q, sizeof(q), "%s/sys", dir);
	assert_int_equal(symlink(p, q), 0);
	assert_int_equal(snapshot_clear(dir, bad, sizeof(bad)), -ENOTDIR);
	assert_string_equal(bad, "sys/devices/system/cpu/possible");
	assert_true(snapshot_is_snapshot(dir));
	assert_int_equal(snapshot_write_file(dir, "sys/x", "", 0), -ENOTDIR);
	snprintf(q, sizeof(q), "%s/elsewhere/x", dir);
	assert_int_equal(stat(q, &st), -1);

	assert_int_equal(system(strcat(strcpy(p, "rm -rf "), dir)), 0);
}

/* ---------------------------------------------------------------- util */

static void util_cases(void **state)
{
	char b[64];
	uint64_t v;
	bool neg, ovf = false;

	util_human_bytes(b, sizeof(b), 512);
	assert_string_equal(b, "512 B");
	util_human_bytes(b, sizeof(b), 73728);
	assert_string_equal(b, "72.0 KiB");
	util_human_bytes(b, sizeof(b), 1179230208);
	assert_string_equal(b, "1.10 GiB");
	util_group_digits(b, sizeof(b), 1151598);
	assert_string_equal(b, "1,151,598");
	util_group_digits(b, sizeof(b), 12);
	assert_string_equal(b, "12");
	util_safe_token(b, sizeof(b), "a\x1b[31mb\n", 8);
	assert_string_equal(b, "a\\x1b[31mb\\x0a");
	assert_int_equal(util_parse_i65("-1", 2, &v, &neg), 0);
	assert_true(neg);
	assert_int_equal(v, 1);
	assert_true(util_mul_sat(UINT64_MAX / 2, 4, &ovf) == UINT64_MAX);
	assert_true(ovf);
}

/* The prologue of every parser: text as procfs writes it, not empty. */
static void text_begin_cases(void **state)
{
	struct parse_err e = { 0, "" };

	assert_int_equal(util_text_begin(S("TCP: inuse 1\n"), &e), 0);
	assert_int_equal(util_text_begin(S("\nx\n"), &e), 0);
	assert_int_equal(util_text_begin(S(""), &e), -EINVAL);
	assert_int_equal(e.line, 0);
	assert_string_equal(e.msg, "empty file");
	assert_int_equal(util_text_begin(S("\n\n\n"), &e), -EINVAL);
	assert_string_equal(e.msg, "empty file");
	assert_int_equal(util_text_begin(S("a\nb"), &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "truncated"));
	assert_int_equal(util_text_begin("a\n\0\n", 4, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "NUL byte"));
	/* the single-line files say which line is wrong */
	{
		uint64_t v;

		assert_int_equal(sysinfo_parse_vector(S("\n5\n"), &v, 1, &e), -EINVAL);
		assert_string_equal(e.msg, "line 1 is empty");
		assert_int_equal(sysinfo_parse_cpulist(S("\n0-1\n"), &v, &e), -EINVAL);
		assert_int_equal(sysinfo_parse_meminfo(S(""), &v, &e), -EINVAL);
		assert_string_equal(e.msg, "empty file");
	}
}

/* Duplicates among any number of keys, found in one pass. */
static void strset_cases(void **state)
{
	struct util_strset set = { 0 };
	char key[16];
	static char keys[5000 * 8];
	int i;

	assert_int_equal(util_strset_add(&set, "mem", 3), 0);
	assert_int_equal(util_strset_add(&set, "memory", 6), 0);
	assert_int_equal(util_strset_add(&set, "memory", 3), 1);	/* "mem" */
	assert_int_equal(util_strset_add(&set, "", 0), 0);
	assert_int_equal(util_strset_add(&set, "", 0), 1);
	util_strset_clear(&set);
	assert_int_equal(set.n, 0);
	assert_int_equal(util_strset_add(&set, "mem", 3), 0);
	util_strset_clear(&set);
	for (i = 0; i < 5000; i++) {
		snprintf(keys + i * 8, 8, "k%d", i);
		assert_int_equal(util_strset_add(&set, keys + i * 8, strlen(keys + i * 8)), 0);
	}
	assert_int_equal(set.n, 5000);
	snprintf(key, sizeof(key), "k%d", 4321);
	assert_int_equal(util_strset_add(&set, key, strlen(key)), 1);
	util_strset_free(&set);
	assert_null(set.slot);
}

/* ------------------------------------------------------------- host */

/* Problems name the file in full however long the root, and escape it for a
 * terminal; collecting again on the same struct releases the first. */
static void host_problems_untruncated(void **state)
{
	struct host *h = malloc(sizeof(*h));
	const struct host_problem *p;
	char root[3001];
	int n = 0;

	assert_non_null(h);
	memset(root, 'k', sizeof(root) - 1);
	for (n = 0; n < (int)sizeof(root) - 1; n += 100)
		root[n] = '/';		/* components the kernel accepts (NAME_MAX) */
	n = 0;
	root[150] = '\x1b';
	root[sizeof(root) - 1] = '\0';
	assert_int_equal(host_collect(h, root, 0), -ENOENT);
	assert_true(h->partial);
	assert_true(host_problem_count(h) > 5);
	host_foreach_problem(p, h) {
		if (!n++) {
			assert_int_equal(strlen(p->path), strlen(root) + strlen("/proc/net/sockstat"));
			assert_memory_equal(p->path, root, strlen(root));
			assert_string_equal(p->path + strlen(root), "/proc/net/sockstat");
			assert_non_null(strstr(p->path_safe, "k\\x1bk"));
			assert_string_equal(p->path_safe + strlen(p->path_safe) - 18, "/proc/net/sockstat");
			assert_string_equal(p->msg, "missing");
		}
	}
	assert_int_equal(n, host_problem_count(h));
	assert_int_equal(host_collect(h, root, 0), -ENOENT);	/* again: the first is released */
	assert_int_equal(host_problem_count(h), n);
	host_free(h);
	assert_int_equal(host_problem_count(h), 0);
	host_foreach_problem(p, h)
		fail();
	free(h);
}

/* A walk's problem after host_collect(): recorded with its path in full and
 * strerror by default, once per path and error, and the host is partial;
 * the next collection starts without it. */
static void host_problem_add_once(void **state)
{
	const char *src = getenv("SRCDIR");
	struct host *h = malloc(sizeof(*h));
	const struct host_problem *p;
	char root[PATH_MAX];
	int n0;

	assert_non_null(h);
	if (!src) {
		free(h);
		skip();		/* run outside the harness: no tree to collect */
	}
	snprintf(root, sizeof(root), "%s/tests/trees/linux-6.18-idle", src);
	assert_int_equal(host_collect(h, root, 0), 0);
	assert_false(h->partial);
	n0 = host_problem_count(h);
	host_problem_add(h, "/proc", -EIO, NULL);
	host_problem_add(h, "/proc", -EIO, NULL);		/* the same: once */
	host_problem_add(h, "/proc", -EMFILE, NULL);		/* another error: kept */
	host_problem_add(h, "/proc/*/fd", -EACCES, "Permission denied: 3 of 9 processes");
	assert_true(h->partial);
	assert_int_equal(host_problem_count(h), n0 + 3);
	p = h->problem + n0;
	assert_string_equal(p[0].path, "/proc");
	assert_int_equal(p[0].rc, -EIO);
	assert_int_equal(p[0].line, 0);
	assert_string_equal(p[0].msg, strerror(EIO));
	assert_string_equal(p[1].msg, strerror(EMFILE));
	assert_string_equal(p[2].path_safe, "/proc/*/fd");
	assert_string_equal(p[2].msg, "Permission denied: 3 of 9 processes");
	assert_int_equal(host_collect(h, root, 0), 0);
	assert_int_equal(host_problem_count(h), n0);
	assert_false(h->partial);
	host_free(h);
	free(h);
}

/* The input table: every sysctl has its file, named like the sysctl
 * (net.ipv4.tcp_mem is proc/sys/net/ipv4/tcp_mem), every path once. */
static void host_inputs_table(void **state)
{
	size_t i, j;

	for (i = 0; i < SC_COUNT; i++) {
		const struct host_input *in = host_sysctl_input((enum sysctl_id)i);
		char want[128];
		size_t k;

		assert_non_null(in);
		snprintf(want, sizeof(want), "proc/sys/%s", host_sysctl[i].name);
		for (k = 0; want[k]; k++)
			if (want[k] == '.')
				want[k] = '/';
		assert_string_equal(in->path, want);
		assert_false(in->expected);
		assert_int_equal(in->origin, HOST_KERNEL);
	}
	for (i = 0; i < host_ninputs; i++) {
		assert_non_null(host_inputs[i].parse);
		assert_true(host_inputs[i].path[0] != '/');
		for (j = 0; j < i; j++)
			assert_string_not_equal(host_inputs[i].path, host_inputs[j].path);
	}
}

/* ------------------------------------------------------------ dynlib */

/* All the symbols bound, or none: a library that lacks one is closed and
 * every slot is NULL again; one that cannot be loaded says why. */
static void dynlib_all_or_none(void **state)
{
	size_t (*p_strlen)(const char *) = NULL;
	int (*p_abs)(int) = NULL;
	void (*p_none)(void) = NULL;
	const struct dynlib_sym ok[] = {
		{ "strlen", DYNLIB_SLOT(&p_strlen) },
		{ "abs", DYNLIB_SLOT(&p_abs) },
	};
	const struct dynlib_sym lacking[] = {
		{ "strlen", DYNLIB_SLOT(&p_strlen) },
		{ "sockmem_no_such_symbol", DYNLIB_SLOT(&p_none) },
		{ "abs", DYNLIB_SLOT(&p_abs) },
	};
	const char *miss = "x";
	char why[200];

	(void)state;
	assert_int_equal(dynlib_open("libc.so.6", ok, 2, &miss, why, sizeof(why)), 0);
	assert_null(miss);
	assert_non_null(p_strlen);
	assert_int_equal(p_strlen("sockmem"), 7);
	assert_int_equal(p_abs(-3), 3);

	assert_int_equal(dynlib_open("libc.so.6", lacking, 3, &miss, why, sizeof(why)), -ENOSYS);
	assert_string_equal(miss, "sockmem_no_such_symbol");
	assert_null(p_strlen);
	assert_null(p_none);
	assert_null(p_abs);

	assert_int_equal(dynlib_open("libsockmem-absent.so.9", ok, 2, &miss, why, sizeof(why)),
			 -ENOENT);
	assert_null(miss);
	assert_non_null(strstr(why, "libsockmem-absent.so.9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sockstat_ipv4),
		cmocka_unit_test(sockstat_ipv6),
		cmocka_unit_test(sockstat_unknown_keys_kept),
		cmocka_unit_test(sockstat_no_limits),
		cmocka_unit_test(sockstat_bad),
		cmocka_unit_test(sockstat_max_u64),
		cmocka_unit_test(sockstat_nul),
		cmocka_unit_test(sockstat_every_truncation),
		cmocka_unit_test(protocols_ok),
		cmocka_unit_test(protocols_columns_by_name),
		cmocka_unit_test(protocols_no_limits),
		cmocka_unit_test(protocols_bad),
		cmocka_unit_test(netstat_ok),
		cmocka_unit_test(netstat_snmp_negative),
		cmocka_unit_test(netstat_no_limits),
		cmocka_unit_test(netstat_bad),
		cmocka_unit_test(vector_cases),
		cmocka_unit_test(meminfo_cases),
		cmocka_unit_test(cpulist_cases),
		cmocka_unit_test(tls_stat_cases),
		cmocka_unit_test(osrelease_cases),
		cmocka_unit_test(snapshot_meta_cases),
		cmocka_unit_test(snapshot_paths),
		cmocka_unit_test(snapshot_dir_cases),
		cmocka_unit_test(util_cases),
		cmocka_unit_test(text_begin_cases),
		cmocka_unit_test(strset_cases),
		cmocka_unit_test(host_problems_untruncated),
		cmocka_unit_test(host_problem_add_once),
		cmocka_unit_test(host_inputs_table),
		cmocka_unit_test(dynlib_all_or_none),
	};

	return cmocka_run_group_tests_name("parsers", tests, NULL, NULL);
}
