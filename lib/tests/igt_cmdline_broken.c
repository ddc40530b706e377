// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * A binary that breaks the command-line rules on purpose (two subtests with
 * the same name): tests/igt_command_line.sh must reject it.
 */

#include "igt.h"

int igt_main()
{
	igt_subtest("twice")
		;
	igt_subtest("twice")
		;
}
