/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Opening DRM devices by driver, as upstream IGT's lib/drmtest.h: same
 * names, flags and behaviour, our own implementation.
 */

#ifndef DRMTEST_H
#define DRMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_core.h"

/*
 * Driver selection bits for drm_open_driver() and friends. Only for tests
 * of driver-specific uAPI; KMS tests use DRIVER_ANY.
 */
#define DRIVER_INTEL	(1 << 0)
#define DRIVER_VC4	(1 << 1)
#define DRIVER_VGEM	(1 << 2)
#define DRIVER_AMDGPU	(1 << 3)
#define DRIVER_V3D	(1 << 4)
#define DRIVER_PANFROST	(1 << 5)
#define DRIVER_MSM	(1 << 6)
#define DRIVER_XE	(1 << 7)
#define DRIVER_VMWGFX	(1 << 8)
#define DRIVER_VKMS	(1 << 9)
#define DRIVER_VIRTIO	(1 << 10)
#define DRIVER_PANTHOR	(1 << 11)

/*
 * Every driver but the virtual ones: on a machine that has vgem, vkms or
 * virtio-gpu next to a real GPU, "any" must not pick the virtual device.
 */
#define DRIVER_ANY	~(DRIVER_VGEM | DRIVER_VKMS | DRIVER_VIRTIO)

/* Tells i915 from xe where code must handle both. */
enum intel_driver {
	INTEL_DRIVER_I915 = 1,
	INTEL_DRIVER_XE,
};

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/**
 * ALIGN:
 * @v: value
 * @a: power-of-two unit
 *
 * Rounds @v up to a multiple of @a.
 */
#define ALIGN(v, a) ALIGN_MASK(v, (typeof(v))(a) - 1)
#define ALIGN_MASK(v, mask) (((v) + (mask)) & ~(mask))

/**
 * ALIGN_DOWN:
 * @x: value
 * @a: power-of-two unit
 *
 * Rounds @x down to a multiple of @a.
 */
#define ALIGN_DOWN(x, a) ALIGN((x) - ((a) - 1), (a))

/**
 * IS_ALIGNED:
 * @v: value
 * @a: power-of-two unit
 *
 * True when @v is a multiple of @a.
 */
#define IS_ALIGNED(v, a) (((v) & ((typeof(v))(a) - 1)) == 0)

int __get_drm_device_name(int fd, char *name, int name_size);
unsigned int drm_get_chipset(int fd);

int __drm_open_device(const char *name, unsigned int chipset);
void drm_load_module(unsigned int chipset);
int __drm_open_driver_another(int idx, int chipset);
int drm_open_driver_another(int idx, int chipset);
int drm_open_driver(int chipset);
int __drm_close_driver(int fd);
int drm_close_driver(int fd);

bool is_i915_device(int fd);
bool is_msm_device(int fd);
bool is_xe_device(int fd);
bool is_intel_device(int fd);

/**
 * do_or_die:
 * @x: expression that returns 0 on success
 *
 * Fails the test unless @x evaluates to 0.
 */
#define do_or_die(x) igt_assert((x) == 0)

/**
 * do_ioctl:
 * @fd: DRM file descriptor
 * @ioc: ioctl request
 * @ioc_data: argument of the request
 *
 * Runs the ioctl through igt_ioctl() and fails the test unless it succeeds.
 */
#define do_ioctl(fd, ioc, ioc_data) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
	errno = 0; \
} while (0)

/**
 * do_ioctl_err:
 * @fd: DRM file descriptor
 * @ioc: ioctl request
 * @ioc_data: argument of the request
 * @err: errno value the ioctl must fail with
 *
 * Runs the ioctl through igt_ioctl() and fails the test unless it fails
 * with @err.
 */
#define do_ioctl_err(fd, ioc, ioc_data, err) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
	igt_assert_eq(errno, err); \
	errno = 0; \
} while (0)

#endif /* DRMTEST_H */
