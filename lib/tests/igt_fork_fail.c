// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_fork(): a failing or crashing child fails the subtest, healthy
 * children pass it, and igt_waitchildren_timeout() ends children that hang.
 * Helpers stop on request.
 *
 * The exit codes are upstream's: igt_waitchildren() fails with the child's
 * exit code, or 128 + the signal that killed it, and the binary exits with
 * the code of its first failure; a skip inside a child aborts the child
 * (134), a child that exits with IGT_EXIT_SKIP aborts the parent (igt_fail()
 * refuses that code), and a failed dynamic subtest fails its container with
 * IGT_EXIT_FAILURE whatever its own code.
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
	igt_subtest("child-skips") {
		igt_fork(child, 1)
			igt_require_f(false, "no such feature\n");
		igt_waitchildren();
	}
	igt_subtest("child-exits-skip") {
		igt_fork(child, 1)
			exit(IGT_EXIT_SKIP);
		igt_waitchildren();
	}
	igt_subtest("timeout-code")
		igt_fail(IGT_EXIT_TIMEOUT);
	igt_subtest_with_dynamic("dynamic") {
		igt_dynamic("crashes") {
			igt_fork(child, 1)
				raise(SIGSEGV);
			igt_waitchildren();
		}
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
	check(exit_code_of(&r) == 128 + SIGSEGV, &r);
	check(strstr(r.out, "child 1 died with signal 11") != NULL, &r);
	check(count_results(r.out, "Subtest one-crashes: FAIL") == 1, &r);
	free_child_result(&r);

	r = run_child(forks, ARGV("--run-subtest", "hangs"));
	check(exit_code_of(&r) == 128 + SIGKILL, &r);
	check(strstr(r.out, "Timed out waiting for children") != NULL, &r);
	check(count_results(r.out, "Subtest hangs: FAIL") == 1, &r);
	free_child_result(&r);

	/* the binary exits with the first failure's code */
	r = run_child(forks, ARGV("--run-subtest", "one-crashes,hangs"));
	check(exit_code_of(&r) == 128 + SIGSEGV, &r);
	free_child_result(&r);
	r = run_child(forks, ARGV("--run-subtest", "one-fails,one-crashes"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	free_child_result(&r);

	/* igt_skip() in a child aborts the child: the subtest fails with 134 */
	r = run_child(forks, ARGV("--run-subtest", "child-skips"));
	check(exit_code_of(&r) == 128 + SIGABRT, &r);
	check(strstr(r.err, "skips are not allowed in forks") != NULL, &r);
	check(strstr(r.out, "child 0 died with signal 6") != NULL, &r);
	check(count_results(r.out, "Subtest child-skips: FAIL") == 1, &r);
	free_child_result(&r);

	/* igt_fail(IGT_EXIT_SKIP) is refused: the test itself aborts */
	r = run_child(forks, ARGV("--run-subtest", "child-exits-skip"));
	check(signal_of(&r) == SIGABRT, &r);
	check(strstr(r.out, "child 0 failed with exit status 77") != NULL, &r);
	check(strstr(r.out, "Subtest child-exits-skip: ") == NULL, &r);
	free_child_result(&r);

	/* igt_fail()'s subtest result is FAIL whatever the code */
	r = run_child(forks, ARGV("--run-subtest", "timeout-code"));
	check(exit_code_of(&r) == IGT_EXIT_TIMEOUT, &r);
	check(count_results(r.out, "Subtest timeout-code: FAIL") == 1, &r);
	free_child_result(&r);

	/* a dynamic subtest's code stays inside its container */
	r = run_child(forks, ARGV("--run-subtest", "dynamic"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(count_results(r.out, "Dynamic subtest crashes: FAIL") == 1, &r);
	check(count_results(r.out, "Subtest dynamic: FAIL") == 1, &r);
	free_child_result(&r);

	r = run_child(forks, ARGV("--run-subtest", "helper"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("igt_fork_fail");
}
