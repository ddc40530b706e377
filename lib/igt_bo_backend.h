/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_BO_BACKEND_H
#define IGT_BO_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

/**
 * enum igt_bo_backend_kind:
 * @IGT_BO_BACKEND_DUMB: KMS dumb buffers, any driver with dumb buffer support
 * @IGT_BO_BACKEND_XE: xe native BOs in system memory
 */
enum igt_bo_backend_kind {
	IGT_BO_BACKEND_DUMB,
	IGT_BO_BACKEND_XE,
};

/**
 * struct igt_bo_backend:
 * @fd: the open DRM device
 * @kind: how BOs are made
 * @wc: xe only: write-combined CPU caching instead of write-back
 *
 * Creates buffer objects of a given size on a device, whatever the driver.
 */
struct igt_bo_backend {
	int fd;
	enum igt_bo_backend_kind kind;
	bool wc;
};

/**
 * struct igt_backend_bo:
 * @handle: GEM handle
 * @size: size in bytes (may exceed the size asked for)
 * @map: CPU mapping of the whole BO, or NULL
 *
 * One buffer object made by a backend.
 */
struct igt_backend_bo {
	uint32_t handle;
	uint64_t size;
	void *map;
};

void igt_bo_backend_init(struct igt_bo_backend *be, int fd, bool wc);
const char *igt_bo_backend_name(const struct igt_bo_backend *be);
int igt_bo_backend_create(struct igt_bo_backend *be, uint64_t size,
			  struct igt_backend_bo *bo);
void *igt_bo_backend_map(struct igt_bo_backend *be, struct igt_backend_bo *bo);
void igt_bo_backend_unmap(struct igt_backend_bo *bo);
void igt_bo_backend_destroy(struct igt_bo_backend *be, struct igt_backend_bo *bo);

#endif /* IGT_BO_BACKEND_H */
