// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_shrink_opts
 * @short_description: Strict checks of numeric option values
 * @title: option values
 * @include: igt_shrink_opts.h
 *
 * For the opt_handler() of igt_main_args(): a bad value is refused with a
 * message naming the option and the value, and the handler's
 * %IGT_OPT_HANDLER_ERROR makes the test print its usage and exit with
 * %IGT_EXIT_INVALID (79), the exit code of bad use. Both tests take the same
 * options with the same checks: --size-mb, --rounds and --seed
 * (igt_shrink_seed()).
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "igt_core.h"
#include "igt_shrink_opts.h"

/**
 * __igt_shrink_opt_u64:
 * @value: the text given, decimal or 0x-prefixed hexadecimal
 * @min: smallest value allowed
 * @max: largest value allowed
 * @out: receives the number (only on success)
 *
 * Refuses what strtoull() would quietly accept: an empty value, a sign,
 * leading blanks, trailing characters, a number that does not fit.
 *
 * Returns: 0, -EINVAL when @value is no number, -ERANGE when it lies outside
 * @min..@max.
 */
int __igt_shrink_opt_u64(const char *value, uint64_t min, uint64_t max,
			 uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!value || !isdigit((unsigned char)value[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(value, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/**
 * igt_shrink_opt_u64:
 * @option: the long option's name without dashes, for the message
 * @value: the text given
 * @min: smallest value allowed
 * @max: largest value allowed
 * @out: receives the number (only on success)
 *
 * Prints "--@option: invalid value '@value' (...)" to stderr when the value
 * is refused by __igt_shrink_opt_u64().
 *
 * Returns: %IGT_OPT_HANDLER_SUCCESS or %IGT_OPT_HANDLER_ERROR, for the
 * option handler to return.
 */
int igt_shrink_opt_u64(const char *option, const char *value, uint64_t min,
		       uint64_t max, uint64_t *out)
{
	int err = __igt_shrink_opt_u64(value, min, max, out);

	if (!err)
		return IGT_OPT_HANDLER_SUCCESS;
	fprintf(stderr, "--%s: invalid value '%s' (%s %" PRIu64 " to %" PRIu64 ")\n",
		option, value ? value : "", err == -ERANGE ? "out of range:" :
		"expected an integer from", min, max);
	return IGT_OPT_HANDLER_ERROR;
}

/* The options of struct igt_shrink_opts, for igt_main_args() */
const struct option igt_shrink_long_opts[] = {
	{ "size-mb", required_argument, NULL, 'm' },
	{ "rounds", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ }
};

/**
 * igt_shrink_opt_handler:
 * @option: the option's letter in igt_shrink_long_opts
 * @option_index: unused
 * @data: the test's struct igt_shrink_opts
 *
 * --size-mb takes 1 to 2^24, --rounds 1 to 100, --seed any 64-bit number,
 * each checked by igt_shrink_opt_u64().
 *
 * Returns: %IGT_OPT_HANDLER_SUCCESS or %IGT_OPT_HANDLER_ERROR.
 */
int igt_shrink_opt_handler(int option, int option_index, void *data)
{
	struct igt_shrink_opts *opt = data;
	uint64_t rounds;
	int ret;

	switch (option) {
	case 'm':
		return igt_shrink_opt_u64("size-mb", optarg, 1, 1 << 24, &opt->size_mb);
	case 'r':
		ret = igt_shrink_opt_u64("rounds", optarg, 1, 100, &rounds);
		if (ret == IGT_OPT_HANDLER_SUCCESS)
			opt->rounds = rounds;
		return ret;
	case 's':
		opt->seed_set = true;
		return igt_shrink_opt_u64("seed", optarg, 0, UINT64_MAX, &opt->seed);
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
}

/**
 * igt_shrink_seed:
 * @given: whether --seed was given
 * @seed: the --seed value (used only when @given)
 *
 * The seed of a test's BO contents: --seed when given, else one drawn from
 * random(), which the core seeded from $IGT_SRANDOM or the time and printed
 * ("Using IGT_SRANDOM=N"). Either number repeats the run. Prints the seed.
 *
 * Returns: the seed.
 */
uint64_t igt_shrink_seed(bool given, uint64_t seed)
{
	if (!given)
		seed = ((uint64_t)random() << 32) ^ (uint64_t)random();
	igt_info("seed %#" PRIx64 " (--seed to repeat)\n", seed);
	return seed;
}
