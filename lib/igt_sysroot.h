/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_SYSROOT_H
#define IGT_SYSROOT_H

#include <stddef.h>
#include <stdio.h>

void igt_sysroot_set(const char *dir);
char *igt_sysroot_path(const char *path, char *buf, size_t len);
FILE *igt_sysroot_fopen(const char *path, const char *mode);
int igt_sysroot_open(const char *path, int flags);
int igt_sysroot_read(const char *path, char *buf, size_t len);
int igt_sysroot_write(const char *path, const char *value);
int igt_sysroot_read_u64(const char *path, unsigned long long *value);
char *igt_sysroot_read_selected(const char *path, char *buf, size_t len);

#endif /* IGT_SYSROOT_H */
