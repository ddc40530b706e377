/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_KNOB_H
#define IGT_KNOB_H

#include <stdbool.h>

int __igt_knob_set(const char *path, const char *value);
void igt_knob_set(const char *path, const char *value);
int igt_knob_restore(const char *path);
int igt_knob_restore_all(void);
int igt_knob_saved_count(void);

#endif /* IGT_KNOB_H */
