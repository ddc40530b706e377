/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Dumb buffers, the only part of upstream IGT's lib/igt_kms.h this project
 * carries: any KMS driver can allocate them, which makes them the
 * driver-agnostic way to create GEM objects.
 */

#ifndef __IGT_KMS_H__
#define __IGT_KMS_H__

#include <stdint.h>

uint32_t kmstest_dumb_create(int fd, int width, int height, int bpp,
			     unsigned *stride, uint64_t *size);
void *kmstest_dumb_map_buffer(int fd, uint32_t handle, uint64_t size,
			      unsigned prot);

#endif /* __IGT_KMS_H__ */
