// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <stddef.h>

#include "igt_core.h"
#include "intel_gpu_commands.h"
#include "xe_spin.h"

static uint32_t lo32(uint64_t v)
{
	return (uint32_t)v;
}

static uint32_t hi32(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

/**
 * xe_spin_init:
 * @spin: the spinner, in CPU-mapped memory bound at @opts->addr
 * @opts: where it runs and how
 *
 * Writes the batch: store a non-zero value to @spin->start; then, in a
 * loop (with an arbitration point when @opts->preempt), end the batch once
 * @spin->end reads 0 (MI_CONDITIONAL_BATCH_BUFFER_END compares the dword in
 * memory with the inline 0 and ends when it is not greater), else jump back.
 * Sets @start to 0 and @end to non-zero.
 */
void xe_spin_init(struct xe_spin *spin, struct xe_spin_opts *opts)
{
	uint64_t start = opts->addr + offsetof(struct xe_spin, start);
	uint64_t end = opts->addr + offsetof(struct xe_spin, end);
	uint64_t loop;
	unsigned int n = 0;

	igt_assert_f(!opts->ctx_ticks && !opts->write_timestamp,
		     "timed spinners are not implemented in this xe_spin\n");

	spin->start = 0;
	spin->end = 0xffffffff;
	spin->ticks_delta = 0;

	spin->batch[n++] = MI_STORE_DWORD_IMM_GEN4;
	spin->batch[n++] = lo32(start);
	spin->batch[n++] = hi32(start);
	spin->batch[n++] = 0xc0ffee;

	loop = opts->addr + n * sizeof(uint32_t);
	if (opts->preempt)
		spin->batch[n++] = MI_ARB_CHECK;

	spin->batch[n++] = MI_CONDITIONAL_BATCH_BUFFER_END | MI_DO_COMPARE | 2;
	spin->batch[n++] = 0;
	spin->batch[n++] = lo32(end);
	spin->batch[n++] = hi32(end);

	spin->batch[n++] = MI_BATCH_BUFFER_START | MI_BATCH_PPGTT_HSW | 1;
	spin->batch[n++] = lo32(loop);
	spin->batch[n++] = hi32(loop);

	igt_assert(n <= sizeof(spin->batch) / sizeof(spin->batch[0]));
}

/**
 * xe_spin_started:
 * @spin: a spinner set up by xe_spin_init()
 *
 * Returns: whether the GPU has started running it.
 */
bool xe_spin_started(struct xe_spin *spin)
{
	return __atomic_load_n(&spin->start, __ATOMIC_ACQUIRE) != 0;
}

/**
 * xe_spin_wait_started:
 * @spin: a submitted spinner
 *
 * Busy-waits until the GPU runs the spinner. There is no time limit, as
 * upstream has none: a test that may wait on a spinner that never starts
 * bounds the wait itself, with igt_set_timeout().
 */
void xe_spin_wait_started(struct xe_spin *spin)
{
	while (!xe_spin_started(spin))
		;
}

/**
 * xe_spin_end:
 * @spin: a spinner set up by xe_spin_init()
 *
 * Lets the spinner's batch end on its next pass. Async-signal safe: a
 * single store, usable from an exit handler.
 */
void xe_spin_end(struct xe_spin *spin)
{
	__atomic_store_n(&spin->end, 0, __ATOMIC_RELEASE);
}
