// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The query cache: xe_device_get() runs DRM_IOCTL_XE_DEVICE_QUERY for the
 * config, GT list, engines and memory regions once per fd and keeps the
 * replies in a list protected by a mutex; xe_device_put() frees them.
 *
 * Memory regions are named by bit masks whose bit number is the region's
 * "instance" in the uAPI: bit 0 system memory, bits 1.. the VRAM of each
 * tile.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drmtest.h"
#include "intel_pat.h"
#include "ioctl_wrappers.h"
#include "xe/xe_ioctl.h"
#include "xe/xe_query.h"

struct cache_entry {
	struct xe_device *dev;
	struct cache_entry *next;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry *cache_head;

/**
 * xe_query_device_may_fail:
 * @fd: DRM fd
 * @type: DRM_XE_DEVICE_QUERY_*
 * @size: set to the size of the reply (0 on failure); may be NULL
 *
 * Runs a device query: once for the size, once for the data.
 *
 * Returns: the malloc'ed reply, or NULL when the query failed or returned
 * nothing (e.g. @fd is not an xe device, or the kernel lacks @type).
 */
void *xe_query_device_may_fail(int fd, uint32_t type, uint32_t *size)
{
	struct drm_xe_device_query query = { .query = type };
	void *data = NULL;

	if (igt_ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &query) || !query.size) {
		query.size = 0;
		goto out;
	}
	data = calloc(1, query.size);
	igt_assert(data);
	query.data = to_user_pointer(data);
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &query), 0);
out:
	if (size)
		*size = query.size;
	return data;
}

static struct xe_device *cache_find_locked(int fd)
{
	for (struct cache_entry *e = cache_head; e; e = e->next)
		if (e->dev->fd == fd)
			return e->dev;
	return NULL;
}

static struct xe_device *cache_find(int fd)
{
	struct xe_device *dev;

	pthread_mutex_lock(&cache_lock);
	dev = cache_find_locked(fd);
	pthread_mutex_unlock(&cache_lock);

	return dev;
}

/* The cached device of @fd; fails the test when there is none. */
static struct xe_device *cached(int fd)
{
	struct xe_device *dev = cache_find(fd);

	igt_assert_f(dev, "fd %d is not an xe device opened with drm_open_driver() (no xe_device_get())\n",
		     fd);
	return dev;
}

static void xe_device_free(struct xe_device *dev)
{
	free(dev->config);
	free(dev->hwconfig);
	free(dev->gt_list);
	free(dev->engines);
	free(dev->mem_regions);
	free(dev->vram_size);
	free(dev->visible_vram_size);
	free(dev->pat_cache);
	free(dev);
}

/* The region whose instance is bit @bit of a region mask, or NULL. */
static struct drm_xe_mem_region *region_by_bit(struct drm_xe_query_mem_regions *regions,
					       int bit)
{
	for (int i = 0; i < regions->num_mem_regions; i++)
		if (regions->mem_regions[i].instance == bit)
			return &regions->mem_regions[i];

	return NULL;
}

/* The VRAM region closest to @gt, or NULL when it uses system memory. */
static struct drm_xe_mem_region *gt_vram(struct xe_device *dev,
					 const struct drm_xe_gt *gt)
{
	struct drm_xe_mem_region *region;

	igt_assert(gt && gt->near_mem_regions);
	region = region_by_bit(dev->mem_regions, ffsll(gt->near_mem_regions) - 1);

	return region && XE_IS_CLASS_VRAM(region) ? region : NULL;
}

static void fill_memory_info(struct xe_device *dev)
{
	struct drm_xe_query_gt_list *gts = dev->gt_list;
	int slots = igt_fls(dev->gt_mask);

	dev->vram_size = calloc(slots ?: 1, sizeof(*dev->vram_size));
	dev->visible_vram_size = calloc(slots ?: 1, sizeof(*dev->visible_vram_size));
	igt_assert(dev->vram_size && dev->visible_vram_size);

	for (int i = 0; i < gts->num_gt; i++) {
		struct drm_xe_mem_region *vram = gt_vram(dev, &gts->gt_list[i]);

		dev->memory_regions |= gts->gt_list[i].near_mem_regions |
				       gts->gt_list[i].far_mem_regions;
		if (!vram)
			continue;
		dev->vram_size[gts->gt_list[i].gt_id] = vram->total_size;
		dev->visible_vram_size[gts->gt_list[i].gt_id] = vram->cpu_visible_size;
	}

	dev->default_alignment = XE_DEFAULT_ALIGNMENT;
	for (int i = 0; i < dev->mem_regions->num_mem_regions; i++) {
		struct drm_xe_mem_region *r = &dev->mem_regions->mem_regions[i];

		dev->has_vram |= XE_IS_CLASS_VRAM(r);
		if (r->min_page_size > dev->default_alignment)
			dev->default_alignment = r->min_page_size;
	}
}

static struct xe_device *xe_device_query(int fd)
{
	struct xe_device *dev = calloc(1, sizeof(*dev));

	igt_assert(dev);
	dev->fd = fd;
	dev->config = xe_query_device(fd, DRM_XE_DEVICE_QUERY_CONFIG, NULL);
	dev->hwconfig = xe_query_device_may_fail(fd, DRM_XE_DEVICE_QUERY_HWCONFIG,
						 &dev->hwconfig_size);
	dev->va_bits = dev->config->info[DRM_XE_QUERY_CONFIG_VA_BITS];
	dev->dev_id = dev->config->info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID] & 0xffff;
	dev->gt_list = xe_query_device(fd, DRM_XE_DEVICE_QUERY_GT_LIST, NULL);
	for (int i = 0; i < dev->gt_list->num_gt; i++) {
		dev->gt_mask |= 1ull << dev->gt_list->gt_list[i].gt_id;
		dev->tile_mask |= 1ull << dev->gt_list->gt_list[i].tile_id;
	}
	dev->engines = xe_query_device(fd, DRM_XE_DEVICE_QUERY_ENGINES, NULL);
	dev->mem_regions = xe_query_device(fd, DRM_XE_DEVICE_QUERY_MEM_REGIONS, NULL);
	fill_memory_info(dev);

	/* Read the PAT table now, while we may still be root. */
	dev->pat_cache = calloc(1, sizeof(*dev->pat_cache));
	igt_assert(dev->pat_cache);
	if (xe_get_pat_sw_config(fd, dev->pat_cache, 0) <= 0) {
		free(dev->pat_cache);
		dev->pat_cache = NULL;
	}

	return dev;
}

/**
 * xe_device_get:
 * @fd: xe fd
 *
 * Queries the device behind @fd once and caches the answers; later calls
 * return the cached copy. drm_open_driver() calls this for xe fds. Fails
 * the test when @fd is not an xe device.
 *
 * Returns: the cached device description.
 */
struct xe_device *xe_device_get(int fd)
{
	struct xe_device *dev = cache_find(fd), *other;
	struct cache_entry *entry;

	if (dev)
		return dev;
	dev = xe_device_query(fd);

	/* Another thread may have cached the same fd meanwhile. */
	pthread_mutex_lock(&cache_lock);
	other = cache_find_locked(fd);
	if (!other) {
		entry = malloc(sizeof(*entry));
		igt_assert(entry);
		entry->dev = dev;
		entry->next = cache_head;
		cache_head = entry;
	}
	pthread_mutex_unlock(&cache_lock);
	if (other) {
		xe_device_free(dev);
		dev = other;
	}

	return dev;
}

/**
 * xe_device_put:
 * @fd: xe fd
 *
 * Drops the cached description of @fd (drm_close_driver() calls this).
 */
void xe_device_put(int fd)
{
	struct cache_entry **link, *gone = NULL;

	pthread_mutex_lock(&cache_lock);
	for (link = &cache_head; *link; link = &(*link)->next) {
		if ((*link)->dev->fd == fd) {
			gone = *link;
			*link = gone->next;
			break;
		}
	}
	pthread_mutex_unlock(&cache_lock);

	if (gone) {
		xe_device_free(gone->dev);
		free(gone);
	}
}

/**
 * xe_number_gt:
 * @fd: xe fd
 *
 * Returns: the number of GTs.
 */
unsigned int xe_number_gt(int fd)
{
	return cached(fd)->gt_list->num_gt;
}

/**
 * xe_dev_max_gt:
 * @fd: xe fd
 *
 * Returns: the highest GT id (ids may have gaps).
 */
unsigned int xe_dev_max_gt(int fd)
{
	return igt_fls(cached(fd)->gt_mask) - 1;
}

/**
 * xe_tiles_count:
 * @fd: xe fd
 *
 * Returns: the number of tiles.
 */
uint8_t xe_tiles_count(int fd)
{
	return igt_hweight(cached(fd)->tile_mask);
}

/**
 * all_memory_regions:
 * @fd: xe fd
 *
 * Returns: the mask of every memory region a GT can reach.
 */
uint64_t all_memory_regions(int fd)
{
	return cached(fd)->memory_regions;
}

/**
 * system_memory:
 * @fd: xe fd
 *
 * Returns: the system memory region mask (bit 0), or 0 when absent.
 */
uint64_t system_memory(int fd)
{
	return all_memory_regions(fd) & 0x1;
}

/**
 * drm_xe_get_gt:
 * @xe_dev: cached device
 * @gt_id: GT id
 *
 * Returns: the GT with id @gt_id, or NULL.
 */
const struct drm_xe_gt *drm_xe_get_gt(struct xe_device *xe_dev, int gt_id)
{
	for (int i = 0; i < xe_dev->gt_list->num_gt; i++)
		if (xe_dev->gt_list->gt_list[i].gt_id == gt_id)
			return &xe_dev->gt_list->gt_list[i];

	return NULL;
}

/**
 * vram_memory:
 * @fd: xe fd
 * @gt: GT id
 *
 * As upstream's: on a device with VRAM, the GT's whole near-memory mask
 * (drm_xe_gt.near_mem_regions, asserted non-zero), whatever the class of
 * those regions; 0 on integrated GPUs.
 *
 * Returns: a memory region mask for xe_bo_create()'s placement.
 */
uint64_t vram_memory(int fd, int gt)
{
	struct xe_device *dev = cached(fd);
	const struct drm_xe_gt *g;

	igt_assert_f(gt >= 0 && gt < 64 && (dev->gt_mask & (1ull << gt)),
		     "No GT %d\n", gt);
	if (!dev->has_vram)
		return 0;
	g = drm_xe_get_gt(dev, gt);
	igt_assert(g && g->near_mem_regions);

	return g->near_mem_regions;
}

/**
 * vram_if_possible:
 * @fd: xe fd
 * @gt: GT id
 *
 * Returns: vram_memory() when the device has VRAM, else system_memory().
 */
uint64_t vram_if_possible(int fd, int gt)
{
	return vram_memory(fd, gt) ?: system_memory(fd);
}

/**
 * xe_engine:
 * @fd: xe fd
 * @idx: index below xe_number_engines()
 *
 * Returns: engine @idx.
 */
struct drm_xe_engine *xe_engine(int fd, int idx)
{
	struct xe_device *dev = cached(fd);

	igt_assert(idx >= 0 && idx < dev->engines->num_engines);

	return &dev->engines->engines[idx];
}

/**
 * xe_number_engines:
 * @fd: xe fd
 *
 * Returns: the number of engines.
 */
unsigned int xe_number_engines(int fd)
{
	return cached(fd)->engines->num_engines;
}

/**
 * xe_mem_region:
 * @fd: xe fd
 * @region: single-region mask
 *
 * Returns: the description (class, sizes, usage at query time) of @region.
 */
struct drm_xe_mem_region *xe_mem_region(int fd, uint64_t region)
{
	struct drm_xe_mem_region *r;

	igt_assert(region);
	r = region_by_bit(cached(fd)->mem_regions, ffsll(region) - 1);
	igt_assert_f(r, "No memory region 0x%llx\n", (unsigned long long)region);

	return r;
}

/**
 * xe_region_name:
 * @region: single-region mask
 *
 * Returns: "system" for bit 0, "vram<N>" for bit N + 1.
 */
const char *xe_region_name(uint64_t region)
{
	static __thread char name[16];
	int bit = ffsll(region) - 1;

	igt_assert(region);
	if (!bit)
		return "system";
	snprintf(name, sizeof(name), "vram%d", bit - 1);

	return name;
}

/**
 * xe_region_class:
 * @fd: xe fd
 * @region: single-region mask
 *
 * Returns: DRM_XE_MEM_REGION_CLASS_SYSMEM or _VRAM.
 */
uint16_t xe_region_class(int fd, uint64_t region)
{
	return xe_mem_region(fd, region)->mem_class;
}

/**
 * xe_min_page_size:
 * @fd: xe fd
 * @region: single-region mask
 *
 * Returns: the smallest page (and BO size granule) of @region.
 */
uint32_t xe_min_page_size(int fd, uint64_t region)
{
	return xe_mem_region(fd, region)->min_page_size;
}

/**
 * xe_config:
 * @fd: xe fd
 *
 * Returns: the DRM_XE_DEVICE_QUERY_CONFIG reply (info[] by
 * DRM_XE_QUERY_CONFIG_*).
 */
struct drm_xe_query_config *xe_config(int fd)
{
	return cached(fd)->config;
}

/**
 * xe_gt_list:
 * @fd: xe fd
 *
 * Returns: the DRM_XE_DEVICE_QUERY_GT_LIST reply.
 */
struct drm_xe_query_gt_list *xe_gt_list(int fd)
{
	return cached(fd)->gt_list;
}

/**
 * xe_has_vram:
 * @fd: xe fd
 *
 * Returns: true on discrete GPUs (a VRAM region exists).
 */
bool xe_has_vram(int fd)
{
	return cached(fd)->has_vram;
}

static int checked_gt(struct xe_device *dev, int gt)
{
	igt_assert_f(gt >= 0 && gt < 64 && (dev->gt_mask & (1ull << gt)),
		     "No GT %d\n", gt);
	return gt;
}

/**
 * xe_vram_size:
 * @fd: xe fd
 * @gt: GT id
 *
 * Returns: the size of the VRAM near @gt in bytes, 0 without VRAM.
 */
uint64_t xe_vram_size(int fd, int gt)
{
	struct xe_device *dev = cached(fd);

	return dev->vram_size[checked_gt(dev, gt)];
}

/**
 * xe_visible_vram_size:
 * @fd: xe fd
 * @gt: GT id
 *
 * Returns: the CPU-visible part of the VRAM near @gt; kernels that do not
 * report it get the full VRAM size.
 */
uint64_t xe_visible_vram_size(int fd, int gt)
{
	struct xe_device *dev = cached(fd);
	uint64_t visible = dev->visible_vram_size[checked_gt(dev, gt)];

	return visible ?: xe_vram_size(fd, gt);
}

/* Fresh usage figures of the VRAM near @gt; false without VRAM. */
static bool vram_usage_now(int fd, int gt, struct drm_xe_mem_region *out)
{
	struct xe_device *dev = cached(fd);
	struct drm_xe_query_mem_regions *now;
	struct drm_xe_mem_region *vram, *fresh;

	vram = gt_vram(dev, drm_xe_get_gt(dev, checked_gt(dev, gt)));
	if (!vram)
		return false;
	now = xe_query_device(fd, DRM_XE_DEVICE_QUERY_MEM_REGIONS, NULL);
	fresh = region_by_bit(now, vram->instance);
	igt_assert(fresh);
	*out = *fresh;
	free(now);

	return true;
}

/**
 * xe_available_vram_size:
 * @fd: xe fd
 * @gt: GT id
 *
 * Queries the kernel again. Without root (or CAP_PERFMON) the kernel
 * reports no usage, so this equals the total.
 *
 * Returns: the unused bytes of the VRAM near @gt, 0 without VRAM.
 */
uint64_t xe_available_vram_size(int fd, int gt)
{
	struct drm_xe_mem_region r;

	if (!vram_usage_now(fd, gt, &r))
		return 0;

	return r.total_size - r.used;
}

/**
 * xe_visible_available_vram_size:
 * @fd: xe fd
 * @gt: GT id
 *
 * Returns: the unused CPU-visible bytes of the VRAM near @gt.
 */
uint64_t xe_visible_available_vram_size(int fd, int gt)
{
	struct drm_xe_mem_region r;

	if (!vram_usage_now(fd, gt, &r))
		return 0;

	return r.cpu_visible_size - r.cpu_visible_used;
}

/**
 * xe_get_default_alignment:
 * @fd: xe fd
 *
 * Returns: an alignment valid for BO sizes and GPU addresses in every
 * region: the largest min_page_size, at least 4 KiB.
 */
uint32_t xe_get_default_alignment(int fd)
{
	return cached(fd)->default_alignment;
}

/**
 * xe_va_bits:
 * @fd: xe fd
 *
 * Returns: the width of GPU virtual addresses in bits.
 */
uint32_t xe_va_bits(int fd)
{
	return cached(fd)->va_bits;
}

/**
 * xe_dev_id:
 * @fd: xe fd
 *
 * Returns: the PCI device id.
 */
uint16_t xe_dev_id(int fd)
{
	return cached(fd)->dev_id;
}

static const struct {
	const char *name;
	const char *short_name;
} engine_classes[] = {
	[DRM_XE_ENGINE_CLASS_RENDER] = { "DRM_XE_ENGINE_CLASS_RENDER", "rcs" },
	[DRM_XE_ENGINE_CLASS_COPY] = { "DRM_XE_ENGINE_CLASS_COPY", "bcs" },
	[DRM_XE_ENGINE_CLASS_VIDEO_DECODE] = { "DRM_XE_ENGINE_CLASS_VIDEO_DECODE", "vcs" },
	[DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE] = { "DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE", "vecs" },
	[DRM_XE_ENGINE_CLASS_COMPUTE] = { "DRM_XE_ENGINE_CLASS_COMPUTE", "ccs" },
};

/**
 * xe_engine_class_short_string:
 * @engine_class: DRM_XE_ENGINE_CLASS_*
 *
 * Returns: the short name, e.g. "bcs".
 */
const char *xe_engine_class_short_string(uint32_t engine_class)
{
	if (engine_class < ARRAY_SIZE(engine_classes))
		return engine_classes[engine_class].short_name;
	igt_warn("Engine class 0x%x unknown\n", engine_class);

	return "unknown";
}

/**
 * xe_find_engine_by_class:
 * @fd: xe fd
 * @engine_class: DRM_XE_ENGINE_CLASS_*
 *
 * Returns: the first engine of @engine_class, or NULL.
 */
struct drm_xe_engine *xe_find_engine_by_class(int fd, uint16_t engine_class)
{
	struct xe_device *dev = cached(fd);

	for (int i = 0; i < dev->engines->num_engines; i++)
		if (dev->engines->engines[i].instance.engine_class == engine_class)
			return &dev->engines->engines[i];

	return NULL;
}

/**
 * xe_has_engine_class:
 * @fd: xe fd
 * @engine_class: DRM_XE_ENGINE_CLASS_*
 *
 * Returns: true when the device has an engine of @engine_class.
 */
bool xe_has_engine_class(int fd, uint16_t engine_class)
{
	return xe_find_engine_by_class(fd, engine_class) != NULL;
}
