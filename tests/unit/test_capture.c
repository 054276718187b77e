/* test_capture.c - cmocka unit tests of the capture readers: sysctl -a,
 * nstat and netstat -s, uname/lscpu/cpuinfo/free/date, ss -m text, the
 * page-size rules and the alternative sources of host_inputs[]. */
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
#include <sys/socket.h>

#include <cmocka.h>

#include "capture.h"
#include "cmdout.h"
#include "host.h"
#include "netstat.h"
#include "nstat_text.h"
#include "ss_text.h"
#include "sysctl_text.h"

#define S(str) (str), strlen(str)

/* ------------------------------------------------------------ sysctl -a */

static const char sysctl_a[] =
	"kernel.osrelease = 6.18.44-fc-v669\n"
	"sysctl: permission denied on key 'fs.protected_regular'\n"
	"net.ipv4.tcp_mem = 287898\t383867\t575796\n"
	"net.ipv4.tcp_fastopen_key = \n"
	"net.core.rmem_max = 4194304\n";

static void sysctl_text_cases(void **state)
{
	struct sysctl_text t;
	struct parse_err e;
	const char *v;
	size_t vl;
	char out[64];
	int line;

	assert_int_equal(sysctl_text_parse(S(sysctl_a), &t, &e), 0);
	assert_int_equal(t.nvalues, 4);
	assert_int_equal(t.nskipped, 1);
	assert_int_equal(sysctl_text_get(&t, "net.ipv4.tcp_mem", &v, &vl, &line, &e), 0);
	assert_int_equal(line, 3);
	assert_int_equal(sysctl_text_as_file(v, vl, out, sizeof(out)), 21);
	assert_string_equal(out, "287898 383867 575796\n");
	assert_int_equal(sysctl_text_get(&t, "net.ipv4.udp_mem", &v, &vl, &line, &e), -ENOENT);
	assert_int_equal(sysctl_text_get(&t, "net.ipv4.tcp_fastopen_key", &v, &vl, &line, &e), 0);
	assert_int_equal(vl, 0);
	/* a cut line, NUL, no value line, a key twice with two values */
	assert_int_equal(sysctl_text_parse(S("net.ipv4.tcp_mem = 1\t2"), &t, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "truncated"));
	assert_int_equal(sysctl_text_parse("a = 1\n\0", 7, &t, &e), -EINVAL);
	assert_int_equal(sysctl_text_parse(S("hello world\n"), &t, &e), -EINVAL);
	assert_int_equal(sysctl_text_parse(S("a.b = 1\na.b = 2\n"), &t, &e), 0);
	assert_int_equal(sysctl_text_get(&t, "a.b", &v, &vl, &line, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_int_equal(sysctl_text_parse(S("a.b = 1\na.b = 1\n"), &t, &e), 0);
	assert_int_equal(sysctl_text_get(&t, "a.b", &v, &vl, &line, &e), 0);
}

/* ------------------------------------------------------------ nstat, netstat -s */

static void nstat_cases(void **state)
{
	static const char nstat[] =
		"#kernel\n"
		"TcpExtPruneCalled               5476               0.0\n"
		"TcpExtTCPMemoryPressures        17                 0.0\n"
		"UdpRcvbufErrors                 0                  0.0\n"
		"UdpLiteInDatagrams              0                  0.0\n"
		"Ip6InReceives                   3                  0.0\n"
		"FooBar                          1                  0.0\n";
	struct nstat_text t;
	struct netstat ns;
	struct parse_err e;
	struct opt o;

	assert_int_equal(nstat_text_parse(S(nstat), &t, &e), 0);
	assert_int_equal(t.ncounters, 5);
	assert_int_equal(t.nskipped, 1);
	assert_false(t.zeros_omitted);
	assert_int_equal(netstat_parse(t.text, t.len, &ns, &e), 0);
	o = netstat_get(&ns, "TcpExt", "TCPMemoryPressures");
	assert_true(o.ok);
	assert_int_equal(o.v, 17);
	o = netstat_get(&ns, "Udp", "RcvbufErrors");
	assert_true(o.ok && o.v == 0);
	assert_true(netstat_get(&ns, "UdpLite", "InDatagrams").ok);
	assert_false(netstat_get(&ns, "Udp", "LiteInDatagrams").ok);
	free(t.text);
	assert_int_equal(nstat_text_parse(S("TcpExtPruneCalled x 0.0\n"), &t, &e), -EINVAL);
	assert_int_equal(e.line, 1);
	assert_int_equal(nstat_text_parse(S("TcpExtPruneCalled 99999999999999999999\n"), &t, &e),
			 -ERANGE);
	assert_int_equal(nstat_text_parse(S("#kernel\n"), &t, &e), -EINVAL);
	/* without -z: no zero, so a missing counter may be 0 */
	assert_int_equal(nstat_text_parse(S("TcpExtPruneCalled 3\n"), &t, &e), 0);
	assert_true(t.zeros_omitted);
	free(t.text);
}

static void netstat_s_cases(void **state)
{
	static const char ns_s[] =
		"Ip:\n"
		"    Forwarding: 1\n"
		"    3345722 total packets received\n"
		"Icmp:\n"
		"    ICMP input histogram:\n"
		"        destination unreachable: 1454\n"
		"Tcp:\n"
		"    90002 active connection openings\n"
		"    20 connections established\n"
		"Udp:\n"
		"    319252 packets received\n"
		"    7 receive buffer errors\n"
		"    IgnoredMulti: 278\n"
		"UdpLite:\n"
		"TcpExt:\n"
		"    12 packets pruned from receive queue because of socket buffer overrun\n"
		"    TCP ran low on memory 3 times\n"
		"    TCPRcvQDrop: 9\n"
		"    4 connections aborted due to memory pressure\n";
	struct nstat_text t;
	struct netstat n;
	struct parse_err e;

	assert_int_equal(nstat_text_parse_netstat_s(S(ns_s), &t, &e), 0);
	assert_true(t.zeros_omitted);
	assert_int_equal(netstat_parse(t.text, t.len, &n, &e), 0);
	assert_int_equal(netstat_get(&n, "TcpExt", "PruneCalled").v, 12);
	assert_int_equal(netstat_get(&n, "TcpExt", "TCPMemoryPressures").v, 3);
	assert_int_equal(netstat_get(&n, "TcpExt", "TCPRcvQDrop").v, 9);
	assert_int_equal(netstat_get(&n, "TcpExt", "TCPAbortOnMemory").v, 4);
	assert_false(netstat_get(&n, "TcpExt", "RcvPruned").ok);	/* 0 or absent */
	assert_int_equal(netstat_get(&n, "Udp", "RcvbufErrors").v, 7);
	assert_int_equal(netstat_get(&n, "Udp", "IgnoredMulti").v, 278);
	assert_int_equal(netstat_get(&n, "Tcp", "CurrEstab").v, 20);
	assert_int_equal(netstat_get(&n, "Ip", "Forwarding").v, 1);
	free(t.text);
	assert_int_equal(nstat_text_parse_netstat_s(S("    12 packets\n"), &t, &e), -EINVAL);
	assert_int_equal(nstat_text_parse_netstat_s(S("TcpExt:\n    TCPRcvQDrop: 99999999999999999999\n"),
						    &t, &e), -ERANGE);
	assert_int_equal(e.line, 2);
	assert_int_equal(nstat_text_parse_netstat_s(S("not netstat output\n"), &t, &e), -EINVAL);
}

/* ------------------------------------------------------------ command outputs */

static void cmdout_cases(void **state)
{
	struct cmdout_uname u;
	struct parse_err e;
	uint64_t v;
	char d[64];

	assert_int_equal(cmdout_uname(S("Linux vm 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC @0 x86_64 "
					"GNU/Linux\n"), &u, &e), 0);
	assert_string_equal(u.release, "6.18.44-fc-v669");
	assert_string_equal(u.machine, "x86_64");
	assert_string_equal(u.node, "vm");
	/* RHEL: machine, processor and platform */
	assert_int_equal(cmdout_uname(S("Linux h 5.14.0-284.el9.aarch64+64k #1 SMP PREEMPT_DYNAMIC "
					"Fri Jan 1 00:00:00 EST 2023 aarch64 aarch64 aarch64 GNU/Linux\n"),
				      &u, &e), 0);
	assert_string_equal(u.machine, "aarch64");
	assert_string_equal(u.release, "5.14.0-284.el9.aarch64+64k");
	assert_int_equal(cmdout_uname(S("Darwin x 1 2 3\n"), &u, &e), -EINVAL);
	assert_int_equal(cmdout_uname(S("Linux x\n"), &u, &e), -EINVAL);

	assert_int_equal(cmdout_lscpu_cpus(S("Architecture: x86_64\nCPU(s):  8\nNUMA node0 CPU(s): 0-7\n"),
					   &v, &e), 0);
	assert_int_equal(v, 8);
	assert_int_equal(cmdout_lscpu_cpus(S("Architecture: x86_64\n"), &v, &e), -ENOENT);
	assert_int_equal(cmdout_cpuinfo_cpus(S("processor\t: 0\nvendor_id\t: x\n\nprocessor\t: 1\n"), &v,
					     &e), 0);
	assert_int_equal(v, 2);
	assert_int_equal(cmdout_free_total_kib(S("               total        used\n"
						 "Mem:        24684084     1873628\n"), &v, &e), 0);
	assert_int_equal(v, 24684084);
	assert_int_equal(cmdout_free_total_kib(S("Mem: 1\n"), &v, &e), -EINVAL);
	assert_int_equal(cmdout_date(S("Tue Dec  1 08:39:33 UTC 2026\n"), d, sizeof(d), &e), 0);
	assert_string_equal(d, "2026-12-01T08:39:33Z");
	assert_int_equal(cmdout_date(S("Mon Mar  3 10:00:00 EST 2014\n"), d, sizeof(d), &e), 0);
	assert_string_equal(d, "Mon Mar  3 10:00:00 EST 2014");
}

/* ------------------------------------------------------------ page size rules */

static uint64_t page_for(const char *machine, const char *release, enum capture_confidence *c)
{
	struct capture_page_in in = { { 0, false }, NULL, machine, "uname", release, { 0, false },
				      { 0, false } };
	struct capture_page_out out;

	capture_page_size(&in, &out);
	*c = out.conf;
	return out.bytes;
}

static void page_size_rules(void **state)
{
	struct capture_page_in in = { { 0, false }, NULL, "", "", "", { 0, false }, { 0, false } };
	struct capture_page_out out;
	enum capture_confidence c;

	assert_int_equal(page_for("x86_64", "6.1.0", &c), 4096);
	assert_int_equal(c, CONF_CERTAIN);
	assert_int_equal(page_for("aarch64", "5.14.0-284.el9.aarch64+64k", &c), 65536);
	assert_int_equal(c, CONF_LIKELY);
	assert_int_equal(page_for("aarch64", "5.15.0-1-generic-64k", &c), 65536);
	assert_int_equal(page_for("aarch64", "6.6.0-asahi-16k", &c), 16384);
	assert_int_equal(page_for("aarch64", "6.1.0-13-arm64", &c), 4096);
	assert_int_equal(c, CONF_LIKELY);
	assert_int_equal(page_for("ppc64le", "4.18.0-513.el8.ppc64le", &c), 65536);
	assert_int_equal(page_for("", "", &c), 0);
	assert_int_equal(c, CONF_NONE);
	/* getconf wins */
	in.getconf_bytes = opt_some(16384);
	in.getconf_from = "insights_commands/getconf_PAGE_SIZE";
	in.machine = "x86_64";
	capture_page_size(&in, &out);
	assert_int_equal(out.bytes, 16384);
	/* tcp_mem against MemTotal: 24 GiB, tcp_mem[1] = 383867 pages of 4 KiB */
	in.getconf_bytes.ok = false;
	in.machine = "";
	in.mem_total_bytes = opt_some(24684084ull * 1024);
	in.tcp_mem_pressure_pages = opt_some(383867);
	capture_page_size(&in, &out);
	assert_int_equal(out.bytes, 4096);
	assert_int_equal(out.conf, CONF_GUESS);
	/* the same RAM with 64 KiB pages: 16 times fewer pages */
	in.tcp_mem_pressure_pages = opt_some(383867 / 16);
	capture_page_size(&in, &out);
	assert_int_equal(out.bytes, 65536);
	/* the flavour rule contradicted by tcp_mem: a guess, said */
	in.machine = "aarch64";
	in.release = "6.1.0-arm64";
	capture_page_size(&in, &out);
	assert_int_equal(out.bytes, 4096);
	assert_int_equal(out.conf, CONF_GUESS);
	assert_non_null(strstr(out.why, "suggests 65536"));
}

/* ------------------------------------------------------------ ss text */

struct ss_seen {
	int n;
	struct diag_sock d[8];
	struct ss_text_proc p[8];
};

static int ss_collect(const struct diag_sock *d, const struct ss_text_proc *p, void *arg)
{
	struct ss_seen *s = arg;

	if (s->n < 8) {
		s->d[s->n] = *d;
		s->p[s->n] = *p;
	}
	s->n++;
	return 0;
}

static void ss_text_cases(void **state)
{
	/* ss -peaonmi as sos records it: Netid column, skmem on the next line
	 * after a TAB, other protocols in between */
	static const char peaonmi[] =
		"Netid State     Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n"
		"nl    UNCONN    0      0                  0:0                 *     sk=0 cb=0 "
		"groups=0x00000000\t skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)\n"
		"tcp   LISTEN    0      128          0.0.0.0:2024       0.0.0.0:*    "
		"users:((\"sshd\",pid=812,fd=3)) ino:1665 sk:1 cgroup:/ <->\n"
		"\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10\n"
		"tcp   ESTAB     1000   0      [::1]:5000         [::ffff:127.0.0.1]:40000 "
		"users:((\"a b\",pid=9,fd=4),(\"c\",pid=10,fd=5)) uid:1000 ino:77\n"
		"\t skmem:(r4608,rb131072,t0,tb2626560,f3584,w0,o0,bl0,d5) ts sack rtt:4.413/8.337 "
		"delivery_rate 8000bps\n"
		"udp   UNCONN    0      0      127.0.0.53%lo:53       0.0.0.0:*\n"
		"\t skmem:(r0,rb212992,t0,tb212992,f4096,w0,o0,bl0)\n";
	/* an older ss -tmi: no Netid column, no d field, continuation lines
	 * without indentation (as copied into a ticket) */
	static const char tmi[] =
		"State      Recv-Q Send-Q Local Address:Port               Peer Address:Port\n"
		"ESTAB      0      0      127.0.0.1:41317    127.0.0.1:ssh\n"
		"skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0) cubic\n";
	struct ss_seen s = { 0 };
	struct ss_text_stats st;
	struct parse_err e;

	assert_true(ss_text_detect(S(peaonmi)));
	assert_true(ss_text_detect(S(tmi)));
	assert_false(ss_text_detect("\x14\x00\x00\x00", 4));
	assert_int_equal(ss_text_parse(S(peaonmi), ss_collect, &s, &st, &e), 0);
	assert_int_equal(s.n, 3);
	assert_true(st.netid_column);
	assert_int_equal(st.other, 1);
	assert_int_equal(s.d[0].state, 10);
	assert_int_equal(s.d[0].sport, 2024);
	assert_int_equal(s.d[0].nmem, 9);
	assert_int_equal(s.d[0].mem[DM_RCVBUF], 131072);
	assert_int_equal(s.d[0].inode, 1665);
	assert_true(s.p[0].known);
	assert_int_equal(s.p[0].pid, 812);
	assert_string_equal(s.p[0].comm, "sshd");
	assert_int_equal(s.d[1].family, AF_INET6);
	assert_int_equal(s.d[1].state, 1);
	assert_int_equal(s.d[1].rqueue, 1000);
	assert_int_equal(s.d[1].mem[DM_RMEM_ALLOC], 4608);
	assert_int_equal(s.d[1].mem[DM_DROPS], 5);
	assert_int_equal(s.d[1].uid, 1000);
	assert_int_equal(s.d[1].rtt_us, 4413);
	assert_int_equal(s.d[1].delivery_rate, 1000);
	assert_string_equal(s.p[1].comm, "a b");
	assert_int_equal(s.p[1].pid, 9);
	assert_int_equal(s.d[2].proto, DP_UDP);
	assert_int_equal(s.d[2].state, 7);
	assert_int_equal(s.d[2].sport, 53);
	assert_int_equal(s.d[2].nmem, 8);	/* no d: an older ss */
	assert_int_equal(s.d[2].mem[DM_FWD_ALLOC], 4096);

	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_text_parse(S(tmi), ss_collect, &s, &st, &e), 0);
	assert_int_equal(s.n, 1);
	assert_false(st.netid_column);
	assert_int_equal(s.d[0].proto, DP_TCP);
	assert_int_equal(s.d[0].mem[DM_SNDBUF], 2626560);
	assert_int_equal(s.d[0].nmem, 8);
	assert_int_equal(st.unresolved_ports, 1);	/* "ssh" */

	/* cut mid-skmem, cut mid-line, a socket line of too few columns */
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_text_parse(S("tcp ESTAB 0 0 1.2.3.4:1 5.6.7.8:2\n\t skmem:(r0,rb13\n"),
				       ss_collect, &s, &st, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "skmem:( is not closed"));
	assert_int_equal(ss_text_parse(S("tcp ESTAB 0 0 1.2.3.4:1 5.6.7.8:2\n\t skmem:(r0,rb1"),
				       ss_collect, &s, &st, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "truncated"));
	assert_int_equal(ss_text_parse(S("ESTAB 0 0\n"), ss_collect, &s, &st, &e), -EINVAL);
	assert_int_equal(ss_text_parse(S("ESTAB x 0 1.2.3.4:1 5.6.7.8:2\n"), ss_collect, &s, &st, &e),
			 -EINVAL);
	assert_int_equal(ss_text_parse(S("tcp ESTAB 0 0 a:1 b:2 users:((\"x\",pid=1\n"), ss_collect, &s,
				       &st, &e), -EINVAL);
}

/* Every alternative source is a capture's file, and the inputs that only a
 * capture has are never copied by a snapshot. */
static void host_alternatives(void **state)
{
	size_t i;

	for (i = 0; i < host_ninputs; i++) {
		const struct host_alt *a;

		for (a = host_inputs[i].alt; a && a->path; a++) {
			assert_true(a->path[0] != '/');
			assert_true(!strncmp(a->path, "sos_commands/", 13) ||
				    !strncmp(a->path, "insights_commands/", 18) ||
				    !strncmp(a->path, "proc/", 5) || !strncmp(a->path, "etc/", 4));
			if (a->kind == ALT_SYSCTL_A)
				assert_true(a->key || host_inputs[i].sysctl >= 0);
		}
		if (host_inputs[i].origin == HOST_CAPTURE)
			assert_false(host_inputs[i].expected);
	}
	assert_non_null(host_sysctl_input(SC_TCP_MEM)->alt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysctl_text_cases),
		cmocka_unit_test(nstat_cases),
		cmocka_unit_test(netstat_s_cases),
		cmocka_unit_test(cmdout_cases),
		cmocka_unit_test(page_size_rules),
		cmocka_unit_test(ss_text_cases),
		cmocka_unit_test(host_alternatives),
	};

	return cmocka_run_group_tests_name("capture", tests, NULL, NULL);
}
