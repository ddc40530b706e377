/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Reading and writing sysfs-style attributes relative to a directory fd,
 * as upstream IGT's lib/igt_sysfs.h. The helpers work on any directory
 * (sysfs, procfs, debugfs, or a plain one).
 */

#ifndef __IGT_SYSFS_H__
#define __IGT_SYSFS_H__

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

char *igt_sysfs_path(int device, char *path, int pathlen);

int igt_sysfs_read(int dir, const char *attr, void *data, int len);
int igt_sysfs_write(int dir, const char *attr, const void *data, int len);

char *igt_sysfs_get(int dir, const char *attr);

int igt_sysfs_vprintf(int dir, const char *attr, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int igt_sysfs_printf(int dir, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* __IGT_SYSFS_H__ */
