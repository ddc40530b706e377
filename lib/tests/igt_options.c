// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Options: a test's own options work beside the standard ones, --help
 * prints both, and bad use (unknown option, missing argument, bad value,
 * stray argument, conflicting option) exits 79 with a message.
 */

#include "igt_core.h"
#include "igt_tests_common.h"

static int size_mb = 16;

static int opt_handler(int opt, int opt_index, void *data)
{
	char *end;

	switch (opt) {
	case 's':
		size_mb = strtol(optarg, &end, 0);
		if (*end || size_mb <= 0) {
			igt_critical("--size-mb needs a positive number, not '%s'\n", optarg);
			return IGT_OPT_HANDLER_ERROR;
		}
		return IGT_OPT_HANDLER_SUCCESS;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
}

static const struct option long_opts[] = {
	{ "size-mb", required_argument, NULL, 's' },
	{ }
};

static const char help_str[] = "  --size-mb=N\tBO memory to use, in MiB\n";

static int custom(int argc, char **argv)
{
	igt_subtest_init_parse_opts(&argc, argv, "s:", long_opts, help_str,
				    opt_handler, NULL);
	igt_subtest("show")
		igt_info("size-mb=%d\n", size_mb);
	igt_exit();
}

static const struct option bad_long_opts[] = {
	{ "list-subtests", no_argument, NULL, 'l' },
	{ }
};

static int conflicting(int argc, char **argv)
{
	igt_subtest_init_parse_opts(&argc, argv, "l", bad_long_opts, NULL,
				    opt_handler, NULL);
	igt_exit();
}

static void check_invalid(const char *const argv[], const char *message)
{
	struct child_result r = run_child(custom, argv);

	check(exit_code_of(&r) == IGT_EXIT_INVALID, &r);
	check(strstr(r.err, message) != NULL, &r);
	free_child_result(&r);
}

int main(void)
{
	struct child_result r;

	r = run_child(custom, ARGV("--size-mb", "64"));
	check(exit_code_of(&r) == 0 && count_lines(r.out, "size-mb=64") == 1, &r);
	free_child_result(&r);

	r = run_child(custom, ARGV("-s", "8", "--run-subtest", "show"));
	check(exit_code_of(&r) == 0 && count_lines(r.out, "size-mb=8") == 1, &r);
	free_child_result(&r);

	r = run_child(custom, ARGV("--help"));
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "--list-subtests") && strstr(r.out, "--run-subtest"), &r);
	check(strstr(r.out, "--size-mb=N") != NULL, &r);
	free_child_result(&r);

	check_invalid(ARGV("--no-such-option"), "unrecognized option");
	check_invalid(ARGV("--size-mb"), "requires an argument");
	check_invalid(ARGV("--run-subtest"), "requires an argument");
	check_invalid(ARGV("--size-mb", "lots"), "--size-mb needs a positive number");
	check_invalid(ARGV("stray"), "unexpected argument 'stray'");

	r = run_child(conflicting, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_INVALID, &r);
	check(strstr(r.err, "Conflicting long option: --list-subtests") != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_options");
}
