/* sockfill.c - test and benchmark helper: opens loopback TCP connections
 * and UDP sockets, queues data the other side does not read, then obeys
 * commands on stdin so a test can move the kernel's accounting step by step.
 *
 *   sockfill [-t PAIRS] [-b BYTES] [-u SOCKETS] [-d DGRAMS] [-s SIZE] [-p PORTS]
 *            [-a ADDR] [-w] [-R RCVBUF] [-S SNDBUF]
 * (-S: SO_SNDBUF on the TCP clients, which locks it: the kernel no longer
 * moderates it under memory pressure, so a refused send charge is refused,
 * not forced while the queue is below it)
 * prints "ready PID" once set up, then (-w) waits for a signal, or reads
 * commands, answering "ok ...":
 *   fill BYTES     each TCP client writes up to BYTES more (non-blocking)
 *   fillk K BYTES  TCP client K (0-based) writes up to BYTES more
 *   drain N        the first N server sockets read everything queued
 *   drainall       every server socket reads everything queued
 *   close N        close the first N connections (both ends): what the kernel
 *                  charged them is freed, forward alloc included
 *   udp DGRAMS     send DGRAMS more datagrams to each UDP socket
 *   quit           close everything and exit (also on end of input)
 * Traffic stays on the loopback address given with -a (default 127.0.0.1). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static int *cli, *srv, *udp;
static long npairs, nudp, dgram_size = 1000;
static struct in_addr addr;
static int udp_tx = -1;
static struct sockaddr_in *udp_addr;

static void die(const char *what)
{
	fprintf(stderr, "sockfill: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static long fill(long bytes)
{
	static char buf[65536];
	long total = 0, i;

	for (i = 0; i < npairs; i++) {
		long left = bytes;

		while (left > 0) {
			ssize_t n = write(cli[i], buf, left < (long)sizeof(buf) ? (size_t)left : sizeof(buf));

			if (n <= 0)
				break;
			left -= n;
			total += n;
		}
	}
	return total;
}

static long fill_one(long k, long bytes)
{
	static char buf[65536];
	long total = 0;

	if (k < 0 || k >= npairs)
		return -1;
	while (bytes > 0) {
		ssize_t n = write(cli[k], buf, bytes < (long)sizeof(buf) ? (size_t)bytes : sizeof(buf));

		if (n <= 0)
			break;
		bytes -= n;
		total += n;
	}
	return total;
}

static long drain(long n)
{
	static char buf[65536];
	long total = 0, i;

	for (i = 0; i < n && i < npairs; i++) {
		ssize_t r;

		while ((r = read(srv[i], buf, sizeof(buf))) > 0)
			total += r;
	}
	return total;
}

static long close_pairs(long n)
{
	long closed = 0, i;

	for (i = 0; i < n && i < npairs; i++) {
		if (cli[i] < 0)
			continue;
		close(cli[i]);
		close(srv[i]);
		cli[i] = srv[i] = -1;
		closed++;
	}
	return closed;
}

static long send_udp(long dgrams)
{
	static char buf[65536];
	long sent = 0, i, j;

	for (i = 0; i < nudp; i++)
		for (j = 0; j < dgrams; j++)
			if (sendto(udp_tx, buf, (size_t)dgram_size, 0, (struct sockaddr *)&udp_addr[i],
				   sizeof(udp_addr[i])) > 0)
				sent++;
	return sent;
}

int main(int argc, char **argv)
{
	long bytes = 0, dgrams = 0, ports = 1, i;
	int opt, *lst, wait_signal = 0, udp_rcvbuf = 0, tcp_sndbuf = 0;
	struct rlimit rl;
	char line[128];

	inet_pton(AF_INET, "127.0.0.1", &addr);
	while ((opt = getopt(argc, argv, "t:b:u:d:s:p:a:wR:S:")) != -1) {
		switch (opt) {
		case 'w': wait_signal = 1; break;
		case 'S': tcp_sndbuf = atoi(optarg); break;
		case 'R': udp_rcvbuf = atoi(optarg); break;
		case 't': npairs = atol(optarg); break;
		case 'b': bytes = atol(optarg); break;
		case 'u': nudp = atol(optarg); break;
		case 'd': dgrams = atol(optarg); break;
		case 's': dgram_size = atol(optarg); break;
		case 'p': ports = atol(optarg); break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &addr) != 1 || (ntohl(addr.s_addr) >> 24) != 127) {
				fprintf(stderr, "sockfill: -a must be a 127.0.0.0/8 address\n");
				return 64;
			}
			break;
		default:
			fprintf(stderr, "usage: sockfill [-t PAIRS] [-b BYTES] [-u SOCKETS] [-d DGRAMS] "
					"[-s SIZE] [-p PORTS] [-a ADDR] [-w] [-R RCVBUF] [-S SNDBUF]\n");
			return 64;
		}
	}
	if (ports < 1)
		ports = 1;
	signal(SIGPIPE, SIG_IGN);
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	cli = calloc((size_t)npairs + 1, sizeof(int));
	srv = calloc((size_t)npairs + 1, sizeof(int));
	udp = calloc((size_t)nudp + 1, sizeof(int));
	udp_addr = calloc((size_t)nudp + 1, sizeof(*udp_addr));
	lst = calloc((size_t)ports, sizeof(int));
	if (!cli || !srv || !udp || !udp_addr || !lst)
		die("calloc");
	for (i = 0; i < ports && npairs; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr = addr };
		int one = 1;

		lst[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (lst[i] < 0)
			die("socket");
		setsockopt(lst[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lst[i], (struct sockaddr *)&a, sizeof(a)) || listen(lst[i], 4096))
			die("bind/listen");
	}
	for (i = 0; i < npairs; i++) {
		struct sockaddr_in a;
		socklen_t al = sizeof(a);
		int l = lst[i % ports];

		getsockname(l, (struct sockaddr *)&a, &al);
		cli[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (cli[i] < 0)
			die("socket (raise the open-file limit?)");
		if (tcp_sndbuf && setsockopt(cli[i], SOL_SOCKET, SO_SNDBUF, &tcp_sndbuf, sizeof(tcp_sndbuf)))
			die("setsockopt SO_SNDBUF");
		if (connect(cli[i], (struct sockaddr *)&a, sizeof(a)))
			die("connect");
		srv[i] = accept(l, NULL, NULL);
		if (srv[i] < 0)
			die("accept");
		nonblock(cli[i]);
		nonblock(srv[i]);
	}
	udp_tx = socket(AF_INET, SOCK_DGRAM, 0);
	for (i = 0; i < nudp; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr = addr };
		socklen_t al = sizeof(a);

		udp[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (udp[i] < 0 || bind(udp[i], (struct sockaddr *)&a, sizeof(a)))
			die("udp socket");
		if (udp_rcvbuf && setsockopt(udp[i], SOL_SOCKET, SO_RCVBUFFORCE, &udp_rcvbuf,
					     sizeof(udp_rcvbuf)))
			die("SO_RCVBUFFORCE (needs CAP_NET_ADMIN)");
		getsockname(udp[i], (struct sockaddr *)&udp_addr[i], &al);
	}
	if (bytes)
		fill(bytes);
	if (dgrams)
		send_udp(dgrams);
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	if (wait_signal)
		for (;;)
			pause();
	while (fgets(line, sizeof(line), stdin)) {
		long v = 0;

		long k;

		if (sscanf(line, "fillk %ld %ld", &k, &v) == 2)
			printf("ok filled %ld\n", fill_one(k, v));
		else if (sscanf(line, "fill %ld", &v) == 1)
			printf("ok filled %ld\n", fill(v));
		else if (sscanf(line, "drain %ld", &v) == 1)
			printf("ok drained %ld\n", drain(v));
		else if (!strncmp(line, "drainall", 8))
			printf("ok drained %ld\n", drain(npairs));
		else if (sscanf(line, "close %ld", &v) == 1)
			printf("ok closed %ld\n", close_pairs(v));
		else if (sscanf(line, "udp %ld", &v) == 1)
			printf("ok sent %ld\n", send_udp(v));
		else if (!strncmp(line, "quit", 4))
			break;
		else
			printf("error unknown command\n");
		fflush(stdout);
	}
	return 0;
}
