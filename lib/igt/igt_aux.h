/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Assorted helpers from upstream IGT's lib/igt_aux.h: locking memory away,
 * mount points, and the small arithmetic macros tests use.
 */

#ifndef IGT_AUX_H
#define IGT_AUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_core.h"
#include "igt_os.h"

void igt_lock_mem(size_t size);
void igt_unlock_mem(void);
bool igt_is_mountpoint(const char *path);
uint64_t vfs_file_max(void);

/* Each argument is evaluated once; both must have compatible types. */
#define min(x, y) ({ \
	typeof(x) igt_unique(min_x) = (x); \
	typeof(y) igt_unique(min_y) = (y); \
	(void)(&igt_unique(min_x) == &igt_unique(min_y)); \
	igt_unique(min_x) < igt_unique(min_y) ? igt_unique(min_x) : igt_unique(min_y); })
#define max(x, y) ({ \
	typeof(x) igt_unique(max_x) = (x); \
	typeof(y) igt_unique(max_y) = (y); \
	(void)(&igt_unique(max_x) == &igt_unique(max_y)); \
	igt_unique(max_x) > igt_unique(max_y) ? igt_unique(max_x) : igt_unique(max_y); })
#define min_t(t, x, y) min((t)(x), (t)(y))
#define max_t(t, x, y) max((t)(x), (t)(y))
#define clamp(val, lo, hi) min(max(val, lo), hi)

/* Number of bits set in @x (32 or 64 bits wide). */
#define igt_hweight(x) \
	__builtin_choose_expr(sizeof(x) == 8, __builtin_popcountll(x), \
			      __builtin_popcount(x))

/* Index (from 1) of the highest bit set in @x, 0 for 0. */
#define igt_fls(x) ((x) ? __builtin_choose_expr(sizeof(x) == 8, \
						64 - __builtin_clzll(x), \
						32 - __builtin_clz(x)) : 0)

#define is_power_of_two(x) (((x) & ((x) - 1)) == 0)
#define roundup_power_of_two(x) ((x) != 0 ? 1ULL << igt_fls((x) - 1) : 0)

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define DIV_ROUND_CLOSEST(n, d) (((n) + (d) / 2) / (d))

#endif /* IGT_AUX_H */
