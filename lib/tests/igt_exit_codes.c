// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Exit codes and result lines: 0 when a subtest passed and none failed, 77
 * when all skipped, 98 on a failure, for tests with and without subtests.
 */

#include "igt_core.h"
#include "igt_tests_common.h"

static int all_pass(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("a")
		;
	igt_subtest("b")
		;
	igt_exit();
}

static int all_skip(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("a")
		igt_skip("nothing to do\n");
	igt_subtest("b")
		igt_require(argc < 0);
	igt_exit();
}

static int pass_skip_fail(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("pass")
		;
	igt_subtest("skip")
		igt_skip("skipping\n");
	igt_subtest("fail")
		igt_fail(IGT_EXIT_FAILURE);
	igt_subtest("after")
		;
	igt_exit();
}

static int simple_pass(int argc, char **argv)
{
	igt_simple_init(argc, argv);
	igt_exit();
}

static int simple_skip(int argc, char **argv)
{
	igt_simple_init(argc, argv);
	igt_require_f(false, "not here\n");
	igt_exit();
}

static int simple_fail(int argc, char **argv)
{
	igt_simple_init(argc, argv);
	igt_assert(argc < 0);
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(all_pass, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_SUCCESS, &r);
	check(count_results(r.out, "Subtest a: SUCCESS") == 1, &r);
	check(count_lines(r.out, "Starting subtest: b") == 1, &r);
	check(strstr(r.out, "IGT-Version: ") == r.out, &r);
	check(r.err[0] == '\0', &r);
	free_child_result(&r);

	/* Under igt_runner the markers go to stderr too, to split it per subtest. */
	setenv("IGT_SENTINEL_ON_STDERR", "1", 1);
	r = run_child(pass_skip_fail, NO_ARGS);
	check(count_lines(r.err, "Starting subtest: pass") == 1, &r);
	check(count_results(r.err, "Subtest pass: SUCCESS") == 1, &r);
	check(count_results(r.err, "Subtest fail: FAIL") == 1, &r);
	check(count_results(r.out, "Subtest fail: FAIL") == 1, &r);
	free_child_result(&r);
	unsetenv("IGT_SENTINEL_ON_STDERR");

	r = run_child(all_skip, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(count_results(r.out, "Subtest a: SKIP") == 1, &r);
	check(count_results(r.out, "Subtest b: SKIP") == 1, &r);
	check(strstr(r.out, "Test requirement: argc < 0") != NULL, &r);
	/* A skip is not a warning: igt_runner would report "warn". */
	check(r.err[0] == '\0', &r);
	free_child_result(&r);

	r = run_child(pass_skip_fail, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(count_results(r.out, "Subtest pass: SUCCESS") == 1, &r);
	check(count_results(r.out, "Subtest skip: SKIP") == 1, &r);
	check(count_results(r.out, "Subtest fail: FAIL") == 1, &r);
	check(count_results(r.out, "Subtest after: SUCCESS") == 1, &r);
	check(strstr(r.err, "Subtest fail failed.") != NULL, &r);
	free_child_result(&r);

	r = run_child(simple_pass, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_SUCCESS, &r);
	check(strstr(r.out, "SUCCESS (") != NULL, &r);
	free_child_result(&r);

	r = run_child(simple_skip, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(strstr(r.out, "not here") != NULL && strstr(r.out, "SKIP (") != NULL, &r);
	free_child_result(&r);

	r = run_child(simple_fail, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.out, "FAIL (") != NULL, &r);
	check(strstr(r.err, "Failed assertion: argc < 0") != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_exit_codes");
}
