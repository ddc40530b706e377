// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Dynamic subtests: each has its own result line; the container fails when
 * one failed and skips when none ran.
 */

#include "igt_core.h"
#include "igt_tests_common.h"

static int dynamic(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest_with_dynamic("mixed") {
		igt_dynamic("pass")
			;
		igt_dynamic("skip")
			igt_skip("not this one\n");
		igt_dynamic("fail")
			igt_assert_eq(1, 0);
		igt_dynamic("pass-again")
			;
	}
	igt_subtest_with_dynamic("all-pass") {
		for (int i = 0; i < 3; i++)
			igt_dynamic_f("n-%d", i)
				;
	}
	igt_subtest_with_dynamic("none")
		;
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(dynamic, ARGV("--run-subtest", "mixed"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(count_lines(r.out, "Starting dynamic subtest: pass") == 1, &r);
	check(count_results(r.out, "Dynamic subtest pass: SUCCESS") == 1, &r);
	check(count_results(r.out, "Dynamic subtest skip: SKIP") == 1, &r);
	check(count_results(r.out, "Dynamic subtest fail: FAIL") == 1, &r);
	check(count_results(r.out, "Dynamic subtest pass-again: SUCCESS") == 1, &r);
	check(count_results(r.out, "Subtest mixed: FAIL") == 1, &r);
	check(strstr(r.err, "Dynamic subtest fail failed.") != NULL, &r);
	free_child_result(&r);

	r = run_child(dynamic, ARGV("--run-subtest", "all-pass"));
	check(exit_code_of(&r) == 0, &r);
	check(count_results(r.out, "Dynamic subtest n-2: SUCCESS") == 1, &r);
	check(count_results(r.out, "Subtest all-pass: SUCCESS") == 1, &r);
	free_child_result(&r);

	r = run_child(dynamic, ARGV("--run-subtest", "none"));
	check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(count_results(r.out, "Subtest none: SKIP") == 1, &r);
	free_child_result(&r);

	r = run_child(dynamic, ARGV("--run-subtest", "mixed", "--dynamic-subtest", "pass*"));
	check(exit_code_of(&r) == 0, &r);
	check(!strstr(r.out, "Dynamic subtest fail"), &r);
	check(count_results(r.out, "Subtest mixed: SUCCESS") == 1, &r);
	free_child_result(&r);

	return checks_done("igt_dynamic");
}
