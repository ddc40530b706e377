/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef INTEL_SAMPLE_BATCH_H
#define INTEL_SAMPLE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "intel_gpu_commands.h"

#ifndef MI_COPY_MEM_MEM
/*
 * MI_COPY_MEM_MEM: copies one dword from memory to memory; 5 dwords: header,
 * destination address (low, high), source address (low, high). Opcode 0x2e,
 * bits 22 and 21 select the GGTT for source and destination (clear: PPGTT).
 * As the kernel's xe driver defines it (instructions/xe_mi_commands.h), which
 * emits it on every engine class (xe_ring_ops.c); not in upstream IGT's
 * intel_gpu_commands.h.
 */
#define MI_COPY_MEM_MEM			MI_INSTR(0x2e, 3)
#define   MI_COPY_MEM_MEM_SRC_GGTT	(1 << 22)
#define   MI_COPY_MEM_MEM_DST_GGTT	(1 << 21)
#endif

/* Dwords each command takes: header included */
#define INTEL_SAMPLE_READ_DW	5	/* MI_COPY_MEM_MEM */
#define INTEL_SAMPLE_WRITE_DW	4	/* MI_STORE_DWORD_IMM_GEN4, 64-bit address */

size_t intel_sample_batch_read(uint32_t *cs, size_t max_dw, const uint64_t *src,
			       size_t count, uint64_t dst);
size_t intel_sample_batch_write(uint32_t *cs, size_t max_dw, const uint64_t *dst,
				const uint32_t *values, size_t count);

#endif /* INTEL_SAMPLE_BATCH_H */
