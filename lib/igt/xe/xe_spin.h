/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * A spinning batch for xe: the subset of upstream IGT's lib/xe/xe_spin.h the
 * tests use, with upstream's names, structure layout and semantics. The
 * spinner writes @start once it runs and loops until @end is cleared by the
 * CPU. Left out: timed spinners (@ctx_ticks, @write_timestamp), the memory
 * copy option, the igt_spin wrappers and xe_cork.
 */

#ifndef XE_SPIN_H
#define XE_SPIN_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct xe_spin_opts:
 * @addr: GPU virtual address of the struct xe_spin the batch runs from
 * @preempt: put an arbitration point in the loop, so the spinner can be
 *	     preempted (and a job timeout can stop it)
 * @ctx_ticks: stop after this many context timestamp ticks; not supported
 *	       here, must be 0
 * @write_timestamp: not supported here, must be false
 */
struct xe_spin_opts {
	uint64_t addr;
	bool preempt;
	uint32_t ctx_ticks;
	bool write_timestamp;
};

/**
 * struct xe_spin:
 * @batch: the spinning batch
 * @pad: scratch dword
 * @start: set to non-zero by the GPU once the spinner runs
 * @end: the spinner loops while this is non-zero
 * @ticks_delta: unused here (timed spinners)
 * @exec_sync: unused here
 * @timestamp: unused here
 *
 * Lives in a BO mapped by the CPU and bound at xe_spin_opts.addr.
 */
struct xe_spin {
	uint32_t batch[128];
	uint64_t pad;
	uint32_t start;
	uint32_t end;
	uint32_t ticks_delta;
	uint64_t exec_sync;
	uint32_t timestamp;
};

void xe_spin_init(struct xe_spin *spin, struct xe_spin_opts *opts);
#define xe_spin_init_opts(spin, ...) \
	xe_spin_init(spin, &((struct xe_spin_opts){__VA_ARGS__}))
bool xe_spin_started(struct xe_spin *spin);
void xe_spin_wait_started(struct xe_spin *spin);
void xe_spin_end(struct xe_spin *spin);

#endif /* XE_SPIN_H */
