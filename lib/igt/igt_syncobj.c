// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Each __ helper returns 0 or a negative errno value and leaves errno at 0;
 * the plain ones fail the test on error.
 */

#include <errno.h>

#include <xf86drm.h>

#include "igt_core.h"
#include "igt_syncobj.h"
#include "ioctl_wrappers.h"

static int syncobj_ioctl(int fd, unsigned long request, void *arg)
{
	int err = 0;

	if (igt_ioctl(fd, request, arg))
		err = -errno;
	errno = 0;

	return err;
}

/**
 * syncobj_create:
 * @fd: DRM fd
 * @flags: DRM_SYNCOBJ_CREATE_* flags, e.g. DRM_SYNCOBJ_CREATE_SIGNALED
 *
 * Returns: the handle of a new sync object.
 */
uint32_t syncobj_create(int fd, uint32_t flags)
{
	struct drm_syncobj_create arg = { .flags = flags };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &arg), 0);
	igt_assert(arg.handle);

	return arg.handle;
}

/**
 * syncobj_destroy:
 * @fd: DRM fd
 * @handle: sync object
 *
 * Releases the sync object handle.
 */
void syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy arg = { .handle = handle };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &arg), 0);
}

/**
 * __syncobj_handle_to_fd:
 * @fd: DRM fd
 * @args: DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD arguments
 *
 * Returns: 0 or a negative errno value.
 */
int __syncobj_handle_to_fd(int fd, struct drm_syncobj_handle *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, args);
}

/**
 * syncobj_handle_to_fd:
 * @fd: DRM fd
 * @handle: sync object
 * @flags: DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_*
 *
 * Returns: an fd for the sync object (or its fence, as @flags asks).
 */
int syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags)
{
	struct drm_syncobj_handle arg = { .handle = handle, .flags = flags };

	igt_assert_eq(__syncobj_handle_to_fd(fd, &arg), 0);
	igt_assert(arg.fd >= 0);

	return arg.fd;
}

/**
 * __syncobj_wait:
 * @fd: DRM fd
 * @args: DRM_IOCTL_SYNCOBJ_WAIT arguments
 *
 * Returns: 0, -ETIME on timeout, or another negative errno value.
 */
int __syncobj_wait(int fd, struct drm_syncobj_wait *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, args);
}

static void fill_wait(struct drm_syncobj_wait *wait, uint32_t *handles,
		      uint32_t count, uint64_t abs_timeout_nsec, uint32_t flags)
{
	*wait = (struct drm_syncobj_wait) {
		.handles = to_user_pointer(handles),
		.timeout_nsec = abs_timeout_nsec,
		.count_handles = count,
		.flags = flags,
	};
}

/**
 * syncobj_wait_err:
 * @fd: DRM fd
 * @handles: sync objects
 * @count: number of @handles
 * @abs_timeout_nsec: absolute CLOCK_MONOTONIC deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Returns: 0 or the negative errno value of the wait.
 */
int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count,
		     uint64_t abs_timeout_nsec, uint32_t flags)
{
	struct drm_syncobj_wait wait;

	fill_wait(&wait, handles, count, abs_timeout_nsec, flags);

	return __syncobj_wait(fd, &wait);
}

/**
 * syncobj_wait:
 * @fd: DRM fd
 * @handles: sync objects
 * @count: number of @handles
 * @abs_timeout_nsec: absolute CLOCK_MONOTONIC deadline (INT64_MAX: forever)
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: with WAIT_FLAGS_WAIT_ALL unset, the index of the first
 *                  signalled object; may be NULL
 *
 * Waits for the sync objects, failing the test on errors other than a
 * timeout.
 *
 * Returns: true when signalled, false on timeout.
 */
bool syncobj_wait(int fd, uint32_t *handles, uint32_t count,
		  uint64_t abs_timeout_nsec, uint32_t flags,
		  uint32_t *first_signaled)
{
	struct drm_syncobj_wait wait;
	int err;

	fill_wait(&wait, handles, count, abs_timeout_nsec, flags);
	err = __syncobj_wait(fd, &wait);
	if (err == -ETIME)
		return false;
	igt_assert_eq(err, 0);
	if (first_signaled)
		*first_signaled = wait.first_signaled;

	return true;
}
