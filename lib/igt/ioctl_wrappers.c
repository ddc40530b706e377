// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "ioctl_wrappers.h"

__thread int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

/**
 * gem_close:
 * @fd: DRM fd
 * @handle: GEM handle, not 0
 *
 * Releases the handle (DRM_IOCTL_GEM_CLOSE); the object goes away with its
 * last reference. Fails the test when the kernel refuses.
 */
void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg;

	igt_assert_neq(handle, 0);
	memset(&arg, 0, sizeof(arg));
	arg.handle = handle;
	do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

static int export_handle(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle arg;

	memset(&arg, 0, sizeof(arg));
	arg.handle = handle;
	arg.flags = flags;
	arg.fd = -1;
	if (igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &arg))
		return -errno;
	*dmabuf = arg.fd;

	return 0;
}

/**
 * prime_handle_to_fd:
 * @fd: DRM fd
 * @handle: GEM handle to export
 *
 * Exports the object as a dma-buf (close-on-exec, read-only for mmap).
 * Fails the test on error.
 *
 * Returns: the dma-buf fd.
 */
int prime_handle_to_fd(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(export_handle(fd, handle, DRM_CLOEXEC, &dmabuf), 0);
	errno = 0;

	return dmabuf;
}
