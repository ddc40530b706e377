/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * xe device queries, cached per fd: a subset of upstream IGT's
 * lib/xe/xe_query.h with the same names and behaviour. drm_open_driver()
 * fills the cache (xe_device_get()); the accessors below fail the test
 * when called on an fd that was not set up that way.
 */

#ifndef XE_QUERY_H
#define XE_QUERY_H

#include <stdbool.h>
#include <stdint.h>
#include <strings.h>

#include <drm/xe_drm.h>

#include "igt_aux.h"
#include "igt_core.h"

#define XE_DEFAULT_ALIGNMENT		0x1000
#define XE_DEFAULT_ALIGNMENT_64K	0x10000

/* Largest engine_instance value, for sizing arrays of instances. */
#define XE_MAX_ENGINE_INSTANCE	9

struct intel_pat_cache;

/* What xe_device_get() learnt about one fd. */
struct xe_device {
	int fd;
	struct drm_xe_query_config *config;
	uint32_t *hwconfig;
	uint32_t hwconfig_size;
	struct drm_xe_query_gt_list *gt_list;
	uint64_t gt_mask;		/* bit per gt_id */
	uint64_t tile_mask;		/* bit per tile_id */
	uint64_t memory_regions;	/* bit per region instance */
	struct drm_xe_query_engines *engines;
	struct drm_xe_query_mem_regions *mem_regions;
	uint64_t *vram_size;		/* by gt_id, 0 without VRAM */
	uint64_t *visible_vram_size;	/* by gt_id */
	uint32_t default_alignment;
	bool has_vram;
	uint32_t va_bits;
	uint16_t dev_id;
	struct intel_pat_cache *pat_cache;	/* NULL: no debugfs copy */
};

#ifndef for_if
#define for_if(expr__) if (!(expr__)) {} else
#endif

/**
 * xe_for_each_engine:
 * @__fd: xe fd
 * @__hwe: struct drm_xe_engine_class_instance pointer, set to each engine
 */
#define xe_for_each_engine(__fd, __hwe) \
	for (int igt_unique(__i) = 0; igt_unique(__i) < xe_number_engines(__fd) && \
	     (__hwe = &xe_engine(__fd, igt_unique(__i))->instance); ++igt_unique(__i))

/**
 * xe_for_each_engine_class:
 * @__class: set to each engine class a user can submit to
 */
#define xe_for_each_engine_class(__class) \
	for (__class = 0; __class < DRM_XE_ENGINE_CLASS_COMPUTE + 1; ++__class)

/**
 * xe_for_each_gt:
 * @__fd: xe fd
 * @__gt: set to each GT id
 */
#define xe_for_each_gt(__fd, __gt) \
	for (uint64_t igt_unique(__mask) = xe_device_get(__fd)->gt_mask; \
	     __gt = ffsll(igt_unique(__mask)) - 1, igt_unique(__mask) != 0; \
	     igt_unique(__mask) &= ~(1ull << __gt))

/**
 * xe_for_each_tile:
 * @__fd: xe fd
 * @__tile: set to each tile id
 */
#define xe_for_each_tile(__fd, __tile) \
	for (uint64_t igt_unique(__mask) = xe_device_get(__fd)->tile_mask; \
	     __tile = ffsll(igt_unique(__mask)) - 1, igt_unique(__mask) != 0; \
	     igt_unique(__mask) &= ~(1ull << __tile))

/**
 * xe_for_each_mem_region:
 * @__fd: xe fd
 * @__memreg: mask of regions, e.g. all_memory_regions(fd)
 * @__r: set to each region's single-bit mask
 */
#define xe_for_each_mem_region(__fd, __memreg, __r) \
	for (uint64_t igt_unique(__i) = 0; igt_unique(__i) < igt_fls(__memreg); igt_unique(__i)++) \
		for_if(__r = (__memreg & (1ull << igt_unique(__i))))

#define XE_IS_CLASS_SYSMEM(__region) ((__region)->mem_class == DRM_XE_MEM_REGION_CLASS_SYSMEM)
#define XE_IS_CLASS_VRAM(__region) ((__region)->mem_class == DRM_XE_MEM_REGION_CLASS_VRAM)

void *xe_query_device_may_fail(int fd, uint32_t type, uint32_t *size);

/**
 * xe_query_device:
 * @fd: xe fd
 * @type: DRM_XE_DEVICE_QUERY_*
 * @size: set to the size of the reply; may be NULL
 *
 * Like xe_query_device_may_fail(), failing the test when the query fails.
 *
 * Returns: the malloc'ed reply.
 */
static inline void *xe_query_device(int fd, uint32_t type, uint32_t *size)
{
	void *data = xe_query_device_may_fail(fd, type, size);

	igt_assert_f(data, "xe device query %u failed on fd %d (not an xe device?)\n",
		     type, fd);
	return data;
}

struct xe_device *xe_device_get(int fd);
void xe_device_put(int fd);

unsigned int xe_number_gt(int fd);
unsigned int xe_dev_max_gt(int fd);
uint8_t xe_tiles_count(int fd);
uint64_t all_memory_regions(int fd);
uint64_t system_memory(int fd);
const struct drm_xe_gt *drm_xe_get_gt(struct xe_device *xe_dev, int gt_id);
uint64_t vram_memory(int fd, int gt);
uint64_t vram_if_possible(int fd, int gt);
struct drm_xe_engine *xe_engine(int fd, int idx);
unsigned int xe_number_engines(int fd);
struct drm_xe_mem_region *xe_mem_region(int fd, uint64_t region);
const char *xe_region_name(uint64_t region);
uint16_t xe_region_class(int fd, uint64_t region);
uint32_t xe_min_page_size(int fd, uint64_t region);
struct drm_xe_query_config *xe_config(int fd);
struct drm_xe_query_gt_list *xe_gt_list(int fd);
bool xe_has_vram(int fd);
uint64_t xe_vram_size(int fd, int gt);
uint64_t xe_visible_vram_size(int fd, int gt);
uint64_t xe_available_vram_size(int fd, int gt);
uint64_t xe_visible_available_vram_size(int fd, int gt);
uint32_t xe_get_default_alignment(int fd);
uint32_t xe_va_bits(int fd);
uint16_t xe_dev_id(int fd);
const char *xe_engine_class_short_string(uint32_t engine_class);
bool xe_has_engine_class(int fd, uint16_t engine_class);
struct drm_xe_engine *xe_find_engine_by_class(int fd, uint16_t engine_class);

#endif /* XE_QUERY_H */
