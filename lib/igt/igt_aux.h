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
#include <time.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_os.h"

void igt_lock_mem(size_t size);
void igt_unlock_mem(void);
bool igt_is_mountpoint(const char *path);
uint64_t vfs_file_max(void);

/*
 * min() and max() behave as upstream's: arguments of different types warn
 * (comparison of distinct pointer types); two integer constant expressions
 * give a constant expression; otherwise each argument is evaluated once.
 * Telling constants apart casts each argument to long, so an argument that
 * is a call of a function returning a non-integer (a double) warns under
 * -Wbad-function-cast, as it does in upstream's build.
 */
#define __igt_typecheck(x, y) (!!(sizeof((typeof(x) *)1 == (typeof(y) *)1)))
#define __igt_is_constexpr(x) \
	(sizeof(int) == sizeof(*(1 ? (void *)((long)(x) * 0l) : (int *)1)))
#define __igt_cmp(x, y, op) ((x) op (y) ? (x) : (y))
#define __igt_cmp_once(x, y, ux, uy, op) ({ \
	typeof(x) ux = (x); \
	typeof(y) uy = (y); \
	__igt_cmp(ux, uy, op); })
#define __igt_careful_cmp(x, y, op, name) \
	__builtin_choose_expr(__igt_typecheck(x, y) && \
			      __igt_is_constexpr(x) && __igt_is_constexpr(y), \
			      __igt_cmp(x, y, op), \
			      __igt_cmp_once(x, y, igt_unique(name##_x), \
					     igt_unique(name##_y), op))
#define min(x, y) __igt_careful_cmp(x, y, <, min)
#define max(x, y) __igt_careful_cmp(x, y, >, max)
#define min_t(t, x, y) __igt_careful_cmp((typeof(t))(x), (typeof(t))(y), <, min_t)
#define max_t(t, x, y) __igt_careful_cmp((typeof(t))(x), (typeof(t))(y), >, max_t)
#define clamp(val, lo, hi) min(max(val, lo), hi)

/**
 * igt_wait:
 * @COND: condition to poll
 * @timeout_ms: how long to poll it
 * @interval_ms: sleep between two polls
 *
 * Polls @COND until it holds or @timeout_ms passed, as upstream's macro.
 *
 * Returns: true when @COND held, false at the timeout.
 */
#define igt_wait(COND, timeout_ms, interval_ms) ({ \
	struct timespec start__ = {}; \
	bool held__; \
	igt_nsec_elapsed(&start__); \
	while (!(held__ = (COND)) && \
	       igt_nsec_elapsed(&start__) / 1000000 < (uint64_t)(timeout_ms)) \
		usleep(1000 * (interval_ms)); \
	held__; \
})

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
