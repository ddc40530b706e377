// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Sample batches: every dword the builders emit, checked against the
 * encodings of the instructions (opcode in bits 28:23, dword length - 2 in
 * the low bits, MI client 0 in bits 31:29), as given by Intel's PRMs and
 * written in the kernel's xe driver (instructions/xe_mi_commands.h) and
 * upstream IGT (include/intel_gpu_commands.h):
 *   MI_COPY_MEM_MEM          0x17000003, then dst lo, dst hi, src lo, src hi
 *   MI_STORE_DWORD_IMM_GEN4  0x10000002, then addr lo, addr hi, value
 *   MI_BATCH_BUFFER_END      0x05000000
 * and batches never overrun the room they are given.
 */

#include "intel_sample_batch.h"
#include "igt_tests_common.h"

static void test_read(void)
{
	uint64_t src[2] = { 0x123456789abcull, 0x1000 };
	const uint32_t want[] = {
		0x17000003, 0x40000000, 0x1, 0x56789abc, 0x1234,
		0x17000003, 0x40000004, 0x1, 0x1000, 0x0,
		0x05000000,
	};
	uint32_t cs[16];

	memset(cs, 0xaa, sizeof(cs));
	check(intel_sample_batch_read(cs, 16, src, 2, 0x140000000ull) == 11, NULL);
	check(memcmp(cs, want, sizeof(want)) == 0, NULL);
	check(cs[11] == 0xaaaaaaaa, NULL);

	/* exactly enough room, then one dword short */
	check(intel_sample_batch_read(cs, 11, src, 2, 0) == 11, NULL);
	memset(cs, 0xaa, sizeof(cs));
	check(intel_sample_batch_read(cs, 10, src, 2, 0) == 0, NULL);
	check(cs[0] == 0xaaaaaaaa, NULL);
}

static void test_write(void)
{
	uint64_t dst[2] = { 0x200000004ull, 0xfffffffc };
	uint32_t val[2] = { 0xdeadbeef, 0x1 };
	const uint32_t want[] = {
		0x10000002, 0x4, 0x2, 0xdeadbeef,
		0x10000002, 0xfffffffc, 0x0, 0x1,
		0x05000000,
	};
	uint32_t cs[16];

	check(intel_sample_batch_write(cs, 16, dst, val, 2) == 9, NULL);
	check(memcmp(cs, want, sizeof(want)) == 0, NULL);
	check(intel_sample_batch_write(cs, 8, dst, val, 2) == 0, NULL);
}

int main(int argc, char **argv)
{
	test_read();
	test_write();
	return checks_done("intel_sample_batch");
}
