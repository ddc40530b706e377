// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The xe query and ioctl helpers against a fake device: igt_ioctl is
 * pointed at a function that answers DRM_IOCTL_XE_DEVICE_QUERY with a
 * made-up discrete GPU (two tiles, VRAM on each) and records what the
 * other ioctls were asked, so the helpers' arithmetic and the structures
 * they fill are checked without hardware. A second part checks that the
 * helpers fail cleanly, with a message, on an fd that is no xe device.
 * Variants of the device (GT 0's near-memory mask, the graphics IP) are
 * opened as further fds: vram_memory() is the GT's whole near-memory mask
 * and intel_get_pat_idx_wb() fails for an IP it knows no indices for, as
 * upstream's.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_tests_common.h"

/* True when @out reports subtest @name with @result, whatever the time. */
static bool has_result(const char *out, const char *name, const char *result)
{
	char line[128];

	snprintf(line, sizeof(line), "Subtest %s: %s (", name, result);
	return out && strstr(out, line) != NULL;
}
#include "intel_pat.h"
#include "xe/xe_ioctl.h"
#include "xe/xe_query.h"

/* What the next fake device reports: GT 0's near regions, graphics IP */
static uint64_t fake_gt0_near = 0x2;
static uint16_t fake_ip_major = 20, fake_ip_minor = 1;

static struct drm_xe_gem_create last_create;
static struct drm_xe_vm_bind last_bind;
static int syncobj_waits;

static int answer_query(struct drm_xe_device_query *q, const void *data,
			uint32_t size)
{
	if (!q->size) {
		q->size = size;
		return 0;
	}
	if (q->size < size) {
		errno = EINVAL;
		return -1;
	}
	memcpy(from_user_pointer(q->data), data, size);
	return 0;
}

static int query_config(struct drm_xe_device_query *q)
{
	struct {
		struct drm_xe_query_config c;
		uint64_t info[5];
	} cfg = { .c.num_params = 5 };

	cfg.info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID] = (3ull << 16) | 0xe20b;
	cfg.info[DRM_XE_QUERY_CONFIG_FLAGS] = DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM;
	cfg.info[DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT] = 0x10000;
	cfg.info[DRM_XE_QUERY_CONFIG_VA_BITS] = 48;
	return answer_query(q, &cfg, sizeof(cfg));
}

/* GT 0 (tile 0) near vram0, GT 1 (tile 1) near vram1; Xe2 (20.01). */
static int query_gts(struct drm_xe_device_query *q)
{
	struct {
		struct drm_xe_query_gt_list l;
		struct drm_xe_gt gt[2];
	} gts = { .l.num_gt = 2 };

	gts.gt[0] = (struct drm_xe_gt){ .type = DRM_XE_QUERY_GT_TYPE_MAIN,
		.tile_id = 0, .gt_id = 0, .near_mem_regions = fake_gt0_near,
		.far_mem_regions = 0x1, .ip_ver_major = fake_ip_major,
		.ip_ver_minor = fake_ip_minor };
	gts.gt[1] = (struct drm_xe_gt){ .type = DRM_XE_QUERY_GT_TYPE_MAIN,
		.tile_id = 1, .gt_id = 1, .near_mem_regions = 0x4,
		.far_mem_regions = 0x1, .ip_ver_major = fake_ip_major,
		.ip_ver_minor = fake_ip_minor };
	return answer_query(q, &gts, sizeof(gts));
}

/*
 * Listed out of instance order on purpose: the helpers must look regions
 * up by instance, not by position. vram1 reports no visible size, as
 * older kernels do.
 */
static int query_regions(struct drm_xe_device_query *q)
{
	struct {
		struct drm_xe_query_mem_regions r;
		struct drm_xe_mem_region m[3];
	} regs = { .r.num_mem_regions = 3 };

	regs.m[0] = (struct drm_xe_mem_region){
		.mem_class = DRM_XE_MEM_REGION_CLASS_SYSMEM, .instance = 0,
		.min_page_size = 4096, .total_size = 16 * GiB };
	regs.m[1] = (struct drm_xe_mem_region){
		.mem_class = DRM_XE_MEM_REGION_CLASS_VRAM, .instance = 2,
		.min_page_size = 0x10000, .total_size = 4 * GiB,
		.used = 1 * GiB };
	regs.m[2] = (struct drm_xe_mem_region){
		.mem_class = DRM_XE_MEM_REGION_CLASS_VRAM, .instance = 1,
		.min_page_size = 0x10000, .total_size = 8 * GiB,
		.used = 3 * GiB, .cpu_visible_size = 256 * MiB,
		.cpu_visible_used = 16 * MiB };
	return answer_query(q, &regs, sizeof(regs));
}

static int query_engines(struct drm_xe_device_query *q)
{
	struct {
		struct drm_xe_query_engines e;
		struct drm_xe_engine eng[3];
	} engs = { .e.num_engines = 3 };

	engs.eng[0].instance.engine_class = DRM_XE_ENGINE_CLASS_RENDER;
	engs.eng[1].instance.engine_class = DRM_XE_ENGINE_CLASS_COPY;
	engs.eng[2].instance.engine_class = DRM_XE_ENGINE_CLASS_COPY;
	engs.eng[2].instance.gt_id = 1;
	return answer_query(q, &engs, sizeof(engs));
}

static int fake_query(struct drm_xe_device_query *q)
{
	switch (q->query) {
	case DRM_XE_DEVICE_QUERY_CONFIG:
		return query_config(q);
	case DRM_XE_DEVICE_QUERY_GT_LIST:
		return query_gts(q);
	case DRM_XE_DEVICE_QUERY_MEM_REGIONS:
		return query_regions(q);
	case DRM_XE_DEVICE_QUERY_ENGINES:
		return query_engines(q);
	default:
		errno = EINVAL;
		return -1;
	}
}

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	switch (request) {
	case DRM_IOCTL_XE_DEVICE_QUERY:
		return fake_query(arg);
	case DRM_IOCTL_XE_GEM_CREATE:
		last_create = *(struct drm_xe_gem_create *)arg;
		/* A size of 0 is refused, as by xe. */
		if (!last_create.size) {
			errno = EINVAL;
			return -1;
		}
		((struct drm_xe_gem_create *)arg)->handle = 42;
		return 0;
	case DRM_IOCTL_XE_VM_BIND:
		last_bind = *(struct drm_xe_vm_bind *)arg;
		return 0;
	case DRM_IOCTL_SYNCOBJ_CREATE:
		((struct drm_syncobj_create *)arg)->handle = 7;
		return 0;
	case DRM_IOCTL_SYNCOBJ_WAIT:
		syncobj_waits++;
		return 0;
	case DRM_IOCTL_SYNCOBJ_DESTROY:
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}

static int open_fake(void)
{
	int fd = open("/dev/null", O_RDWR);

	igt_assert_fd(fd);
	igt_ioctl = fake_ioctl;
	xe_device_get(fd);
	return fd;
}

/* A further fake device, with GT 0 near @near and graphics IP @major.@minor */
static int open_variant(uint64_t near, uint16_t major, uint16_t minor)
{
	int fd;

	fake_gt0_near = near;
	fake_ip_major = major;
	fake_ip_minor = minor;
	fd = open_fake();
	fake_gt0_near = 0x2;
	fake_ip_major = 20;
	fake_ip_minor = 1;
	return fd;
}

static void close_variant(int fd)
{
	xe_device_put(fd);
	close(fd);
}

/* intel_get_pat_idx_wb() of a device of graphics IP @major.@minor */
static uint8_t pat_wb_of(uint16_t major, uint16_t minor)
{
	int fd = open_variant(0x2, major, minor);
	uint8_t wb = intel_get_pat_idx_wb(fd);

	close_variant(fd);
	return wb;
}

static int fake_device(int argc, char **argv)
{
	struct drm_xe_engine_class_instance *hwe;
	uint64_t region;
	int fd = -1, n;

	igt_subtest_init(argc, argv);
	igt_fixture()
		fd = open_fake();

	igt_subtest("regions") {
		igt_assert_eq_u64(all_memory_regions(fd), 0x7);
		igt_assert_eq_u64(system_memory(fd), 0x1);
		igt_assert_eq_u64(vram_memory(fd, 0), 0x2);
		igt_assert_eq_u64(vram_memory(fd, 1), 0x4);
		igt_assert_eq_u64(vram_if_possible(fd, 1), 0x4);
		igt_assert(xe_has_vram(fd));
		igt_assert_eq(xe_region_class(fd, 0x4), DRM_XE_MEM_REGION_CLASS_VRAM);
		igt_assert_eq(xe_min_page_size(fd, 0x1), 4096);
		igt_assert(!strcmp(xe_region_name(0x1), "system"));
		igt_assert(!strcmp(xe_region_name(0x4), "vram1"));
		n = 0;
		xe_for_each_mem_region(fd, all_memory_regions(fd), region)
			n++;
		igt_assert_eq(n, 3);
	}
	igt_subtest("vram-sizes") {
		igt_assert_eq_u64(xe_vram_size(fd, 0), 8 * GiB);
		igt_assert_eq_u64(xe_vram_size(fd, 1), 4 * GiB);
		igt_assert_eq_u64(xe_visible_vram_size(fd, 0), 256 * MiB);
		/* no visible size reported: the whole VRAM counts */
		igt_assert_eq_u64(xe_visible_vram_size(fd, 1), 4 * GiB);
		igt_assert_eq_u64(xe_available_vram_size(fd, 0), 5 * GiB);
		igt_assert_eq_u64(xe_visible_available_vram_size(fd, 0), 240 * MiB);
	}
	igt_subtest("config") {
		igt_assert_eq(xe_dev_id(fd), 0xe20b);
		igt_assert_eq(xe_va_bits(fd), 48);
		igt_assert_eq(xe_get_default_alignment(fd), 0x10000);
		igt_assert_eq_u64(xe_config(fd)->info[DRM_XE_QUERY_CONFIG_FLAGS],
				  DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM);
		igt_assert_eq(xe_number_gt(fd), 2);
		igt_assert_eq(xe_dev_max_gt(fd), 1);
		igt_assert_eq(xe_tiles_count(fd), 2);
		igt_assert_eq_u64(xe_bb_size(fd, 100), 0x10000);
	}
	igt_subtest("engines") {
		n = 0;
		xe_for_each_engine(fd, hwe)
			n += hwe->engine_class == DRM_XE_ENGINE_CLASS_COPY;
		igt_assert_eq(n, 2);
		igt_assert(xe_has_engine_class(fd, DRM_XE_ENGINE_CLASS_RENDER));
		igt_assert(!xe_has_engine_class(fd, DRM_XE_ENGINE_CLASS_COMPUTE));
		igt_assert(!strcmp(xe_engine_class_short_string(DRM_XE_ENGINE_CLASS_COPY),
				   "bcs"));
	}
	igt_subtest("bo-create") {
		igt_assert_eq(xe_bo_create(fd, 0, 0x10000, vram_memory(fd, 0),
					   DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM), 42);
		igt_assert_eq(last_create.placement, 0x2);
		igt_assert_eq(last_create.cpu_caching, DRM_XE_GEM_CPU_CACHING_WC);
		igt_assert_eq(last_create.flags, DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM);

		xe_bo_create(fd, 3, 0x1000, system_memory(fd),
			     DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM);
		igt_assert_eq(last_create.vm_id, 3);
		igt_assert_eq(last_create.cpu_caching, DRM_XE_GEM_CPU_CACHING_WB);
		/* visible VRAM makes no sense for system memory: dropped */
		igt_assert_eq(last_create.flags, 0);

		xe_bo_create_caching(fd, 0, 0x1000, system_memory(fd), 0,
				     DRM_XE_GEM_CPU_CACHING_WC);
		igt_assert_eq(last_create.cpu_caching, DRM_XE_GEM_CPU_CACHING_WC);
	}
	igt_subtest("bo-create-error") {
		uint32_t handle = 0;

		/* upstream's __xe_bo_create*() return the ioctl's -1, errno set */
		errno = 0;
		igt_assert_eq(__xe_bo_create(fd, 0, 0, system_memory(fd), 0,
					     NULL, &handle), -1);
		igt_assert_eq(errno, EINVAL);
		errno = 0;
		igt_assert_eq(__xe_bo_create_caching(fd, 0, 0, system_memory(fd), 0,
						     DRM_XE_GEM_CPU_CACHING_WB,
						     &handle), -1);
		igt_assert_eq(errno, EINVAL);
		igt_assert_eq(handle, 0);
	}
	igt_subtest("vm-bind") {
		xe_vm_bind_sync(fd, 5, 42, 0, 0x100000, 0x10000);
		igt_assert_eq(last_bind.vm_id, 5);
		igt_assert_eq(last_bind.num_binds, 1);
		igt_assert_eq(last_bind.bind.obj, 42);
		igt_assert_eq(last_bind.bind.op, DRM_XE_VM_BIND_OP_MAP);
		igt_assert_eq_u64(last_bind.bind.addr, 0x100000);
		igt_assert_eq_u64(last_bind.bind.range, 0x10000);
		/* Xe2 without debugfs: write-back coherent is index 2 */
		igt_assert_eq(last_bind.bind.pat_index, 2);
		igt_assert_eq(last_bind.num_syncs, 1);
		igt_assert_eq(syncobj_waits, 1);

		xe_vm_unbind_sync(fd, 5, 0, 0x100000, 0x10000);
		igt_assert_eq(last_bind.bind.op, DRM_XE_VM_BIND_OP_UNMAP);
		igt_assert_eq(last_bind.bind.obj, 0);
		igt_assert_eq(__xe_vm_bind(fd, 5, 0, 42, 0, 0, 0x1000,
					   DRM_XE_VM_BIND_OP_MAP, 0, NULL, 0, 0,
					   9, 0), 0);
		igt_assert_eq(last_bind.bind.pat_index, 9);
	}
	igt_subtest("vram-near-mask") {
		int other;

		/* the whole mask, not its lowest region */
		other = open_variant(0x6, 20, 1);
		igt_assert_eq_u64(vram_memory(other, 0), 0x6);
		igt_assert_eq_u64(vram_if_possible(other, 0), 0x6);
		close_variant(other);
		/* whatever the class of the near region */
		other = open_variant(0x1, 20, 1);
		igt_assert_eq_u64(vram_memory(other, 0), 0x1);
		igt_assert_eq_u64(vram_memory(other, 1), 0x4);
		close_variant(other);
	}
	igt_subtest("pat-known-ips") {
		/* no debugfs: the fallback of the platforms upstream knows */
		igt_assert_eq(pat_wb_of(12, 0), 0);
		igt_assert_eq(pat_wb_of(12, 10), 0);
		igt_assert_eq(pat_wb_of(12, 55), 0);
		igt_assert_eq(pat_wb_of(12, 70), 3);
		igt_assert_eq(pat_wb_of(12, 74), 3);
		igt_assert_eq(pat_wb_of(20, 4), 2);
		igt_assert_eq(pat_wb_of(30, 0), 2);
		igt_assert_eq(pat_wb_of(35, 11), 2);
	}
	igt_subtest("pat-unknown-ip")
		pat_wb_of(35, 10);
	igt_subtest("put") {
		xe_device_put(fd);
		/* the cache entry is gone: accessors must refuse the fd */
		igt_assert(!system_memory(fd));
	}
	igt_exit();
}

static int devnull_fd(void)
{
	int fd = open("/dev/null", O_RDWR);

	igt_assert_fd(fd);
	return fd;
}

static int not_xe(int argc, char **argv)
{
	struct drm_xe_exec exec = {};
	uint32_t size = 1, id;
	int fd = -1;

	igt_subtest_init(argc, argv);
	igt_fixture()
		fd = devnull_fd();

	igt_subtest("may-fail") {
		igt_assert(!xe_query_device_may_fail(fd, DRM_XE_DEVICE_QUERY_CONFIG,
						     &size));
		igt_assert_eq(size, 0);
		igt_assert(!is_xe_device(fd));
		igt_assert(!is_intel_device(fd));
		igt_assert_eq(drm_get_chipset(fd), DRIVER_ANY);
		igt_assert_eq(__xe_exec(fd, &exec), -ENOTTY);
		igt_assert_eq(errno, 0);
		igt_assert_eq(__xe_exec_queue_create(fd, 0, 1, 1, NULL, 0, &id),
			      -ENOTTY);
		igt_assert_eq(syncobj_wait_err(fd, &id, 1, 0, 0), -ENOTTY);
		igt_assert_eq(__drm_close_driver(fd), -1);
	}
	igt_subtest("device-get")
		xe_device_get(fd);
	igt_subtest("accessor")
		all_memory_regions(fd);
	igt_subtest("bo-create")
		xe_bo_create(fd, 0, 4096, 1, 0);
	igt_subtest("pat")
		intel_get_pat_idx_wb(fd);
	igt_exit();
}

int main(void)
{
	struct child_result r;

	r = run_child(fake_device, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(has_result(r.out, "regions", "SUCCESS"), &r);
	check(has_result(r.out, "vram-sizes", "SUCCESS"), &r);
	check(has_result(r.out, "config", "SUCCESS"), &r);
	check(has_result(r.out, "engines", "SUCCESS"), &r);
	check(has_result(r.out, "bo-create", "SUCCESS"), &r);
	check(has_result(r.out, "bo-create-error", "SUCCESS"), &r);
	check(has_result(r.out, "vm-bind", "SUCCESS"), &r);
	check(has_result(r.out, "vram-near-mask", "SUCCESS"), &r);
	check(has_result(r.out, "pat-known-ips", "SUCCESS"), &r);
	/* no pat_sw_config and an IP without known indices: fails, no guess */
	check(has_result(r.out, "pat-unknown-ip", "FAIL"), &r);
	check(strstr(r.err, "no known PAT indices for graphics IP 35.10") != NULL, &r);
	/* after xe_device_put() the accessor fails the subtest, no crash */
	check(has_result(r.out, "put", "FAIL"), &r);
	check(strstr(r.err, "is not an xe device opened with drm_open_driver()") != NULL, &r);
	free_child_result(&r);

	r = run_child(not_xe, NO_ARGS);
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(has_result(r.out, "may-fail", "SUCCESS"), &r);
	check(has_result(r.out, "device-get", "FAIL"), &r);
	check(has_result(r.out, "accessor", "FAIL"), &r);
	check(has_result(r.out, "bo-create", "FAIL"), &r);
	check(has_result(r.out, "pat", "FAIL"), &r);
	check(strstr(r.err, "xe device query 2 failed on fd") != NULL, &r);
	check(signal_of(&r) == 0, &r);
	free_child_result(&r);

	return checks_done("xe_query_fake");
}
