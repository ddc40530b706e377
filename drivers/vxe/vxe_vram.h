/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VRAM region of the discrete personality (vxe_vram.c, as xe's
 * xe_ttm_vram_mgr.h).
 */
#ifndef VXE_VRAM_H
#define VXE_VRAM_H

#include <linux/types.h>

#include <drm/ttm/ttm_placement.h>

struct page;
struct ttm_resource;
struct vxe_device;

/* The TTM memory type of the VRAM region (xe's XE_PL_VRAM0). */
#define VXE_PL_VRAM	TTM_PL_VRAM

/* The GEM_CREATE placement bit and MEM_REGIONS instance of VRAM. */
#define VXE_REGION_VRAM	1

struct vxe_vram_sizes {
	u64 total;
	u64 used;
	u64 visible;
	u64 visible_used;
};

int vxe_vram_init(struct vxe_device *vxe, u64 size, u64 visible);
void vxe_vram_fini(struct vxe_device *vxe);
struct page *vxe_vram_page(struct vxe_device *vxe, struct ttm_resource *res,
			   pgoff_t pgoff);
bool vxe_vram_res_visible(struct ttm_resource *res);
void vxe_vram_sizes(struct vxe_device *vxe, struct vxe_vram_sizes *sizes);
unsigned long vxe_vram_visible_pages(struct vxe_device *vxe);
unsigned long vxe_vram_pages(struct vxe_device *vxe);

#endif
