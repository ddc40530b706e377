// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * A skip in a fixture skips every later subtest of its group and no other; a
 * failure in a fixture fails them.
 */

#include "igt_core.h"
#include "igt_tests_common.h"

static bool fixture_after_skip_ran;

static int grouped_skip(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("before")
		;
	igt_subtest_group() {
		igt_fixture()
			igt_require_f(false, "no such device\n");
		igt_subtest("in-group-1")
			igt_assert(false);
		igt_fixture()
			fixture_after_skip_ran = true;
		igt_subtest("in-group-2")
			igt_assert(false);
	}
	igt_subtest("after")
		igt_assert(!fixture_after_skip_ran);
	igt_exit();
}

static int top_level_skip(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_fixture()
		igt_skip("nothing here\n");
	igt_subtest("a")
		igt_assert(false);
	igt_subtest("b")
		igt_assert(false);
	igt_exit();
}

static int fixture_fail(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_fixture()
		igt_assert_eq(1, 2);
	igt_subtest("a")
		;
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(grouped_skip, NO_ARGS);
	check(exit_code_of(&r) == 0, &r);
	check(count_results(r.out, "Subtest before: SUCCESS") == 1, &r);
	check(count_results(r.out, "Subtest in-group-1: SKIP") == 1, &r);
	check(count_results(r.out, "Subtest in-group-2: SKIP") == 1, &r);
	check(count_results(r.out, "Subtest after: SUCCESS") == 1, &r);
	check(strstr(r.out, "no such device") != NULL, &r);
	free_child_result(&r);

	r = run_child(top_level_skip, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(count_results(r.out, "Subtest a: SKIP") == 1, &r);
	check(count_results(r.out, "Subtest b: SKIP") == 1, &r);
	free_child_result(&r);

	r = run_child(fixture_fail, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(count_results(r.out, "Subtest a: FAIL") == 1, &r);
	check(strstr(r.err, "error: 1 != 2") != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_fixture_skip");
}
