/* maxrss.c - runs a command and prints its peak resident set size in KiB
 * (wait4 rusage ru_maxrss), its wall, user and system time in microseconds:
 * "maxrss_kib=N wall_us=N user_us=N sys_us=N status=N" on stderr. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int status = 0;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss COMMAND [ARG...]\n");
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "maxrss_kib=%ld wall_us=%ld user_us=%ld sys_us=%ld status=%d\n", ru.ru_maxrss,
		(long)((b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000),
		(long)(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec),
		(long)(ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec),
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
