// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Attribute helpers on a directory fd. Writes go out in one write() where
 * the kernel allows it, because a sysfs store callback sees each write()
 * separately.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_sysfs.h"

/* read() until @len bytes, EOF or an error; returns the count or -errno. */
static ssize_t read_all(int fd, char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return done ? (ssize_t)done : -errno;
		if (n == 0)
			break;
		done += n;
	}

	return done;
}

static ssize_t write_all(int fd, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return done ? (ssize_t)done : -errno;
		if (n == 0)
			break;
		done += n;
	}

	return done;
}

/**
 * igt_sysfs_path:
 * @device: fd of a DRM device node
 * @path: buffer for the result
 * @pathlen: size of @path
 *
 * Returns: @path filled with the sysfs folder of the device node
 * (/sys/dev/char/MAJOR:MINOR), or NULL when @device is not a character
 * device known to sysfs.
 */
char *igt_sysfs_path(int device, char *path, int pathlen)
{
	struct stat st;

	if (device < 0 || fstat(device, &st) || !S_ISCHR(st.st_mode))
		return NULL;
	snprintf(path, pathlen, "/sys/dev/char/%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	if (access(path, F_OK))
		return NULL;

	return path;
}

/**
 * igt_sysfs_read:
 * @dir: directory fd
 * @attr: attribute name
 * @data: buffer
 * @len: size of @data
 *
 * Reads up to @len bytes of @attr (no terminating NUL is added).
 *
 * Returns: the number of bytes read, or a negative errno value.
 */
int igt_sysfs_read(int dir, const char *attr, void *data, int len)
{
	int fd = openat(dir, attr, O_RDONLY | O_CLOEXEC);
	ssize_t ret;

	if (fd < 0)
		return -errno;
	ret = read_all(fd, data, len);
	close(fd);

	return ret;
}

/**
 * igt_sysfs_write:
 * @dir: directory fd
 * @attr: attribute name
 * @data: bytes to write
 * @len: number of bytes
 *
 * Returns: the number of bytes written, or a negative errno value.
 */
int igt_sysfs_write(int dir, const char *attr, const void *data, int len)
{
	int fd = openat(dir, attr, O_WRONLY | O_CLOEXEC);
	ssize_t ret;

	if (fd < 0)
		return -errno;
	ret = write_all(fd, data, len);
	close(fd);

	return ret;
}

/**
 * igt_sysfs_get:
 * @dir: directory fd
 * @attr: attribute name
 *
 * Reads the whole attribute, without trailing newlines.
 *
 * Returns: a malloc'ed string the caller frees, or NULL when @attr cannot
 * be opened.
 */
char *igt_sysfs_get(int dir, const char *attr)
{
	size_t size = 256, used = 0;
	char *buf, *bigger;
	ssize_t n;
	int fd;

	fd = openat(dir, attr, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(size);
	while (buf) {
		n = read_all(fd, buf + used, size - used - 1);
		if (n > 0)
			used += n;
		if (n <= 0 || used < size - 1)
			break;
		size *= 2;
		bigger = realloc(buf, size);
		if (!bigger)
			break;
		buf = bigger;
	}
	close(fd);
	if (!buf)
		return NULL;

	while (used && buf[used - 1] == '\n')
		used--;
	buf[used] = '\0';

	return buf;
}

/**
 * igt_sysfs_vprintf:
 * @dir: directory fd
 * @attr: attribute name
 * @fmt: printf format
 * @ap: arguments
 *
 * Formats the value and writes it with one write(). An empty result is
 * written as a single NUL byte and reported as 0 bytes.
 *
 * Returns: the length written, or a negative errno value.
 */
int igt_sysfs_vprintf(int dir, const char *attr, const char *fmt, va_list ap)
{
	char *buf = NULL;
	int len, ret;

	len = vasprintf(&buf, fmt, ap);
	if (len < 0)
		return -ENOMEM;

	ret = igt_sysfs_write(dir, attr, buf, len ?: 1);
	if (!len && ret == 1)
		ret = 0;
	free(buf);

	return ret;
}

/**
 * igt_sysfs_printf:
 * @dir: directory fd
 * @attr: attribute name
 * @fmt: printf format
 *
 * See igt_sysfs_vprintf().
 *
 * Returns: the length written, or a negative errno value.
 */
int igt_sysfs_printf(int dir, const char *attr, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = igt_sysfs_vprintf(dir, attr, fmt, ap);
	va_end(ap);

	return ret;
}
