// SPDX-License-Identifier: GPL-2.0
/*
 * vxe's VRAM, for the discrete personality: a fixed pool of RAM pages set
 * aside at load, addressed as one linear range and managed with the
 * kernel's buddy allocator in a TTM resource manager, as xe_ttm_vram_mgr
 * manages a tile's VRAM. The first visible_size bytes stand in for the
 * CPU-visible part (the BAR); NEEDS_VISIBLE_VRAM BOs are placed there and
 * CPU mappings go through TTM's io-memory hooks.
 *
 * The pool is RAM: a "BAR" mapping inserts the pool page's own pfn, and the
 * copies of evictions are CPU copies between pages (no ioremap anywhere:
 * x86 refuses to ioremap RAM).
 */

#include <linux/gpu_buddy.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include "vxe_device_types.h"
#include "vxe_vram.h"

struct vxe_vram {
	struct ttm_resource_manager man;
	struct gpu_buddy mm;
	struct mutex lock;		/* guards mm and visible_used */
	struct page **pages;		/* the pool, by VRAM page index */
	unsigned long num_pages;
	u64 visible_size;		/* bytes: the CPU-visible start of the range */
	u64 visible_used;		/* bytes allocated below visible_size */
};

/* A VRAM resource: its buddy blocks, and how much of it is CPU-visible. */
struct vxe_vram_res {
	struct ttm_resource base;
	struct list_head blocks;
	u64 visible;
};

static struct vxe_vram *to_vram(struct ttm_resource_manager *man)
{
	return container_of(man, struct vxe_vram, man);
}

static struct vxe_vram_res *to_vram_res(struct ttm_resource *res)
{
	return container_of(res, struct vxe_vram_res, base);
}

/* Bytes of [start, start + size) below @limit. */
static u64 part_below(u64 start, u64 size, u64 limit)
{
	if (start >= limit)
		return 0;
	return min(start + size, limit) - start;
}

static u64 vres_visible(struct vxe_vram *vram, struct vxe_vram_res *vres)
{
	struct gpu_buddy_block *block;
	u64 visible = 0;

	list_for_each_entry(block, &vres->blocks, link)
		visible += part_below(gpu_buddy_block_offset(block),
				      gpu_buddy_block_size(&vram->mm, block),
				      vram->visible_size);
	return visible;
}

static int vxe_vram_alloc(struct ttm_resource_manager *man,
			  struct ttm_buffer_object *tbo,
			  const struct ttm_place *place,
			  struct ttm_resource **res)
{
	struct vxe_vram *vram = to_vram(man);
	u64 start = (u64)place->fpfn << PAGE_SHIFT;
	u64 end = place->lpfn ? (u64)place->lpfn << PAGE_SHIFT : vram->mm.size;
	u64 min_block = max_t(u64, (u64)tbo->page_alignment << PAGE_SHIFT, PAGE_SIZE);
	unsigned long flags = 0;
	struct vxe_vram_res *vres;
	int ret;

	if (tbo->base.size > end - start)
		return -ENOSPC;
	if (place->fpfn || place->lpfn)
		flags |= GPU_BUDDY_RANGE_ALLOCATION;
	if (place->flags & TTM_PL_FLAG_TOPDOWN)
		flags |= GPU_BUDDY_TOPDOWN_ALLOCATION;
	if (place->flags & TTM_PL_FLAG_CONTIGUOUS)
		flags |= GPU_BUDDY_CONTIGUOUS_ALLOCATION;

	vres = kzalloc(sizeof(*vres), GFP_KERNEL);
	if (!vres)
		return -ENOMEM;
	INIT_LIST_HEAD(&vres->blocks);
	ttm_resource_init(tbo, place, &vres->base);

	mutex_lock(&vram->lock);
	ret = gpu_buddy_alloc_blocks(&vram->mm, start, end, tbo->base.size,
				     min_block, &vres->blocks, flags);
	if (!ret) {
		vres->visible = vres_visible(vram, vres);
		vram->visible_used += vres->visible;
	}
	mutex_unlock(&vram->lock);
	if (ret) {
		ttm_resource_fini(man, &vres->base);
		kfree(vres);
		/* Full (or too fragmented): TTM evicts, or tries the next place. */
		return ret == -ENOMEM ? -ENOSPC : ret;
	}

	/* A start only means something for a single block. */
	vres->base.start = list_is_singular(&vres->blocks) ?
		gpu_buddy_block_offset(list_first_entry(&vres->blocks,
							struct gpu_buddy_block,
							link)) >> PAGE_SHIFT : 0;
	*res = &vres->base;
	return 0;
}

static void vxe_vram_free(struct ttm_resource_manager *man, struct ttm_resource *res)
{
	struct vxe_vram_res *vres = to_vram_res(res);
	struct vxe_vram *vram = to_vram(man);

	mutex_lock(&vram->lock);
	gpu_buddy_free_list(&vram->mm, &vres->blocks, 0);
	vram->visible_used -= vres->visible;
	mutex_unlock(&vram->lock);
	ttm_resource_fini(man, res);
	kfree(vres);
}

/*
 * Whether the blocks of @res lie within @place's page range: any of them
 * (@all false: an eviction would help) or every one (@all true: @res
 * already satisfies @place).
 */
static bool vxe_vram_blocks_within(struct ttm_resource_manager *man,
				   struct ttm_resource *res,
				   const struct ttm_place *place, bool all)
{
	struct vxe_vram_res *vres = to_vram_res(res);
	struct vxe_vram *vram = to_vram(man);
	struct gpu_buddy_block *block;

	if (!place->fpfn && !place->lpfn)
		return true;
	list_for_each_entry(block, &vres->blocks, link) {
		u64 fpfn = gpu_buddy_block_offset(block) >> PAGE_SHIFT;
		u64 lpfn = fpfn + (gpu_buddy_block_size(&vram->mm, block) >> PAGE_SHIFT);
		bool inside = fpfn >= place->fpfn && (!place->lpfn || lpfn <= place->lpfn);
		bool overlaps = place->fpfn < lpfn && (!place->lpfn || place->lpfn > fpfn);

		if (all && !inside)
			return false;
		if (!all && overlaps)
			return true;
	}
	return all;
}

static bool vxe_vram_intersects(struct ttm_resource_manager *man,
				struct ttm_resource *res,
				const struct ttm_place *place, size_t size)
{
	return vxe_vram_blocks_within(man, res, place, false);
}

static bool vxe_vram_compatible(struct ttm_resource_manager *man,
				struct ttm_resource *res,
				const struct ttm_place *place, size_t size)
{
	return vxe_vram_blocks_within(man, res, place, true);
}

static void vxe_vram_debug(struct ttm_resource_manager *man, struct drm_printer *p)
{
	struct vxe_vram *vram = to_vram(man);

	mutex_lock(&vram->lock);
	drm_printf(p, "size %llu, avail %llu, visible %llu, visible used %llu\n",
		   vram->mm.size, vram->mm.avail, vram->visible_size, vram->visible_used);
	mutex_unlock(&vram->lock);
}

static const struct ttm_resource_manager_func vxe_vram_func = {
	.alloc = vxe_vram_alloc,
	.free = vxe_vram_free,
	.intersects = vxe_vram_intersects,
	.compatible = vxe_vram_compatible,
	.debug = vxe_vram_debug,
};

static void vxe_vram_free_pool(struct vxe_vram *vram)
{
	unsigned long i;

	for (i = 0; i < vram->num_pages; i++)
		if (vram->pages[i])
			__free_page(vram->pages[i]);
	kvfree(vram->pages);
}

/**
 * vxe_vram_init() - set the VRAM pool aside and register its TTM manager
 * @vxe: the device
 * @size: VRAM bytes, a multiple of PAGE_SIZE
 * @visible: CPU-visible bytes at the start of it, at most @size
 *
 * Return: 0, or -ENOMEM when the pool cannot be allocated.
 */
int vxe_vram_init(struct vxe_device *vxe, u64 size, u64 visible)
{
	struct vxe_vram *vram;
	unsigned long i;
	int ret;

	vram = kzalloc(sizeof(*vram), GFP_KERNEL);
	if (!vram)
		return -ENOMEM;
	vram->num_pages = size >> PAGE_SHIFT;
	vram->visible_size = visible;
	mutex_init(&vram->lock);
	vram->pages = kvcalloc(vram->num_pages, sizeof(*vram->pages), GFP_KERNEL);
	if (!vram->pages) {
		ret = -ENOMEM;
		goto err_free;
	}
	/* Pinned for the module's lifetime: the kernel never reclaims them. */
	for (i = 0; i < vram->num_pages; i++) {
		vram->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
					    __GFP_RETRY_MAYFAIL);
		if (!vram->pages[i]) {
			ret = -ENOMEM;
			goto err_pool;
		}
	}
	ret = gpu_buddy_init(&vram->mm, size, PAGE_SIZE);
	if (ret)
		goto err_pool;

	vram->man.func = &vxe_vram_func;
	vram->man.use_tt = false;
	ttm_resource_manager_init(&vram->man, &vxe->ttm, vram->num_pages);
	ttm_set_driver_manager(&vxe->ttm, VXE_PL_VRAM, &vram->man);
	ttm_resource_manager_set_used(&vram->man, true);
	vxe->vram = vram;
	return 0;

err_pool:
	vxe_vram_free_pool(vram);
err_free:
	mutex_destroy(&vram->lock);
	kfree(vram);
	return ret;
}

/**
 * vxe_vram_fini() - evict what is left, remove the manager, free the pool
 * @vxe: the device (without VRAM: nothing to do)
 */
void vxe_vram_fini(struct vxe_device *vxe)
{
	struct vxe_vram *vram = vxe->vram;

	if (!vram)
		return;
	ttm_resource_manager_set_used(&vram->man, false);
	ttm_resource_manager_evict_all(&vxe->ttm, &vram->man);
	ttm_resource_manager_cleanup(&vram->man);
	ttm_set_driver_manager(&vxe->ttm, VXE_PL_VRAM, NULL);
	/* gpu_buddy_fini() warns about any block still allocated. */
	gpu_buddy_fini(&vram->mm);
	vxe_vram_free_pool(vram);
	mutex_destroy(&vram->lock);
	kfree(vram);
	vxe->vram = NULL;
}

/**
 * vxe_vram_page() - the pool page behind page @pgoff of a VRAM resource
 * @vxe: the device
 * @res: a resource of the VRAM manager
 * @pgoff: page index into the resource
 *
 * Return: the page, or NULL when @pgoff is beyond the resource.
 */
struct page *vxe_vram_page(struct vxe_device *vxe, struct ttm_resource *res,
			   pgoff_t pgoff)
{
	struct vxe_vram *vram = vxe->vram;
	struct gpu_buddy_block *block;
	u64 offset = (u64)pgoff << PAGE_SHIFT;

	list_for_each_entry(block, &to_vram_res(res)->blocks, link) {
		u64 size = gpu_buddy_block_size(&vram->mm, block);

		if (offset < size)
			return vram->pages[(gpu_buddy_block_offset(block) + offset) >> PAGE_SHIFT];
		offset -= size;
	}
	return NULL;
}

/**
 * vxe_vram_res_visible() - whether all of a VRAM resource is CPU-visible
 * @res: a resource of the VRAM manager
 *
 * Return: true when every page lies below the visible size.
 */
bool vxe_vram_res_visible(struct ttm_resource *res)
{
	return to_vram_res(res)->visible == res->size;
}

/**
 * vxe_vram_sizes() - the sizes MEM_REGIONS reports
 * @vxe: the device, with VRAM
 * @sizes: filled with the total, used, visible and visible-used bytes
 */
void vxe_vram_sizes(struct vxe_device *vxe, struct vxe_vram_sizes *sizes)
{
	struct vxe_vram *vram = vxe->vram;

	mutex_lock(&vram->lock);
	sizes->total = vram->mm.size;
	sizes->used = vram->mm.size - vram->mm.avail;
	sizes->visible = vram->visible_size;
	sizes->visible_used = vram->visible_used;
	mutex_unlock(&vram->lock);
}

/** vxe_vram_visible_pages() - the CPU-visible size in pages (a place's lpfn) */
unsigned long vxe_vram_visible_pages(struct vxe_device *vxe)
{
	return vxe->vram->visible_size >> PAGE_SHIFT;
}

/** vxe_vram_pages() - the VRAM size in pages */
unsigned long vxe_vram_pages(struct vxe_device *vxe)
{
	return vxe->vram->num_pages;
}
