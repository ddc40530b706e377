// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Listing: --list-subtests, --show-testlist and --describe print names only,
 * run no fixture, and exit 0; a test without subtests exits 79.
 */

#include "igt_core.h"
#include "igt_tests_common.h"

IGT_TEST_DESCRIPTION("A test to be listed.");

static int with_subtests(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_fixture()
		igt_assert_f(false, "a fixture ran while listing\n");
	igt_describe("Checks the first thing.");
	igt_subtest("first")
		;
	igt_subtest_group() {
		igt_fixture()
			igt_skip("group fixture\n");
		igt_subtest_f("second-%d", 2)
			;
	}
	igt_subtest_with_dynamic("dyn")
		igt_dynamic("inner")
			;
	igt_exit();
}

static int simple(int argc, char **argv)
{
	igt_simple_init(argc, argv);
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(with_subtests, ARGV("--list-subtests"));
	check(exit_code_of(&r) == 0, &r);
	check(!strcmp(r.out, "first\nsecond-2\ndyn\n"), &r);
	check(r.err[0] == '\0', &r);
	free_child_result(&r);

	r = run_child(with_subtests, ARGV("--show-testlist"));
	check(exit_code_of(&r) == 0, &r);
	check(!strcmp(r.out, "igt@unit-test@first\nigt@unit-test@second-2\nigt@unit-test@dyn\n"), &r);
	free_child_result(&r);

	r = run_child(with_subtests, ARGV("--list-subtests", "--run-subtest", "s*"));
	check(exit_code_of(&r) == 0, &r);
	check(!strcmp(r.out, "second-2\n"), &r);
	free_child_result(&r);

	r = run_child(with_subtests, ARGV("--describe"));
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "A test to be listed.") == r.out, &r);
	check(count_lines(r.out, "  Checks the first thing.") == 1, &r);
	check(count_lines(r.out, "  NO DOCUMENTATION!") == 2, &r);
	free_child_result(&r);

	r = run_child(with_subtests, ARGV("--describe=first"));
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "SUB first ") && !strstr(r.out, "SUB second"), &r);
	free_child_result(&r);

	r = run_child(simple, ARGV("--list-subtests"));
	check(exit_code_of(&r) == IGT_EXIT_INVALID, &r);
	check(r.out[0] == '\0', &r);
	free_child_result(&r);

	r = run_child(simple, ARGV("--show-testlist"));
	check(exit_code_of(&r) == 0 && !strcmp(r.out, "igt@unit-test\n"), &r);
	free_child_result(&r);

	r = run_child(simple, ARGV("--run-subtest", "x"));
	check(exit_code_of(&r) == IGT_EXIT_INVALID, &r);
	free_child_result(&r);

	return checks_done("igt_list_subtests");
}
