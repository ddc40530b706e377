/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The few GPU command encodings the tests use, under the names and with the
 * values of upstream IGT's include/intel_gpu_commands.h (which take them from
 * Intel's PRMs). Upstream's header replaces this one when the tests are built
 * inside IGT.
 */

#ifndef INTEL_GPU_COMMANDS_H
#define INTEL_GPU_COMMANDS_H

#define INSTR_CLIENT_SHIFT	29
#define   INSTR_MI_CLIENT	0x0
#define __INSTR(client) ((client) << INSTR_CLIENT_SHIFT)

/* MI commands: client 0 in bits 31:29, opcode in 28:23, dword length - 2 below */
#define MI_INSTR(opcode, flags) \
	(__INSTR(INSTR_MI_CLIENT) | (opcode) << 23 | (flags))

#define MI_NOOP			MI_INSTR(0, 0)
#define MI_ARB_CHECK		MI_INSTR(0x05, 0)
#define MI_BATCH_BUFFER_END	MI_INSTR(0x0a, 0)
#define MI_STORE_DWORD_IMM_GEN4	MI_INSTR(0x20, 2)
#define MI_BATCH_BUFFER_START	MI_INSTR(0x31, 0)
#define   MI_BATCH_PPGTT_HSW	(1 << 8)
#define MI_CONDITIONAL_BATCH_BUFFER_END	MI_INSTR(0x36, 0)
#define  MI_DO_COMPARE		(1 << 21)

#endif /* INTEL_GPU_COMMANDS_H */
