/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_THP_H
#define IGT_THP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_vmstat.h"

#define IGT_THP_SYSFS "/sys/kernel/mm/transparent_hugepage"

bool igt_thp_available(void);
char *igt_thp_get(const char *knob, char *buf, size_t len);
int __igt_thp_set(const char *knob, const char *value);
void igt_thp_set(const char *knob, const char *value);
int igt_thp_restore(const char *knob);
bool igt_thp_has_swap_stats(const struct igt_vmstat *s);

#endif /* IGT_THP_H */
