// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * igt_memcpy_from_wc(): the same bytes as memcpy() for every source
 * alignment and length around the 16- and 64-byte steps of the streaming
 * path, and not a byte written outside the destination.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "igt_x86.h"
#include "igt_tests_common.h"

#define ROOM 1024

int main(void)
{
	static uint8_t src[ROOM + 64] __attribute__((aligned(64)));
	static uint8_t dst[ROOM + 64], want[ROOM + 64];
	unsigned int bad = 0;

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 131 + 7);

	for (unsigned int align = 0; align < 32; align++) {
		for (unsigned int len = 0; len <= 300; len++) {
			memset(dst, 0x5a, sizeof(dst));
			memset(want, 0x5a, sizeof(want));
			memcpy(want + 3, src + align, len);
			igt_memcpy_from_wc(dst + 3, src + align, len);
			bad += memcmp(dst, want, sizeof(dst)) != 0;
		}
	}
	check(bad == 0, NULL);

	memset(dst, 0, sizeof(dst));
	igt_memcpy_from_wc(dst, src, ROOM);
	check(memcmp(dst, src, ROOM) == 0, NULL);
	return checks_done("igt_memcpy_from_wc");
}
