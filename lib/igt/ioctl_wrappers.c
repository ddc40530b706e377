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

/**
 * prime_handle_to_fd_for_mmap:
 * @fd: DRM fd
 * @handle: GEM handle to export
 *
 * Exports the object as a read-write dma-buf, so it can be mmapped
 * writable. Older kernels refuse that flag.
 *
 * Returns: the dma-buf fd, or -1 when the kernel refused.
 */
int prime_handle_to_fd_for_mmap(int fd, uint32_t handle)
{
	int dmabuf = -1;

	if (export_handle(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		return -1;

	return dmabuf;
}

/**
 * __prime_fd_to_handle:
 * @fd: DRM fd importing the buffer
 * @dma_buf_fd: dma-buf fd
 * @handle: the new GEM handle on success
 *
 * Returns: 0 or a negative errno value.
 */
int __prime_fd_to_handle(int fd, int dma_buf_fd, uint32_t *handle)
{
	struct drm_prime_handle arg;

	memset(&arg, 0, sizeof(arg));
	arg.fd = dma_buf_fd;
	if (igt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &arg))
		return -errno;
	*handle = arg.handle;

	return 0;
}

/**
 * prime_fd_to_handle:
 * @fd: DRM fd importing the buffer
 * @dma_buf_fd: dma-buf fd
 *
 * Imports a dma-buf, failing the test on error.
 *
 * Returns: the GEM handle.
 */
uint32_t prime_fd_to_handle(int fd, int dma_buf_fd)
{
	uint32_t handle = 0;

	igt_assert_eq(__prime_fd_to_handle(fd, dma_buf_fd, &handle), 0);

	return handle;
}

/**
 * prime_get_size:
 * @dma_buf_fd: dma-buf fd
 *
 * Skips on kernels whose dma-bufs do not support seeking to the end.
 *
 * Returns: the size of the buffer in bytes.
 */
off_t prime_get_size(int dma_buf_fd)
{
	off_t size = lseek(dma_buf_fd, 0, SEEK_END);

	igt_assert(size >= 0 || errno == ESPIPE);
	igt_require(size >= 0);
	errno = 0;

	return size;
}

static void dma_buf_sync(int dma_buf_fd, uint64_t flags, bool write)
{
	struct local_dma_buf_sync arg;

	arg.flags = flags | LOCAL_DMA_BUF_SYNC_READ;
	if (write)
		arg.flags |= LOCAL_DMA_BUF_SYNC_WRITE;
	do_ioctl(dma_buf_fd, LOCAL_DMA_BUF_IOCTL_SYNC, &arg);
}

/**
 * prime_sync_start:
 * @dma_buf_fd: dma-buf fd
 * @write: whether the CPU will write
 *
 * Begins CPU access to a mapped dma-buf.
 */
void prime_sync_start(int dma_buf_fd, bool write)
{
	dma_buf_sync(dma_buf_fd, LOCAL_DMA_BUF_SYNC_START, write);
}

/**
 * prime_sync_end:
 * @dma_buf_fd: dma-buf fd
 * @write: whether the CPU wrote
 *
 * Ends CPU access begun with prime_sync_start().
 */
void prime_sync_end(int dma_buf_fd, bool write)
{
	dma_buf_sync(dma_buf_fd, LOCAL_DMA_BUF_SYNC_END, write);
}

/**
 * igt_has_drm_cap:
 * @fd: DRM fd
 * @capability: DRM_CAP_* value
 *
 * Returns: 1 when the capability is set, 0 when not, a negative errno
 * value when the kernel does not know it.
 */
int igt_has_drm_cap(int fd, uint64_t capability)
{
	uint64_t value = 0;

	if (drmGetCap(fd, capability, &value)) {
		igt_assert_neq(errno, EBADF);
		return -errno;
	}

	return value ? 1 : 0;
}
