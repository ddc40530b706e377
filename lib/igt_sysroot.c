// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_sysroot
 * @short_description: One place to resolve /proc and /sys paths
 * @title: sysroot
 * @include: igt_sysroot.h
 *
 * The memory helpers (vmstat, THP, swap, reclaim, TTM) never open /proc or /sys
 * directly: they resolve every path through this file, so that a unit test can
 * point all of them at a fixture tree with igt_sysroot_set().
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_sysroot.h"

static char sysroot[256];

/**
 * igt_sysroot_set:
 * @dir: directory standing in for "/", or NULL (or "") for the real root
 *
 * Makes every helper that reads or writes /proc and /sys resolve its paths
 * under @dir. Meant for unit tests using a fixture tree.
 */
void igt_sysroot_set(const char *dir)
{
	if (!dir)
		dir = "";
	snprintf(sysroot, sizeof(sysroot), "%s", dir);
	/* "/tmp/x/" + "/proc" would still work, but keep paths tidy */
	while (strlen(sysroot) > 1 && sysroot[strlen(sysroot) - 1] == '/')
		sysroot[strlen(sysroot) - 1] = '\0';
	if (!strcmp(sysroot, "/"))
		sysroot[0] = '\0';
}

/**
 * igt_sysroot_path:
 * @path: absolute path as on a real system, e.g. "/proc/vmstat"
 * @buf: where to write the resolved path
 * @len: size of @buf
 *
 * Returns: @buf holding @path under the current root, or NULL if it does not fit.
 */
char *igt_sysroot_path(const char *path, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s%s", sysroot, path);

	return n < 0 || (size_t)n >= len ? NULL : buf;
}

/**
 * igt_sysroot_fopen:
 * @path: absolute path as on a real system
 * @mode: as for fopen()
 *
 * Returns: the opened stream or NULL with errno set.
 */
FILE *igt_sysroot_fopen(const char *path, const char *mode)
{
	char buf[512];

	if (!igt_sysroot_path(path, buf, sizeof(buf))) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(buf, mode);
}

/**
 * igt_sysroot_open:
 * @path: absolute path as on a real system
 * @flags: as for open()
 *
 * Returns: a file descriptor or -1 with errno set.
 */
int igt_sysroot_open(const char *path, int flags)
{
	char buf[512];

	if (!igt_sysroot_path(path, buf, sizeof(buf))) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(buf, flags | O_CLOEXEC, 0644);
}

/**
 * igt_sysroot_read:
 * @path: absolute path as on a real system
 * @buf: destination, always NUL-terminated on success
 * @len: size of @buf
 *
 * Reads up to @len - 1 bytes of a (small) file in one go.
 *
 * Returns: the number of bytes read, or -errno.
 */
int igt_sysroot_read(const char *path, char *buf, size_t len)
{
	ssize_t n = 0, total = 0;
	int fd, err;

	fd = igt_sysroot_open(path, O_RDONLY);
	if (fd < 0)
		return -errno;

	while ((size_t)total < len - 1) {
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;

	buf[total] = '\0';
	return total;
}

/**
 * igt_sysroot_write:
 * @path: absolute path as on a real system
 * @value: string written in a single write()
 *
 * Safe to call from an exit handler: no allocation, no stdio.
 *
 * Returns: 0 on success or -errno (e.g. -EAGAIN from memory.reclaim).
 */
int igt_sysroot_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	/*
	 * O_TRUNC as a shell redirection does: sysfs ignores it, fixtures need
	 * it. O_NONBLOCK changes nothing for /proc, /sys or cgroup files, and
	 * lets a fixture FIFO stand in for a file that answers EAGAIN.
	 */
	fd = igt_sysroot_open(path, O_WRONLY | O_TRUNC | O_NONBLOCK);
	if (fd < 0)
		return -errno;

	do {
		n = write(fd, value, len);
	} while (n < 0 && errno == EINTR);

	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

/**
 * igt_sysroot_read_u64:
 * @path: absolute path as on a real system
 * @value: where to store the number the file starts with
 *
 * Returns: 0 on success or -errno (-EINVAL when the file holds no number).
 */
int igt_sysroot_read_u64(const char *path, unsigned long long *value)
{
	char buf[64], *end;
	int ret;

	ret = igt_sysroot_read(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;

	errno = 0;
	*value = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

/**
 * igt_sysroot_read_selected:
 * @path: a sysfs "choice" file such as "always [madvise] never"
 * @buf: destination for the selected word
 * @len: size of @buf
 *
 * Files without brackets (plain values) are returned whole, trailing
 * whitespace removed.
 *
 * Returns: @buf, or NULL if the file cannot be read.
 */
char *igt_sysroot_read_selected(const char *path, char *buf, size_t len)
{
	char raw[512], *open_br, *close_br, *s;

	if (igt_sysroot_read(path, raw, sizeof(raw)) < 0)
		return NULL;

	open_br = strchr(raw, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (open_br && close_br) {
		*close_br = '\0';
		s = open_br + 1;
	} else {
		s = raw;
		s[strcspn(s, "\n")] = '\0';
		while (*s && s[strlen(s) - 1] == ' ')
			s[strlen(s) - 1] = '\0';
	}
	snprintf(buf, len, "%s", s);
	return buf;
}
