// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt_aux.h"

static char *locked_mem;
static size_t locked_size;

/**
 * igt_lock_mem:
 * @size: MiB to take away from the rest of the system; 0 does nothing
 *
 * Allocates @size MiB, touches every page and mlock()s them, so that the
 * test runs as if the machine had that much less RAM. A previous lock is
 * released first (with a warning). Skips when the allocation fails, fails
 * when mlock() does. Undo with igt_unlock_mem().
 */
void igt_lock_mem(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!size)
		return;
	if (locked_mem) {
		igt_unlock_mem();
		igt_warn("Unlocking previously locked memory.\n");
	}

	locked_size = size << 20;
	locked_mem = malloc(locked_size);
	igt_require_f(locked_mem, "Could not malloc %zuMiB for locking.\n", size);
	for (size_t off = 0; off < locked_size; off += page)
		locked_mem[off] = (char)off | 1;

	igt_assert_f(mlock(locked_mem, locked_size) == 0,
		     "Could not mlock %zuMiB.\n", size);
}

/**
 * igt_unlock_mem:
 *
 * Releases the memory taken by igt_lock_mem(), if any.
 */
void igt_unlock_mem(void)
{
	if (!locked_mem)
		return;
	munlock(locked_mem, locked_size);
	free(locked_mem);
	locked_mem = NULL;
	locked_size = 0;
}

/**
 * igt_is_mountpoint:
 * @path: a directory
 *
 * Returns: true when a filesystem is mounted on @path, i.e. @path lives on
 * another device than its parent.
 */
bool igt_is_mountpoint(const char *path)
{
	char parent[4096];
	struct stat here, up;

	if (stat(path, &here) || !S_ISDIR(here.st_mode))
		return false;
	snprintf(parent, sizeof(parent), "%s/..", path);
	if (stat(parent, &up) || !S_ISDIR(up.st_mode))
		return false;

	return here.st_dev != up.st_dev;
}

/**
 * vfs_file_max:
 *
 * Returns: the system-wide limit of open files (/proc/sys/fs/file-max),
 * 80000 when it cannot be read.
 */
uint64_t vfs_file_max(void)
{
	static unsigned long long cached;
	FILE *file;

	if (cached)
		return cached;
	cached = 80000;
	file = fopen("/proc/sys/fs/file-max", "r");
	if (file) {
		if (fscanf(file, "%llu", &cached) != 1)
			cached = 80000;
		fclose(file);
	}

	return cached;
}
