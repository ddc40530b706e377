// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Option values: the parser refuses what strtoull() would take quietly, and
 * each test binary given on the command line (meson passes both tests)
 * answers a bad value with exit code 79 and a message naming the option and
 * the value, and accepts good ones.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "igt_core.h"
#include "igt_shrink_opts.h"
#include "igt_tests_common.h"

static const struct {
	const char *text;
	uint64_t min, max;
	int err;
	uint64_t value;
} parse_cases[] = {
	{ "0", 0, UINT64_MAX, 0, 0 }, { "17", 0, UINT64_MAX, 0, 17 },
	{ "0x10", 0, UINT64_MAX, 0, 16 }, { "100", 1, 100, 0, 100 },
	{ "18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX },
	{ "", 0, UINT64_MAX, -EINVAL }, { "abc", 0, UINT64_MAX, -EINVAL },
	{ "12abc", 0, UINT64_MAX, -EINVAL }, { "-5", 0, UINT64_MAX, -EINVAL },
	{ "+5", 0, UINT64_MAX, -EINVAL }, { " 5", 0, UINT64_MAX, -EINVAL },
	{ "5 ", 0, UINT64_MAX, -EINVAL }, { "1e3", 0, UINT64_MAX, -EINVAL },
	{ "18446744073709551616", 0, UINT64_MAX, -ERANGE },
	{ "101", 1, 100, -ERANGE }, { "0", 1, 100, -ERANGE },
};

static void test_parse(void)
{
	for (unsigned int i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		uint64_t v = 12345;
		int err = __igt_shrink_opt_u64(parse_cases[i].text, parse_cases[i].min,
					       parse_cases[i].max, &v);

		if (err != parse_cases[i].err)
			fprintf(stderr, "'%s': %d, want %d\n", parse_cases[i].text, err,
				parse_cases[i].err);
		check(err == parse_cases[i].err, NULL);
		check(err ? v == 12345 : v == parse_cases[i].value, NULL);
	}
	check(__igt_shrink_opt_u64(NULL, 0, 1, NULL) == -EINVAL, NULL);
}

/* Runs @bin with one option; returns its exit code, its stderr in @err */
static int run_binary(const char *bin, const char *option, const char *value,
		      char *err, size_t len)
{
	char cmd[1024], tmp[] = "/tmp/igt-shrink-opts-XXXXXX";
	int fd = mkstemp(tmp), status;
	ssize_t n;

	if (fd < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s' '--%s=%s' --list-subtests >/dev/null 2>%s",
		 bin, option, value, tmp);
	status = system(cmd);
	n = read(fd, err, len - 1);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(tmp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const struct {
	const char *option;
	const char *value;
} bad_values[] = {
	{ "size-mb", "abc" }, { "size-mb", "-5" }, { "size-mb", "0" },
	{ "size-mb", "12x" }, { "rounds", "0" }, { "rounds", "101" },
	{ "rounds", "two" }, { "seed", "xyz" }, { "seed", "-1" },
	{ "seed", "99999999999999999999" },
};

static void test_binary(const char *bin)
{
	char err[4096], want[128];

	for (unsigned int i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		int code = run_binary(bin, bad_values[i].option, bad_values[i].value,
				      err, sizeof(err));

		snprintf(want, sizeof(want), "--%s: invalid value '%s'",
			 bad_values[i].option, bad_values[i].value);
		if (code != 79 || !strstr(err, want))
			fprintf(stderr, "%s --%s=%s: exit %d, stderr:\n%s\n", bin,
				bad_values[i].option, bad_values[i].value, code, err);
		check(code == 79, NULL);
		check(strstr(err, want) != NULL, NULL);
	}
	check(run_binary(bin, "size-mb", "64", err, sizeof(err)) == 0, NULL);
	check(run_binary(bin, "rounds", "100", err, sizeof(err)) == 0, NULL);
	check(run_binary(bin, "seed", "0x5eed", err, sizeof(err)) == 0, NULL);
}

/* --seed wins; else the seed follows random(), so IGT_SRANDOM repeats it */
static void test_seed(void)
{
	uint64_t a, b;

	check(igt_shrink_seed(true, 0x5eed) == 0x5eed, NULL);
	srandom(5);
	a = igt_shrink_seed(false, 0);
	srandom(5);
	b = igt_shrink_seed(false, 0);
	check(a == b, NULL);	/* same IGT_SRANDOM, same seed */
	srandom(6);
	check(igt_shrink_seed(false, 0) != a, NULL);
	check(a >> 32, NULL);	/* the upper half is used */
}

int main(int argc, char **argv)
{
	test_parse();
	test_seed();
	for (int i = 1; i < argc; i++)
		test_binary(argv[i]);
	check(argc > 1, NULL);	/* meson passes the test binaries */
	return checks_done("igt_shrink_opts");
}
