// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_set_timeout() fails a stuck subtest and lets the next one run;
 * igt_until_timeout() and igt_for_milliseconds() loops end.
 */

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

	r = run_child(timeouts, ARGV("--run-subtest", "disarmed,loops"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("igt_timeout");
}
