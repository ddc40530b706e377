// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_set_timeout() fails a stuck subtest and lets the next one run;
 * igt_until_timeout() and igt_for_milliseconds() loops end. igt_gettime()
 * reads CLOCK_MONOTONIC_RAW, as upstream's: not CLOCK_MONOTONIC, which NTP
 * slews (the two drift apart by as much as a fraction of a second).
 */

#include <time.h>

#include "igt_aux.h"
#include "igt_core.h"
#include "igt_tests_common.h"

static int timeouts(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("stuck") {
		igt_set_timeout(1, "waiting forever");
		pause();
	}
	igt_subtest("next")
		;
	igt_subtest("disarmed") {
		igt_set_timeout(1, "never fires");
		igt_reset_timeout();
		usleep(1200 * 1000);
	}
	igt_subtest("loops") {
		int n = 0;
		struct timespec start = {};

		igt_nsec_elapsed(&start);
		igt_until_timeout(1)
			n++;
		igt_assert(n > 0);
		igt_assert(igt_seconds_elapsed(&start) >= 1);
		igt_for_milliseconds(100)
			n++;
		igt_assert(igt_nsec_elapsed(&start) >= 1100000000ull);
	}
	igt_subtest("wait") {
		struct timespec start = {};
		int polls = 0;

		igt_nsec_elapsed(&start);
		igt_assert(igt_wait(++polls == 3, 1000, 1));
		igt_assert_eq(polls, 3);
		igt_assert(!igt_wait(false, 100, 10));
		igt_assert(igt_nsec_elapsed(&start) >= 100000000ull);
		igt_assert(igt_nsec_elapsed(&start) < 1000000000ull);
	}
	igt_subtest("raw-clock") {
		struct timespec before, now, after;

		clock_gettime(CLOCK_MONOTONIC_RAW, &before);
		igt_assert_eq(igt_gettime(&now), 0);
		clock_gettime(CLOCK_MONOTONIC_RAW, &after);
		igt_assert_f(igt_time_elapsed(&before, &now) >= 0 &&
			     igt_time_elapsed(&now, &after) >= 0,
			     "igt_gettime() %ld.%09ld outside CLOCK_MONOTONIC_RAW's %ld.%09ld .. %ld.%09ld\n",
			     (long)now.tv_sec, now.tv_nsec,
			     (long)before.tv_sec, before.tv_nsec,
			     (long)after.tv_sec, after.tv_nsec);
	}
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(timeouts, ARGV("--run-subtest", "stuck,next"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.out, "Timed out: waiting forever") != NULL, &r);
	check(strstr(r.out, "Subtest stuck: FAIL") != NULL, &r);
	check(strstr(r.out, "Subtest next: SUCCESS") != NULL, &r);
	free_child_result(&r);

	r = run_child(timeouts, ARGV("--run-subtest", "disarmed,loops,wait"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	r = run_child(timeouts, ARGV("--run-subtest", "raw-clock"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("igt_timeout");
}
