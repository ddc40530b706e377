/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_VMSTAT_H
#define IGT_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct igt_vmstat:
 * @count: number of entries
 * @capacity: allocated entries
 * @name: entry names: /proc/vmstat keys as they are ("pswpout"), /proc/meminfo
 *	  keys prefixed "meminfo." (values in kB), per-size THP statistics as
 *	  "hugepages-2048kB.swpout", and "buddyinfo.free_2M" (free blocks of at
 *	  least 2 MiB, counted in 2 MiB units)
 * @value: entry values; signed, so that a delta can go down
 *
 * A snapshot of the kernel's memory counters, or the difference of two.
 */
struct igt_vmstat {
	unsigned int count;
	unsigned int capacity;
	char (*name)[64];
	int64_t *value;
};

struct igt_vmstat *igt_vmstat_new(void);
struct igt_vmstat *__igt_vmstat_snapshot(void);
struct igt_vmstat *igt_vmstat_snapshot(void);
struct igt_vmstat *igt_vmstat_delta_since(struct igt_vmstat *before);
struct igt_vmstat *igt_vmstat_delta(const struct igt_vmstat *before,
				    const struct igt_vmstat *after);
bool igt_vmstat_has(const struct igt_vmstat *s, const char *name);
int64_t igt_vmstat_get(const struct igt_vmstat *s, const char *name);
int64_t igt_vmstat_page_allocs(const struct igt_vmstat *delta);
int igt_vmstat_set(struct igt_vmstat *s, const char *name, int64_t value);
void igt_vmstat_print(const struct igt_vmstat *s, const char *title,
		      const char *const *names);
void igt_vmstat_free(struct igt_vmstat *s);
uint64_t igt_meminfo_kb(const char *field);

#endif /* IGT_VMSTAT_H */
