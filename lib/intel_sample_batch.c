// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:intel_sample_batch
 * @short_description: Batches that make an Intel GPU read or write samples
 * @title: sample batches
 * @include: intel_sample_batch.h
 *
 * Batch buffers for checking buffer objects from the GPU side, for gen8+
 * command streamers with 48-bit PPGTT addresses (every xe platform):
 * - intel_sample_batch_read(): the GPU copies chosen dwords of BOs into
 *   consecutive dwords of a result BO, for the CPU to compare;
 * - intel_sample_batch_write(): the GPU stores chosen values at chosen
 *   addresses, for the CPU to find later.
 * A job that keeps BOs busy is upstream's spinner (xe/xe_spin.h).
 *
 * Each builder writes into a CPU buffer (usually the mapped batch BO), never
 * past @max_dw, and returns the dwords written including the final
 * MI_BATCH_BUFFER_END, or 0 when the batch does not fit.
 */

#include "intel_sample_batch.h"

static uint32_t lo(uint64_t addr)
{
	return (uint32_t)addr;
}

static uint32_t hi(uint64_t addr)
{
	return (uint32_t)(addr >> 32);
}

/**
 * intel_sample_batch_read:
 * @cs: where to write the batch
 * @max_dw: room at @cs, in dwords
 * @src: GPU virtual addresses to read, dword aligned
 * @count: number of addresses
 * @dst: GPU virtual address of the result, dword aligned; dword i of the
 *	 result receives the dword at @src[i]
 *
 * Returns: dwords written, or 0 when @max_dw is too small.
 */
size_t intel_sample_batch_read(uint32_t *cs, size_t max_dw, const uint64_t *src,
			       size_t count, uint64_t dst)
{
	size_t n = 0;

	if (count * INTEL_SAMPLE_READ_DW + 1 > max_dw)
		return 0;

	for (size_t i = 0; i < count; i++) {
		uint64_t to = dst + 4 * i;

		cs[n++] = MI_COPY_MEM_MEM;
		cs[n++] = lo(to);
		cs[n++] = hi(to);
		cs[n++] = lo(src[i]);
		cs[n++] = hi(src[i]);
	}
	cs[n++] = MI_BATCH_BUFFER_END;

	return n;
}

/**
 * intel_sample_batch_write:
 * @cs: where to write the batch
 * @max_dw: room at @cs, in dwords
 * @dst: GPU virtual addresses to write, dword aligned
 * @values: the dword to store at each address
 * @count: number of addresses
 *
 * Returns: dwords written, or 0 when @max_dw is too small.
 */
size_t intel_sample_batch_write(uint32_t *cs, size_t max_dw, const uint64_t *dst,
				const uint32_t *values, size_t count)
{
	size_t n = 0;

	if (count * INTEL_SAMPLE_WRITE_DW + 1 > max_dw)
		return 0;

	for (size_t i = 0; i < count; i++) {
		cs[n++] = MI_STORE_DWORD_IMM_GEN4;
		cs[n++] = lo(dst[i]);
		cs[n++] = hi(dst[i]);
		cs[n++] = values[i];
	}
	cs[n++] = MI_BATCH_BUFFER_END;

	return n;
}
