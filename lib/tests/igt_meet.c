// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_meet(): children that all arrive go on together; when one never
 * arrives, the others stop waiting at the timeout and fail the subtest with
 * how many arrived, instead of hanging until the runner's timeout.
 */

#include "igt_core.h"
#include "igt_meet.h"
#include "igt_tests_common.h"

/* @arriving of @n children come to the meeting point */
static void fork_and_meet(unsigned int n, unsigned int arriving, unsigned int timeout_s)
{
	struct igt_meet *m = igt_meet_new(n);

	igt_fork(child, arriving)
		igt_meet(m, timeout_s, "filled");
	igt_waitchildren_timeout(20, "children neither met nor gave up");
	igt_meet_free(m);
}

static int meets(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("all-arrive")
		fork_and_meet(3, 3, 10);
	igt_subtest("one-missing")
		fork_and_meet(3, 2, 1);
	igt_subtest("alone") {
		struct igt_meet *m = igt_meet_new(2);

		igt_assert(!__igt_meet(m, 1));
		igt_meet_free(m);
	}
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(meets, ARGV("--run-subtest", "all-arrive"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	r = run_child(meets, ARGV("--run-subtest", "one-missing"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.err, "2 of 3 processes filled after 1 s") != NULL, &r);
	check(strstr(r.out, "children neither met nor gave up") == NULL, &r);
	free_child_result(&r);

	r = run_child(meets, ARGV("--run-subtest", "alone"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("igt_meet");
}
