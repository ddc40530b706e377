/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SHRINK_SAMPLE_H
#define IGT_SHRINK_SAMPLE_H

#include <stdint.h>

#define IGT_SHRINK_PAGE 4096ull

uint64_t igt_shrink_sample_offset(uint64_t seed, uint32_t bo, uint64_t page,
				  unsigned int lane);
uint32_t igt_shrink_pattern_dword(uint64_t seed, uint32_t bo, uint64_t offset);
uint32_t igt_shrink_gpu_dword(uint64_t seed, uint32_t bo, uint64_t page);

#endif /* IGT_SHRINK_SAMPLE_H */
