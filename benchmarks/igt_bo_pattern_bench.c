// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Benchmark: pattern fill and verify against plain memset() and memcmp() over
 * the same (pre-faulted) mapping, best of several runs each. Checking every
 * word of every BO must not be what makes the swap tests slow, so the figures
 * to watch are the ratios; they are printed, not asserted: timing depends on
 * the machine and its load. Run with `meson test --benchmark`.
 */

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "igt_bo_pattern.h"

#define SIZE (64u << 20)
#define RUNS 7

static uint64_t *buf, *ref;
static volatile int sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define BEST_OF(best, stmt) do { \
	best = 1e9; \
	for (int run = 0; run < RUNS; run++) { \
		double t0 = now(); \
		stmt; \
		if (now() - t0 < best) \
			best = now() - t0; \
	} \
} while (0)

static double mibps(double s)
{
	return (SIZE >> 20) / s;
}

int main(void)
{
	double t_memset, t_fill, t_memcmp, t_verify;

	buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ref = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || ref == MAP_FAILED)
		return 2;
	memset(buf, 1, SIZE);	/* fault everything in before timing */

	BEST_OF(t_memset, memset(buf, 0x5a, SIZE));
	BEST_OF(t_fill, igt_bo_pattern_fill(buf, SIZE, 5, 1));
	memcpy(ref, buf, SIZE);
	BEST_OF(t_memcmp, sink += memcmp(buf, ref, SIZE));
	BEST_OF(t_verify, sink += igt_bo_pattern_verify(buf, SIZE, 5, 1, NULL));

	printf("fill   %8.0f MiB/s  memset %8.0f MiB/s  ratio %.2f\n",
	       mibps(t_fill), mibps(t_memset), t_memset / t_fill);
	printf("verify %8.0f MiB/s  memcmp %8.0f MiB/s  ratio %.2f\n",
	       mibps(t_verify), mibps(t_memcmp), t_memcmp / t_verify);
	/* A fast but wrong pattern would make the figures meaningless. */
	if (igt_bo_pattern_verify(buf, SIZE, 5, 1, NULL)) {
		fprintf(stderr, "pattern verify failed on its own fill\n");
		return 1;
	}
	return 0;
}
