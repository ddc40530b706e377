/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink contributors
 */

#ifndef IGT_SHRINK_OPTS_H
#define IGT_SHRINK_OPTS_H

#include <stdbool.h>
#include <stdint.h>

int __igt_shrink_opt_u64(const char *value, uint64_t min, uint64_t max,
			 uint64_t *out);
int igt_shrink_opt_u64(const char *option, const char *value, uint64_t min,
		       uint64_t max, uint64_t *out);
uint64_t igt_shrink_seed(bool given, uint64_t seed);

#endif /* IGT_SHRINK_OPTS_H */
