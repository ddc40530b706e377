/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * x86 helpers: the subset of upstream IGT's lib/igt_x86.h the tests use,
 * same names and semantics.
 */

#ifndef IGT_X86_H
#define IGT_X86_H

void igt_memcpy_from_wc(void *dst, const void *src, unsigned long len);

#endif /* IGT_X86_H */
