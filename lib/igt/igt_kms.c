// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

#include "drmtest.h"
#include "igt_kms.h"
#include "ioctl_wrappers.h"

/**
 * kmstest_dumb_create:
 * @fd: DRM fd of a KMS driver
 * @width: width in pixels
 * @height: height in lines
 * @bpp: bits per pixel
 * @stride: set to the pitch the driver chose; may be NULL
 * @size: set to the allocated size in bytes; may be NULL
 *
 * Allocates a dumb buffer, failing the test when the driver refuses or
 * returns less than width * height * bpp / 8 bytes.
 *
 * Returns: the GEM handle.
 */
uint32_t kmstest_dumb_create(int fd, int width, int height, int bpp,
			     unsigned *stride, uint64_t *size)
{
	struct drm_mode_create_dumb arg;

	memset(&arg, 0, sizeof(arg));
	arg.width = width;
	arg.height = height;
	arg.bpp = bpp;
	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);
	igt_assert(arg.handle);
	igt_assert(arg.size >= (uint64_t)width * height * bpp / 8);

	if (stride)
		*stride = arg.pitch;
	if (size)
		*size = arg.size;

	return arg.handle;
}

/**
 * kmstest_dumb_map_buffer:
 * @fd: DRM fd
 * @handle: dumb buffer handle
 * @size: bytes to map
 * @prot: PROT_* flags
 *
 * Maps a dumb buffer (shared mapping), failing the test on error.
 *
 * Returns: the CPU address.
 */
void *kmstest_dumb_map_buffer(int fd, uint32_t handle, uint64_t size,
			      unsigned prot)
{
	struct drm_mode_map_dumb arg = { .handle = handle };
	void *ptr;

	do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &arg);
	ptr = mmap(NULL, size, prot, MAP_SHARED, fd, arg.offset);
	igt_assert(ptr != MAP_FAILED);

	return ptr;
}
