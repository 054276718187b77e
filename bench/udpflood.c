/* udpflood.c - bench/trace.sh's workload: a UDP socket with the smallest
 * receive buffer on 127.0.0.1 that nobody reads, and one sender that floods
 * it with SIZE-byte datagrams for SECONDS: past the first few, each one is
 * a SOCKET_RCVBUFF drop.  The loopback delivers in the sender's own softirq,
 * so the drops' cost (and a tracer's) is in the sender's throughput.
 *
 *   udpflood SECONDS [SIZE]
 * waits for a line on stdin (so that a tracer can attach first), floods,
 * prints "sent N rate R drops D cpu_rate C" (datagrams, per second of wall
 * time, the socket's drops from SO_MEMINFO, datagrams per second of its own
 * CPU time: user + system, where the loopback's softirq runs) and exits. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	double secs = argc > 1 ? atof(argv[1]) : 5, t0, t;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 64;
	unsigned int mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t al = sizeof(a), ml = sizeof(mem);
	int one = 1, rx, tx;
	unsigned long sent = 0, i;
	struct rusage ru;
	double cpu;
	char buf[65536] = { 0 }, line[16];

	if (size > sizeof(buf))
		size = sizeof(buf);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0 || setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)) ||
	    bind(rx, (struct sockaddr *)&a, sizeof(a)) || getsockname(rx, (struct sockaddr *)&a, &al) ||
	    connect(tx, (struct sockaddr *)&a, sizeof(a))) {
		perror("udpflood: socket");
		return 1;
	}
	printf("ready port %u\n", ntohs(a.sin_port));
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	t0 = now_s();
	do {
		/* the clock every 256 datagrams */
		for (i = 0; i < 256; i++)
			if (send(tx, buf, size, 0) > 0)
				sent++;
		t = now_s();
	} while (t - t0 < secs);
	getsockopt(rx, SOL_SOCKET, SO_MEMINFO, mem, &ml);
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	printf("sent %lu rate %.0f drops %u cpu_rate %.0f\n", sent, (double)sent / (t - t0),
	       mem[SK_MEMINFO_DROPS], cpu > 0 ? (double)sent / cpu : 0);
	return 0;
}
