// SPDX-License-Identifier: GPL-2.0
/*
 * Pin to one CPU and wake up every 500 us, forever.
 *
 * Under QEMU TCG a guest PTE gets its Accessed bit only when the soft TLB
 * is refilled.  A workload that keeps one CPU to itself never reloads CR3,
 * so its pages look idle to DAMON.  Switching to this process on the same
 * CPU flushes the TLB (qemu64 has no PCID) and lets the accesses be seen.
 *
 * usage: vm-cswitch CPU
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 500 * 1000 };
	cpu_set_t set;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CPU\n", argv[0]);
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[1]), &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	for (;;)
		nanosleep(&ts, NULL);
}
