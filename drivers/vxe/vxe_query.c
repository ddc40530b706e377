// SPDX-License-Identifier: GPL-2.0
/*
 * DRM_XE_DEVICE_QUERY for vxe: the answers of an integrated Tiger Lake
 * part (graphics 12.0, no GMD_ID, no flat CCS, system memory only) with one
 * GT, or with discrete=1 of a DG1 (VRAM region, HAS_VRAM), in the sizes and
 * errno values xe_query.c uses.
 */

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_device_types.h"
#include "vxe_query.h"
#include "vxe_vram.h"

/* Command streamer timestamp frequency of Tiger Lake. */
#define VXE_REFERENCE_CLOCK	19200000u
/* Gen12 engine timestamps are 36 bits wide (xe: 64 from graphics 20 on). */
#define VXE_TIMESTAMP_WIDTH	36

const struct drm_xe_engine_class_instance vxe_engines[] = {
	{ .engine_class = DRM_XE_ENGINE_CLASS_RENDER, .engine_instance = 0, .gt_id = 0 },
	{ .engine_class = DRM_XE_ENGINE_CLASS_COPY, .engine_instance = 0, .gt_id = 0 },
};
const unsigned int vxe_num_engines = ARRAY_SIZE(vxe_engines);

/* A query whose answer has a fixed size: size 0 asks for it, else must match. */
static int vxe_query_size(struct drm_xe_device_query *query, size_t size,
			  bool *size_only)
{
	*size_only = false;
	if (!query->size) {
		query->size = size;
		*size_only = true;
		return 0;
	}
	return query->size == size ? 0 : -EINVAL;
}

static int vxe_query_copy(struct drm_xe_device_query *query, const void *buf,
			  size_t size)
{
	return copy_to_user(u64_to_user_ptr(query->data), buf, size) ? -EFAULT : 0;
}

static int query_engines(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	size_t size = struct_size_t(struct drm_xe_query_engines, engines, vxe_num_engines);
	struct drm_xe_query_engines *engines;
	bool size_only;
	unsigned int i;
	int ret;

	ret = vxe_query_size(query, size, &size_only);
	if (ret || size_only)
		return ret;

	engines = kzalloc(size, GFP_KERNEL);
	if (!engines)
		return -ENOMEM;
	engines->num_engines = vxe_num_engines;
	for (i = 0; i < vxe_num_engines; i++)
		engines->engines[i].instance = vxe_engines[i];

	ret = vxe_query_copy(query, engines, size);
	kfree(engines);
	return ret;
}

static int query_mem_regions(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	u32 num = vxe_is_discrete(vxe) ? 2 : 1;
	size_t size = struct_size_t(struct drm_xe_query_mem_regions, mem_regions, num);
	struct ttm_resource_manager *man = ttm_manager_type(&vxe->ttm, TTM_PL_TT);
	struct drm_xe_query_mem_regions *regions;
	struct drm_xe_mem_region *vram;
	struct vxe_vram_sizes sz;
	bool size_only;
	int ret;

	ret = vxe_query_size(query, size, &size_only);
	if (ret || size_only)
		return ret;

	regions = kzalloc(size, GFP_KERNEL);
	if (!regions)
		return -ENOMEM;
	/* The instance is the bit of the region in GEM_CREATE's placement. */
	regions->num_mem_regions = num;
	regions->mem_regions[0].mem_class = DRM_XE_MEM_REGION_CLASS_SYSMEM;
	regions->mem_regions[0].instance = 0;
	regions->mem_regions[0].min_page_size = PAGE_SIZE;
	regions->mem_regions[0].total_size = (u64)man->size << PAGE_SHIFT;
	regions->mem_regions[0].used = ttm_resource_manager_usage(man);

	if (num > 1) {
		/* DG1 has no XE_VRAM_FLAGS_NEED64K: 4 KiB pages, as xe reports. */
		vxe_vram_sizes(vxe, &sz);
		vram = &regions->mem_regions[1];
		vram->mem_class = DRM_XE_MEM_REGION_CLASS_VRAM;
		vram->instance = VXE_REGION_VRAM;
		vram->min_page_size = PAGE_SIZE;
		vram->total_size = sz.total;
		vram->used = sz.used;
		vram->cpu_visible_size = sz.visible;
		vram->cpu_visible_used = sz.visible_used;
	}

	/* xe answers -ENOSPC when this copy fails. */
	ret = vxe_query_copy(query, regions, size) ? -ENOSPC : 0;
	kfree(regions);
	return ret;
}

static int query_config(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	const u32 num_params = DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY + 1;
	size_t size = struct_size_t(struct drm_xe_query_config, info, num_params);
	struct drm_xe_query_config *config;
	bool size_only;
	int ret;

	ret = vxe_query_size(query, size, &size_only);
	if (ret || size_only)
		return ret;

	config = kzalloc(size, GFP_KERNEL);
	if (!config)
		return -ENOMEM;
	config->num_params = num_params;
	config->info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID] =
		vxe_device_id(vxe) | (VXE_REVISION_ID << 16);
	config->info[DRM_XE_QUERY_CONFIG_FLAGS] = DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY;
	if (vxe_is_discrete(vxe))
		config->info[DRM_XE_QUERY_CONFIG_FLAGS] |= DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM;
#ifdef DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT
	config->info[DRM_XE_QUERY_CONFIG_FLAGS] |= DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT;
#endif
	config->info[DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT] = SZ_4K;
	config->info[DRM_XE_QUERY_CONFIG_VA_BITS] = VXE_VA_BITS;
	/* What xe gives a client without CAP_SYS_NICE: normal. */
	config->info[DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY] = 1;

	ret = vxe_query_copy(query, config, size);
	kfree(config);
	return ret;
}

static int query_gt_list(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	size_t size = struct_size_t(struct drm_xe_query_gt_list, gt_list, 1);
	struct drm_xe_query_gt_list *gts;
	bool size_only;
	int ret;

	ret = vxe_query_size(query, size, &size_only);
	if (ret || size_only)
		return ret;

	gts = kzalloc(size, GFP_KERNEL);
	if (!gts)
		return -ENOMEM;
	gts->num_gt = 1;
	gts->gt_list[0].type = DRM_XE_QUERY_GT_TYPE_MAIN;
	gts->gt_list[0].reference_clock = VXE_REFERENCE_CLOCK;
	/*
	 * Integrated: system memory is near. Discrete: the tile's VRAM is
	 * near, system memory far. No GMD_ID: IP version 0.0.
	 */
	if (vxe_is_discrete(vxe)) {
		gts->gt_list[0].near_mem_regions = BIT(VXE_REGION_VRAM);
		gts->gt_list[0].far_mem_regions = BIT(0);
	} else {
		gts->gt_list[0].near_mem_regions = BIT(0);
		gts->gt_list[0].far_mem_regions = 0;
	}

	ret = vxe_query_copy(query, gts, size);
	kfree(gts);
	return ret;
}

/* No GuC on vxe: an empty hwconfig blob, as xe without one. */
static int query_hwconfig(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	bool size_only;

	return vxe_query_size(query, 0, &size_only);
}

/* Geometry and compute DSS masks (128 bits) and EUs per DSS (32 bits). */
#define VXE_DSS_MASK_BYTES	16
#define VXE_EU_MASK_BYTES	4

static int copy_topo_mask(void __user **ptr, u16 type, u32 bits, size_t bytes)
{
	struct drm_xe_query_topology_mask topo = {
		.gt_id = 0, .type = type, .num_bytes = bytes,
	};
	u8 mask[VXE_DSS_MASK_BYTES] = {};
	u32 i;

	for (i = 0; i < bits; i++)
		mask[i / 8] |= BIT(i % 8);
	if (copy_to_user(*ptr, &topo, sizeof(topo)))
		return -EFAULT;
	*ptr += sizeof(topo);
	if (copy_to_user(*ptr, mask, bytes))
		return -EFAULT;
	*ptr += bytes;
	return 0;
}

static int query_gt_topology(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	size_t size = 3 * sizeof(struct drm_xe_query_topology_mask) +
		      2 * VXE_DSS_MASK_BYTES + VXE_EU_MASK_BYTES;
	void __user *ptr = u64_to_user_ptr(query->data);
	bool size_only;
	int ret;

	ret = vxe_query_size(query, size, &size_only);
	if (ret || size_only)
		return ret;

	/* Tiger Lake GT2: 6 dual-subslices of 16 EUs (8 per subslice, SIMD8). */
	ret = copy_topo_mask(&ptr, DRM_XE_TOPO_DSS_GEOMETRY, 6, VXE_DSS_MASK_BYTES);
	if (!ret)
		ret = copy_topo_mask(&ptr, DRM_XE_TOPO_DSS_COMPUTE, 6, VXE_DSS_MASK_BYTES);
	if (!ret)
		ret = copy_topo_mask(&ptr, DRM_XE_TOPO_EU_PER_DSS, 16, VXE_EU_MASK_BYTES);
	return ret;
}

/**
 * vxe_engine_exists() - whether @eci names one of vxe's engines
 * @eci: class, instance and GT from userspace
 *
 * Return: true for an engine DEVICE_QUERY lists.
 */
bool vxe_engine_exists(const struct drm_xe_engine_class_instance *eci)
{
	unsigned int i;

	for (i = 0; i < vxe_num_engines; i++)
		if (vxe_engines[i].engine_class == eci->engine_class &&
		    vxe_engines[i].engine_instance == eci->engine_instance &&
		    vxe_engines[i].gt_id == eci->gt_id)
			return true;
	return false;
}

static int vxe_cpu_clock(s32 clockid, u64 *ns)
{
	switch (clockid) {
	case CLOCK_MONOTONIC:
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_MONOTONIC_RAW:
		*ns = ktime_get_raw_ns();
		return 0;
	case CLOCK_REALTIME:
		*ns = ktime_get_real_ns();
		return 0;
	case CLOCK_BOOTTIME:
		*ns = ktime_get_boottime_ns();
		return 0;
	case CLOCK_TAI:
		*ns = ktime_get_clocktai_ns();
		return 0;
	}
	return -EINVAL;
}

/* The engine's timestamp is the raw monotonic clock in reference ticks. */
static u64 vxe_engine_cycles(void)
{
	return mul_u64_u32_div(ktime_get_raw_ns(), VXE_REFERENCE_CLOCK, NSEC_PER_SEC) &
	       GENMASK_ULL(VXE_TIMESTAMP_WIDTH - 1, 0);
}

static int query_engine_cycles(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	struct drm_xe_query_engine_cycles __user *uptr = u64_to_user_ptr(query->data);
	struct drm_xe_query_engine_cycles resp;
	u64 before, after;
	bool size_only;
	int ret;

	ret = vxe_query_size(query, sizeof(resp), &size_only);
	if (ret || size_only)
		return ret;
	if (copy_from_user(&resp, uptr, sizeof(resp)))
		return -EFAULT;
	if (vxe_cpu_clock(resp.clockid, &before) || !vxe_engine_exists(&resp.eci))
		return -EINVAL;

	resp.engine_cycles = vxe_engine_cycles();
	vxe_cpu_clock(resp.clockid, &after);
	resp.cpu_timestamp = before;
	resp.cpu_delta = after - before;
	resp.width = VXE_TIMESTAMP_WIDTH;

	/* Only the output fields are written, as xe does. */
	if (put_user(resp.cpu_timestamp, &uptr->cpu_timestamp) ||
	    put_user(resp.cpu_delta, &uptr->cpu_delta) ||
	    put_user(resp.engine_cycles, &uptr->engine_cycles) ||
	    put_user(resp.width, &uptr->width))
		return -EFAULT;
	return 0;
}

/* No EU stall sampling on graphics 12.0: xe answers -ENODEV before sizes. */
static int query_eu_stall(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	return -ENODEV;
}

/* No PXP: the size is answered, then -ENODEV (xe_pxp_get_readiness_status). */
static int query_pxp_status(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	bool size_only;
	int ret;

	ret = vxe_query_size(query, sizeof(struct drm_xe_query_pxp_status), &size_only);
	if (ret || size_only)
		return ret;
	return -ENODEV;
}

/* No OA units: an empty list, as xe with none. */
static int query_oa_units(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	struct drm_xe_query_oa_units units = { .num_oa_units = 0 };
	bool size_only;
	int ret;

	ret = vxe_query_size(query, sizeof(units), &size_only);
	if (ret || size_only)
		return ret;
	return vxe_query_copy(query, &units, sizeof(units));
}

/*
 * The GuC submission interface version xe reports on Tiger Lake
 * (found[XE_UC_FW_VER_COMPATIBILITY]). vxe has no GuC: this is an identity
 * value like the device id, so that clients checking it see a GuC part.
 */
#define VXE_GUC_SUBMIT_MAJOR	1
#define VXE_GUC_SUBMIT_MINOR	1
#define VXE_GUC_SUBMIT_PATCH	0

static int query_uc_fw_version(struct vxe_device *vxe, struct drm_xe_device_query *query)
{
	struct drm_xe_query_uc_fw_version resp;
	bool size_only;
	int ret;

	ret = vxe_query_size(query, sizeof(resp), &size_only);
	if (ret || size_only)
		return ret;
	if (copy_from_user(&resp, u64_to_user_ptr(query->data), sizeof(resp)))
		return -EFAULT;
	if (resp.pad || resp.pad2 || resp.reserved)
		return -EINVAL;
	if (resp.uc_type != XE_QUERY_UC_TYPE_GUC_SUBMISSION &&
	    resp.uc_type != XE_QUERY_UC_TYPE_HUC)
		return -EINVAL;
	/* HuC is not running on vxe: -ENODEV, as xe without it. */
	if (resp.uc_type == XE_QUERY_UC_TYPE_HUC)
		return -ENODEV;

	resp.branch_ver = 0;
	resp.major_ver = VXE_GUC_SUBMIT_MAJOR;
	resp.minor_ver = VXE_GUC_SUBMIT_MINOR;
	resp.patch_ver = VXE_GUC_SUBMIT_PATCH;
	return vxe_query_copy(query, &resp, sizeof(resp));
}

static int (* const vxe_query_funcs[])(struct vxe_device *vxe,
				       struct drm_xe_device_query *query) = {
	[DRM_XE_DEVICE_QUERY_ENGINES] = query_engines,
	[DRM_XE_DEVICE_QUERY_MEM_REGIONS] = query_mem_regions,
	[DRM_XE_DEVICE_QUERY_CONFIG] = query_config,
	[DRM_XE_DEVICE_QUERY_GT_LIST] = query_gt_list,
	[DRM_XE_DEVICE_QUERY_HWCONFIG] = query_hwconfig,
	[DRM_XE_DEVICE_QUERY_GT_TOPOLOGY] = query_gt_topology,
	[DRM_XE_DEVICE_QUERY_ENGINE_CYCLES] = query_engine_cycles,
	[DRM_XE_DEVICE_QUERY_UC_FW_VERSION] = query_uc_fw_version,
	[DRM_XE_DEVICE_QUERY_OA_UNITS] = query_oa_units,
	[DRM_XE_DEVICE_QUERY_PXP_STATUS] = query_pxp_status,
	[DRM_XE_DEVICE_QUERY_EU_STALL] = query_eu_stall,
};

/**
 * vxe_query_ioctl() - DRM_IOCTL_XE_DEVICE_QUERY
 * @drm: the vxe DRM device
 * @data: struct drm_xe_device_query
 * @file: the caller's DRM file
 *
 * Return: 0, or -EINVAL for unknown queries and bad sizes as xe answers.
 */
int vxe_query_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_xe_device_query *query = data;
	u32 idx;

	if (query->extensions || query->reserved[0] || query->reserved[1])
		return -EINVAL;
	if (query->query >= ARRAY_SIZE(vxe_query_funcs))
		return -EINVAL;
	idx = array_index_nospec(query->query, ARRAY_SIZE(vxe_query_funcs));
	if (!vxe_query_funcs[idx])
		return -EINVAL;
	return vxe_query_funcs[idx](to_vxe(drm), query);
}
