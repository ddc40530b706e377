/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * How much memory the machine has, as upstream IGT's lib/igt_os.h.
 */

#ifndef IGT_OS_H
#define IGT_OS_H

#include <stddef.h>
#include <stdint.h>

uint64_t igt_get_meminfo(const char *field);

uint64_t igt_get_total_ram_mb(void);
uint64_t igt_get_avail_ram_mb(void);
uint64_t igt_get_total_swap_mb(void);

int __igt_check_memory(uint64_t count, uint64_t size, unsigned mode,
		       uint64_t *out_required, uint64_t *out_total);
void igt_require_memory(uint64_t count, uint64_t size, unsigned mode);

/* What igt_require_memory() counts: available RAM, and free swap too. */
#define CHECK_RAM 0x1
#define CHECK_SWAP 0x2

void igt_purge_vm_caches(int drm_fd);

#endif /* IGT_OS_H */
