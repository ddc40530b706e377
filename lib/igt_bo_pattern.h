/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_BO_PATTERN_H
#define IGT_BO_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct igt_bo_pattern_result:
 * @bo: the BO's index, as passed in
 * @words: 64-bit words compared
 * @mismatches: words that differ from the pattern
 * @offset: byte offset of the first differing word
 * @expected: what that word should hold
 * @found: what it holds
 *
 * Outcome of igt_bo_pattern_verify().
 */
struct igt_bo_pattern_result {
	uint32_t bo;
	uint64_t words;
	uint64_t mismatches;
	uint64_t offset;
	uint64_t expected;
	uint64_t found;
};

uint64_t igt_mix64(uint64_t x);
uint64_t igt_bo_pattern_word(uint64_t seed, uint32_t bo, uint64_t index);
void igt_bo_pattern_fill(void *ptr, uint64_t size, uint64_t seed, uint32_t bo);
uint64_t igt_bo_pattern_verify(const void *ptr, uint64_t size, uint64_t seed,
			       uint32_t bo, struct igt_bo_pattern_result *res);
bool igt_bo_pattern_check(const void *ptr, uint64_t size, uint64_t seed,
			  uint32_t bo);

#endif /* IGT_BO_PATTERN_H */
