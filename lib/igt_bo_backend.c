// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_bo_backend
 * @short_description: Buffer objects of a given size on any DRM device
 * @title: BO backend
 * @include: igt_bo_backend.h
 *
 * Tests about memory management (shrinking, swapping) need plain CPU-mappable
 * buffer objects, not rendering. On xe they are native BOs placed in system
 * memory with WB or WC CPU caching; on every other driver they are KMS dumb
 * buffers, which every TTM-based display driver (qxl, bochs, vmwgfx, amdgpu,
 * radeon, nouveau) provides.
 */

#include <errno.h>
#include <sys/mman.h>

#include "drmtest.h"
#include "igt_bo_backend.h"
#include "igt_core.h"
#include "igt_kms.h"
#include "ioctl_wrappers.h"
#include "xe/xe_ioctl.h"
#include "xe/xe_query.h"

/* Dumb buffers are 32 bpp images this wide: one 4 KiB page per row */
#define DUMB_WIDTH 1024
#define DUMB_BPP 32
#define DUMB_ROW 4096ull

/**
 * igt_bo_backend_init:
 * @be: backend to set up
 * @fd: open DRM device
 * @wc: on xe, ask for write-combined CPU caching (ignored for dumb buffers)
 */
void igt_bo_backend_init(struct igt_bo_backend *be, int fd, bool wc)
{
	be->fd = fd;
	be->kind = is_xe_device(fd) ? IGT_BO_BACKEND_XE : IGT_BO_BACKEND_DUMB;
	be->wc = wc && be->kind == IGT_BO_BACKEND_XE;
}

/**
 * igt_bo_backend_name:
 * @be: backend
 *
 * Returns: a printable description.
 */
const char *igt_bo_backend_name(const struct igt_bo_backend *be)
{
	if (be->kind == IGT_BO_BACKEND_DUMB)
		return "dumb buffers";
	return be->wc ? "xe system BOs, WC" : "xe system BOs, WB";
}

static int dumb_create(struct igt_bo_backend *be, uint64_t size,
		       struct igt_backend_bo *bo)
{
	uint64_t rows = (size + DUMB_ROW - 1) / DUMB_ROW;
	unsigned int stride;

	bo->handle = kmstest_dumb_create(be->fd, DUMB_WIDTH, rows, DUMB_BPP,
					 &stride, &bo->size);
	return bo->handle ? 0 : -ENOMEM;
}

static int xe_create(struct igt_bo_backend *be, uint64_t size,
		     struct igt_backend_bo *bo)
{
	uint16_t caching = be->wc ? DRM_XE_GEM_CPU_CACHING_WC :
				    DRM_XE_GEM_CPU_CACHING_WB;
	int err;

	err = __xe_bo_create_caching(be->fd, 0, size, system_memory(be->fd), 0,
				     caching, &bo->handle);
	if (err)
		return -errno;
	bo->size = size;
	return 0;
}

/**
 * igt_bo_backend_create:
 * @be: backend
 * @size: bytes, a multiple of 4096
 * @bo: receives the new BO, not yet mapped
 *
 * Returns: 0 or -errno.
 */
int igt_bo_backend_create(struct igt_bo_backend *be, uint64_t size,
			  struct igt_backend_bo *bo)
{
	bo->map = NULL;
	bo->handle = 0;
	if (be->kind == IGT_BO_BACKEND_XE)
		return xe_create(be, size, bo);
	return dumb_create(be, size, bo);
}

/**
 * igt_bo_backend_map:
 * @be: backend
 * @bo: a BO from igt_bo_backend_create()
 *
 * Maps the whole BO for CPU reads and writes (fails the test on error).
 *
 * Returns: the mapping, also stored in @bo->map.
 */
void *igt_bo_backend_map(struct igt_bo_backend *be, struct igt_backend_bo *bo)
{
	if (bo->map)
		return bo->map;
	if (be->kind == IGT_BO_BACKEND_XE)
		bo->map = xe_bo_map(be->fd, bo->handle, bo->size);
	else
		bo->map = kmstest_dumb_map_buffer(be->fd, bo->handle, bo->size,
						  PROT_READ | PROT_WRITE);
	return bo->map;
}

/**
 * igt_bo_backend_unmap:
 * @bo: a BO
 */
void igt_bo_backend_unmap(struct igt_backend_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->size);
	bo->map = NULL;
}

/**
 * igt_bo_backend_destroy:
 * @be: backend
 * @bo: a BO, unmapped first if needed
 */
void igt_bo_backend_destroy(struct igt_bo_backend *be, struct igt_backend_bo *bo)
{
	igt_bo_backend_unmap(bo);
	if (bo->handle)
		gem_close(be->fd, bo->handle);
	bo->handle = 0;
}
