// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_fork(): a failing or crashing child fails the subtest, healthy
 * children pass it, and igt_waitchildren_timeout() ends children that hang.
 * Helpers stop on request.
 */

#include <signal.h>

#include "igt_core.h"
#include "igt_tests_common.h"

static int forks(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("all-good") {
		igt_fork(child, 4)
			igt_assert(child < 4);
		igt_waitchildren();
	}
	igt_subtest("one-fails") {
		igt_fork(child, 4)
			igt_assert_f(child != 2, "child %d fails\n", child);
		igt_waitchildren();
	}
	igt_subtest("one-crashes") {
		igt_fork(child, 2)
			if (child == 1)
				raise(SIGSEGV);
		igt_waitchildren();
	}
	igt_subtest("hangs") {
		igt_fork(child, 1)
			pause();
		igt_waitchildren_timeout(1, "child is stuck");
	}
	igt_subtest("helper") {
		struct igt_helper_process helper = {};

		igt_fork_helper(&helper)
			pause();
		igt_assert(helper.running);
		igt_stop_helper(&helper);
		igt_assert(!helper.running);
	}
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(forks, ARGV("--run-subtest", "all-good"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	r = run_child(forks, ARGV("--run-subtest", "one-fails"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.out, "Subtest one-fails: FAIL") != NULL, &r);
	check(strstr(r.err, "child 2 fails") != NULL, &r);
	free_child_result(&r);

	r = run_child(forks, ARGV("--run-subtest", "one-crashes"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.err, "died with signal 11") != NULL, &r);
	free_child_result(&r);

	r = run_child(forks, ARGV("--run-subtest", "hangs"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.out, "child is stuck") != NULL, &r);
	free_child_result(&r);

	r = run_child(forks, ARGV("--run-subtest", "helper"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("igt_fork_fail");
}
