// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Not a unit test: a test binary with one subtest per result igt_runner
 * knows, run through the real igt_runner in the VM (runner/compat-check),
 * which then checks that results.json holds exactly the expected result for
 * each. This is where our core's output would disagree with upstream's.
 */

#include <signal.h>

#include "igt.h"

IGT_TEST_DESCRIPTION("Produces each result igt_runner reports, for the runner compatibility check.");

int igt_main()
{
	igt_describe("Passes.");
	igt_subtest("pass")
		igt_info("passing\n");

	igt_describe("Fails an assertion.");
	igt_subtest("fail")
		igt_assert_eq(1, 2);

	igt_describe("Skips on a requirement.");
	igt_subtest("skip")
		igt_require_f(false, "skipping on purpose\n");

	igt_describe("Passes but prints a warning: the runner reports warn.");
	igt_subtest("warn")
		igt_warn("a warning on purpose\n");

	igt_describe("Crashes with SIGSEGV.");
	igt_subtest("crash")
		raise(SIGSEGV);

	igt_describe("Never ends; the runner's per-test timeout stops it.");
	igt_subtest("timeout")
		for (int i = 0; i < 3600; i++)
			sleep(1);

	igt_describe("A dynamic container with a passing, a failing and a skipping part.");
	igt_subtest_with_dynamic("dynamic") {
		igt_dynamic("pass")
			;
		igt_dynamic("fail")
			igt_assert(false);
		igt_dynamic("skip")
			igt_skip("skipping on purpose\n");
	}

	igt_describe("Passes after a forked child checked something.");
	igt_subtest("fork-pass") {
		igt_fork(child, 2)
			igt_assert(child < 2);
		igt_waitchildren();
	}
}
