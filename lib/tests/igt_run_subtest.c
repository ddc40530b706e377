// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * --run-subtest and --dynamic-subtest with uwildmat patterns, and an unknown
 * subtest exiting 79 with a message.
 */

#include "igt_core.h"
#include "uwildmat.h"
#include "igt_tests_common.h"

static int three(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("swap-cycle")
		;
	igt_subtest("swap-cycle-repeat")
		;
	igt_subtest("no-swap")
		;
	igt_subtest_with_dynamic("sizes")
		for (int i = 1; i <= 3; i++)
			igt_dynamic_f("size-%d", i)
				;
	igt_exit();
}

static const struct {
	const char *text, *pattern;
	bool match;
} patterns[] = {
	{ "swap-cycle", "swap-cycle", true },
	{ "swap-cycle", "swap-cycl", false },
	{ "swap-cycle", "swap*", true },
	{ "swap-cycle", "*cycle", true },
	{ "swap-cycle", "*", true },
	{ "", "*", true },
	{ "swap-cycle", "swap?cycle", true },
	{ "swap-cycle", "swap??cycle", false },
	{ "swap-cycle", "[rs]wap-cycle", true },
	{ "twap-cycle", "[rs]wap-cycle", false },
	{ "twap-cycle", "[!rs]wap-cycle", true },
	{ "twap-cycle", "[^rs]wap-cycle", true },
	{ "size-2", "size-[1-3]", true },
	{ "size-4", "size-[1-3]", false },
	{ "no-swap", "swap*,no-*", true },
	{ "pressure", "swap*,no-*", false },
	{ "swap-cycle", "swap*,!swap-cycle", false },
	{ "swap-cycle-repeat", "swap*,!swap-cycle", true },
	{ "swap-cycle", "!swap-cycle,swap*", true },
	{ "a,b", "a\\,b", true },
	{ "a*", "a\\*", true },
	{ "ab", "a\\*", false },
	{ "abc", "a[b", false },
};

static void check_patterns(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(patterns); i++) {
		bool got = uwildmat(patterns[i].text, patterns[i].pattern);

		if (got != patterns[i].match) {
			fprintf(stderr, "uwildmat(\"%s\", \"%s\") = %d, expected %d\n",
				patterns[i].text, patterns[i].pattern, got,
				patterns[i].match);
			check_failures++;
		}
	}
}

int main(void)
{
	struct child_result r;

	check_patterns();

	r = run_child(three, ARGV("--run-subtest", "swap-cycle"));
	check(exit_code_of(&r) == 0, &r);
	check(count_lines(r.out, "Starting subtest: swap-cycle") == 1, &r);
	check(!strstr(r.out, "swap-cycle-repeat") && !strstr(r.out, "no-swap"), &r);
	free_child_result(&r);

	r = run_child(three, ARGV("--run-subtest", "swap*,!*repeat"));
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "Subtest swap-cycle: SUCCESS"), &r);
	check(!strstr(r.out, "repeat") && !strstr(r.out, "no-swap"), &r);
	free_child_result(&r);

	r = run_child(three, ARGV("--run-subtest", "sizes", "--dynamic-subtest", "size-[23]"));
	check(exit_code_of(&r) == 0, &r);
	check(!strstr(r.out, "size-1") && strstr(r.out, "Dynamic subtest size-2: SUCCESS") &&
	      strstr(r.out, "Dynamic subtest size-3: SUCCESS"), &r);
	free_child_result(&r);

	r = run_child(three, ARGV("--run-subtest", "no-such-subtest"));
	check(exit_code_of(&r) == IGT_EXIT_INVALID, &r);
	check(strstr(r.err, "Unknown subtest: no-such-subtest") != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_run_subtest");
}
