// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * min()/max() as upstream's: constant arguments give a constant expression
 * (usable as an array size and in a static assertion), other arguments are
 * evaluated exactly once, min_t()/max_t() convert first, clamp() bounds.
 * (That a call returning a double warns under -Wbad-function-cast, as in
 * upstream's build, is a compile-time property, not checked here.)
 */

#include <stdint.h>

#include "igt_aux.h"
#include "igt_tests_common.h"

static int calls;

static int counted(int v)
{
	calls++;
	return v;
}

int main(void)
{
	char buf[max(3, 8)];
	int a = 5, b = -2;
	_Static_assert(min(2, 7) == 2, "min of constants is a constant");

	check(sizeof(buf) == 8, NULL);
	check(min(a, b) == -2 && max(a, b) == 5, NULL);
	check(min(1.5, 0.25) == 0.25, NULL);

	calls = 0;
	check(min(counted(4), counted(9)) == 4, NULL);
	check(calls == 2, NULL);
	calls = 0;
	a = 1;
	check(max(a++, 0) == 1 && a == 2, NULL);

	check(min_t(int, 300u, -1) == -1, NULL);
	check(max_t(uint8_t, 0x1ff, 3) == 0xff, NULL);
	check(clamp(12, 0, 10) == 10 && clamp(-3, 0, 10) == 0 && clamp(4, 0, 10) == 4,
	      NULL);
	return checks_done("igt_aux_minmax");
}
