// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 *
 * igt_meet(): children that all arrive go on together; when one never
 * arrives, the others stop waiting at the timeout and fail the subtest with
 * how many arrived, instead of hanging until the runner's timeout.
 */

#include "igt_core.h"
#include "igt_meet.h"
#include "igt_tests_common.h"

static int meets(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("all-arrive") {
		struct igt_meet *m = igt_meet_new(3);

		igt_fork(child, 3)
			igt_meet(m, 10, "filled");
		igt_waitchildren_timeout(20, "children did not meet");
		igt_meet_free(m);
	}
	igt_subtest("one-missing") {
		struct igt_meet *m = igt_meet_new(3);

		igt_fork(child, 2)
			igt_meet(m, 1, "filled");
		igt_waitchildren_timeout(20, "children did not give up");
		igt_meet_free(m);
	}
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
	check(strstr(r.out, "children did not give up") == NULL, &r);
	free_child_result(&r);

	r = run_child(meets, ARGV("--run-subtest", "alone"));
	check(exit_code_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("igt_meet");
}
