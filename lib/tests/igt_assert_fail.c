// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Each assert macro fails when its condition is false, with a message that
 * names the expression and the values, and passes when it is true.
 */

#include "igt_core.h"
#include "igt_tests_common.h"

static int asserts(int argc, char **argv)
{
	uint32_t u32 = 0xdeadbeef;
	uint64_t u64 = 1ull << 40;

	igt_subtest_init(argc, argv);
	igt_subtest("true-ones") {
		igt_assert(1);
		igt_assert_f(1, "never\n");
		igt_assert_eq(3, 3);
		igt_assert_neq(3, 4);
		igt_assert_lt(3, 4);
		igt_assert_lte(4, 4);
		igt_assert_eq_u32(u32, 0xdeadbeef);
		igt_assert_eq_u64(u64, 1ull << 40);
		igt_fail_on(0);
		igt_fail_on_f(0, "never\n");
	}
	igt_subtest("assert")
		igt_assert(argc == 99);
	igt_subtest("assert-f")
		igt_assert_f(argc == 99, "argc was %d\n", argc);
	igt_subtest("eq")
		igt_assert_eq(argc, 99);
	igt_subtest("neq")
		igt_assert_neq(argc, argc);
	igt_subtest("lt")
		igt_assert_lt(5, 5);
	igt_subtest("lte")
		igt_assert_lte(6, 5);
	igt_subtest("eq-u32")
		igt_assert_eq_u32(u32, 0xdeadbeee);
	igt_subtest("eq-u64")
		igt_assert_eq_u64(u64, 1ull << 41);
	igt_subtest("fail-on")
		igt_fail_on(argc > 0);
	igt_subtest("fail-on-f")
		igt_fail_on_f(argc > 0, "argc positive\n");
	igt_subtest("errno") {
		errno = ENOENT;
		igt_assert(false);
	}
	igt_exit();
}

static const struct {
	const char *subtest, *message;
} failures[] = {
	{ "assert", "Failed assertion: argc == 99" },
	{ "assert-f", "argc was 3" },
	{ "eq", "error: 3 != 99" },
	{ "neq", "error: 3 == 3" },
	{ "lt", "error: 5 >= 5" },
	{ "lte", "error: 6 > 5" },
	{ "eq-u32", "error: 0xdeadbeef != 0xdeadbeee" },
	{ "eq-u64", "error: 0x10000000000 != 0x20000000000" },
	{ "fail-on", "Failed assertion: !(argc > 0)" },
	{ "fail-on-f", "argc positive" },
	{ "errno", "Last errno: 2, No such file or directory" },
};

int main(void)
{
	struct child_result r;
	char line[128];

	r = run_child(asserts, ARGV("--run-subtest", "true-ones"));
	check(exit_code_of(&r) == 0, &r);
	check(r.err[0] == '\0', &r);
	free_child_result(&r);

	for (unsigned int i = 0; i < ARRAY_SIZE(failures); i++) {
		r = run_child(asserts, ARGV("--run-subtest", failures[i].subtest));
		snprintf(line, sizeof(line), "Subtest %s: FAIL", failures[i].subtest);
		check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
		check(strstr(r.out, line) != NULL, &r);
		check(strstr(r.err, failures[i].message) != NULL, &r);
		check(strstr(r.err, "igt_assert_fail.c:") != NULL, &r);
		free_child_result(&r);
	}

	return checks_done("igt_assert_fail");
}
