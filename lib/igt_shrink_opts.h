/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SHRINK_OPTS_H
#define IGT_SHRINK_OPTS_H

#include <stdbool.h>
#include <getopt.h>
#include <stdint.h>

/**
 * struct igt_shrink_opts:
 * @size_mb: --size-mb, the total BO memory of each subtest in MiB (0: the
 *	     test's automatic size)
 * @rounds: --rounds, 1 to 100
 * @seed: --seed, the seed of the BO contents (see igt_shrink_seed())
 * @seed_set: whether --seed was given
 *
 * The options both shrink tests take, with the same letters and checks:
 * pass igt_shrink_long_opts, igt_shrink_opt_handler and a pointer to this
 * to igt_main_args().
 */
struct igt_shrink_opts {
	uint64_t size_mb;
	unsigned int rounds;
	uint64_t seed;
	bool seed_set;
};

extern const struct option igt_shrink_long_opts[];

int __igt_shrink_opt_u64(const char *value, uint64_t min, uint64_t max,
			 uint64_t *out);
int igt_shrink_opt_u64(const char *option, const char *value, uint64_t min,
		       uint64_t max, uint64_t *out);
int igt_shrink_opt_handler(int option, int option_index, void *data);
uint64_t igt_shrink_seed(bool given, uint64_t seed);

#endif /* IGT_SHRINK_OPTS_H */
