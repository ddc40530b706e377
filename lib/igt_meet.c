// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * A meeting point for the processes of igt_fork(): each waits until all have
 * arrived, for a bounded time. A child that died or hangs must not keep the
 * others waiting forever, so unlike a process-shared pthread barrier every
 * wait has a timeout, and the failure says how many arrived.
 */

#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_meet.h"

struct igt_meet {
	unsigned int n;
	unsigned int arrived;
};

/**
 * igt_meet_new:
 * @n: the number of processes that are to meet
 *
 * A meeting point in shared memory: create it before igt_fork(), so that the
 * children share it.
 *
 * Returns: the meeting point; the test fails when there is no memory for it.
 */
struct igt_meet *igt_meet_new(unsigned int n)
{
	struct igt_meet *m;

	m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(m != MAP_FAILED);
	m->n = n;
	m->arrived = 0;
	return m;
}

/**
 * igt_meet_free:
 * @m: a meeting point from igt_meet_new(), or NULL
 */
void igt_meet_free(struct igt_meet *m)
{
	if (m)
		munmap(m, sizeof(*m));
}

static unsigned int meet_arrived(struct igt_meet *m)
{
	return __atomic_load_n(&m->arrived, __ATOMIC_SEQ_CST);
}

/**
 * __igt_meet:
 * @m: the meeting point
 * @timeout_s: how long to wait for the others
 *
 * Arrives at @m and waits until all its processes have arrived.
 *
 * Returns: true when they all did within @timeout_s, false otherwise.
 */
bool __igt_meet(struct igt_meet *m, unsigned int timeout_s)
{
	struct timespec start = {};

	igt_nsec_elapsed(&start);	/* starts the clock */
	__atomic_add_fetch(&m->arrived, 1, __ATOMIC_SEQ_CST);
	while (meet_arrived(m) < m->n) {
		if (igt_nsec_elapsed(&start) >= timeout_s * 1000000000ull)
			return false;
		usleep(10000);
	}
	return true;
}

/**
 * igt_meet:
 * @m: the meeting point
 * @timeout_s: how long to wait for the others
 * @where: what the processes meet after, for the failure message
 *
 * As __igt_meet(), but fails the test, saying how many arrived, when not all
 * did in time.
 */
void igt_meet(struct igt_meet *m, unsigned int timeout_s, const char *where)
{
	igt_assert_f(__igt_meet(m, timeout_s), "%u of %u processes %s after %u s\n",
		     meet_arrived(m), m->n, where, timeout_s);
}
