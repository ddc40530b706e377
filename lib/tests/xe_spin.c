// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * xe_spin: upstream's layout of struct xe_spin (batch of 128 dwords, then
 * pad, start, end at byte offsets 512, 520, 524), every dword of the batch
 * against the instruction encodings (MI_STORE_DWORD_IMM_GEN4 0x10000002,
 * MI_ARB_CHECK 0x02800000, MI_CONDITIONAL_BATCH_BUFFER_END with compare
 * 0x1b200002, MI_BATCH_BUFFER_START PPGTT 0x18800101), and the batch run by
 * a minimal model of the command streamer: it marks itself started, spins
 * while @end is set, and ends on the next pass once xe_spin_end() cleared it.
 * xe_spin_wait_started() waits as long as the spinner takes to start, as
 * upstream's does: only the test's igt_set_timeout() bounds it.
 */

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"
#include "xe/xe_spin.h"
#include "igt_tests_common.h"

#define SPIN_ADDR 0x1a0000000ull

/*
 * Runs @spin as an engine would, for at most @max_cmds commands, with
 * @on_pass called after each loop iteration. Returns the commands run until
 * the batch ended, or 0 when it was still running or hit an unknown command.
 */
static unsigned int run_model(struct xe_spin *spin, unsigned int max_cmds,
			      void (*on_pass)(struct xe_spin *, unsigned int))
{
	uint8_t *base = (uint8_t *)spin;
	uint64_t ip = SPIN_ADDR;
	unsigned int passes = 0;

	for (unsigned int n = 1; n <= max_cmds; n++) {
		uint32_t *cs = (uint32_t *)(base + (ip - SPIN_ADDR));
		uint64_t addr;

		if (ip < SPIN_ADDR || ip >= SPIN_ADDR + sizeof(spin->batch))
			return 0;
		switch (cs[0]) {
		case 0x10000002:	/* MI_STORE_DWORD_IMM_GEN4 */
			addr = cs[1] | (uint64_t)cs[2] << 32;
			*(uint32_t *)(base + (addr - SPIN_ADDR)) = cs[3];
			ip += 16;
			break;
		case 0x02800000:	/* MI_ARB_CHECK */
			ip += 4;
			break;
		case 0x1b200002:	/* MI_CONDITIONAL_BATCH_BUFFER_END, compare */
			addr = cs[2] | (uint64_t)cs[3] << 32;
			if (*(uint32_t *)(base + (addr - SPIN_ADDR)) <= cs[1])
				return n;
			ip += 16;
			break;
		case 0x18800101:	/* MI_BATCH_BUFFER_START, PPGTT */
			ip = cs[1] | (uint64_t)cs[2] << 32;
			if (on_pass)
				on_pass(spin, ++passes);
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static void end_after_ten(struct xe_spin *spin, unsigned int pass)
{
	check(xe_spin_started(spin), NULL);
	if (pass == 10)
		xe_spin_end(spin);
}

static void test_layout(void)
{
	check(offsetof(struct xe_spin, pad) == 512, NULL);
	check(offsetof(struct xe_spin, start) == 520, NULL);
	check(offsetof(struct xe_spin, end) == 524, NULL);
}

static void test_encoding(void)
{
	const uint32_t want[] = {
		0x10000002, 0xa0000208, 0x1, 0xc0ffee,
		0x02800000,
		0x1b200002, 0x0, 0xa000020c, 0x1,
		0x18800101, 0xa0000010, 0x1,
	};
	struct xe_spin spin;

	memset(&spin, 0xaa, sizeof(spin));
	xe_spin_init_opts(&spin, .addr = SPIN_ADDR, .preempt = true);
	check(memcmp(spin.batch, want, sizeof(want)) == 0, NULL);
	check(spin.start == 0 && spin.end == 0xffffffff, NULL);

	/* without preemption the loop starts right after the store */
	xe_spin_init_opts(&spin, .addr = SPIN_ADDR);
	check(spin.batch[4] == 0x1b200002, NULL);
	check(spin.batch[9] == 0xa0000010, NULL);
}

static void test_runs(void)
{
	struct xe_spin spin;
	unsigned int n;

	/* never ended: still spinning after many commands */
	xe_spin_init_opts(&spin, .addr = SPIN_ADDR, .preempt = true);
	check(!xe_spin_started(&spin), NULL);
	check(run_model(&spin, 10000, NULL) == 0, NULL);
	check(xe_spin_started(&spin), NULL);

	/* ended on the tenth pass: store + 10 x (check, cond, jump) + arb + cond */
	xe_spin_init_opts(&spin, .addr = SPIN_ADDR, .preempt = true);
	n = run_model(&spin, 10000, end_after_ten);
	check(n == 1 + 10 * 3 + 2, NULL);

	/* ended before it ran: ends on its first pass */
	xe_spin_init_opts(&spin, .addr = SPIN_ADDR);
	xe_spin_end(&spin);
	check(run_model(&spin, 100, NULL) == 2, NULL);
}

static int started_body(int argc, char **argv)
{
	struct xe_spin spin;

	xe_spin_init_opts(&spin, .addr = SPIN_ADDR);
	spin.start = 1;
	xe_spin_wait_started(&spin);
	return 0;
}

/*
 * In the late-start case the monotonic clocks run 60 times fast for this
 * program: a wait that gives up after some seconds of clock time gives up
 * within a fraction of that; alarm() and nanosleep() keep real time.
 */
static bool fast_clock;

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns;

	if (syscall(SYS_clock_gettime, id, ts))
		return -1;
	if (!fast_clock || id == CLOCK_REALTIME)
		return 0;
	ns = (ts->tv_sec * 1000000000ull + ts->tv_nsec) * 60;
	ts->tv_sec = ns / 1000000000ull;
	ts->tv_nsec = ns % 1000000000ull;
	return 0;
}

/* The GPU's part: the spinner starts 2 s (real time) after submission */
static void *start_late(void *data)
{
	struct xe_spin *spin = data;
	const struct timespec delay = { .tv_sec = 2 };

	nanosleep(&delay, NULL);
	__atomic_store_n(&spin->start, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int late_start_body(int argc, char **argv)
{
	static struct xe_spin spin;

	igt_subtest_init(argc, argv);
	igt_subtest("late-start") {
		pthread_t gpu;

		xe_spin_init_opts(&spin, .addr = SPIN_ADDR);
		fast_clock = true;
		igt_set_timeout(20, "spinner start");
		igt_assert_eq(pthread_create(&gpu, NULL, start_late, &spin), 0);
		xe_spin_wait_started(&spin);
		igt_reset_timeout();
		fast_clock = false;
		pthread_join(gpu, NULL);
	}
	igt_subtest("never-starts") {
		xe_spin_init_opts(&spin, .addr = SPIN_ADDR);
		igt_set_timeout(1, "spinner start");
		xe_spin_wait_started(&spin);
	}
	igt_exit();
}

int main(void)
{
	struct child_result r;

	test_layout();
	test_encoding();
	test_runs();

	/* xe_spin_wait_started() returns once started */
	r = run_child(started_body, NO_ARGS);
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	/* a spinner that starts late (60 s on the sped-up clock) is waited for */
	r = run_child(late_start_body, ARGV("--run-subtest", "late-start"));
	check(exit_code_of(&r) == 0, &r);
	check(count_results(r.out, "Subtest late-start: SUCCESS") == 1, &r);
	free_child_result(&r);

	/* one that never starts: the test's own timeout ends the wait */
	r = run_child(late_start_body, ARGV("--run-subtest", "never-starts"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.out, "Timed out: spinner start") != NULL, &r);
	check(count_results(r.out, "Subtest never-starts: FAIL") == 1, &r);
	free_child_result(&r);
	return checks_done("xe_spin");
}
