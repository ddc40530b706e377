// SPDX-License-Identifier: GPL-2.0
/*
 * EXEC_QUEUE_CREATE, EXEC_QUEUE_DESTROY and EXEC_QUEUE_GET_PROPERTY for
 * vxe, with xe's argument rules (xe_exec_queue.c in 7.3) for the engines
 * DEVICE_QUERY reports (vxe_engines: one render and one copy engine).
 */

#include <linux/capability.h>
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_device_types.h"
#include "vxe_exec_queue.h"
#include "vxe_query.h"
#include "vxe_vm_types.h"

/* xe_hw_engine_types.h: XE_HW_ENGINE_MAX_INSTANCE */
#define VXE_MAX_PLACEMENTS	9
/* xe_exec_queue.c: MAX_USER_EXTENSIONS */
#define VXE_MAX_USER_EXTENSIONS	16
/* enum xe_exec_queue_priority: LOW, NORMAL, HIGH (HIGH needs CAP_SYS_NICE) */
#define VXE_PRIORITY_NORMAL	1
#define VXE_PRIORITY_HIGH	2

static void vxe_exec_queue_release(struct kref *ref)
{
	struct vxe_exec_queue *q = container_of(ref, struct vxe_exec_queue, ref);

	dma_fence_put(q->last_fence);
	vxe_vm_put(q->vm);
	mutex_destroy(&q->lock);
	kfree(q);
}

struct vxe_exec_queue *vxe_exec_queue_get(struct vxe_exec_queue *q)
{
	kref_get(&q->ref);
	return q;
}

void vxe_exec_queue_put(struct vxe_exec_queue *q)
{
	kref_put(&q->ref, vxe_exec_queue_release);
}

struct vxe_exec_queue *vxe_exec_queue_lookup(struct vxe_file *xef, u32 id)
{
	struct vxe_exec_queue *q;

	mutex_lock(&xef->lock);
	q = xa_load(&xef->queues, id);
	if (q)
		vxe_exec_queue_get(q);
	mutex_unlock(&xef->lock);

	return q;
}

bool vxe_exec_queue_is_bind(const struct vxe_exec_queue *q)
{
	return q->engine_class == DRM_XE_ENGINE_CLASS_VM_BIND;
}

void vxe_exec_queue_ban(struct vxe_exec_queue *q)
{
	if (!xchg(&q->banned, true))
		atomic_long_inc(&q->vxe->stats.bans);
}

/* Kill: the running job stops at its next command, later execs fail. */
static void vxe_exec_queue_kill(struct vxe_exec_queue *q)
{
	WRITE_ONCE(q->killed, true);
}

/*
 * xe's calc_validate_logical_mask(): all placements of one class on one GT,
 * engines that exist, and a parallel queue's instances consecutive. vxe has
 * one engine per class, so only width 1 passes.
 */
static bool vxe_placements_ok(const struct drm_xe_engine_class_instance *eci,
			      u16 width, u16 num_placements)
{
	unsigned int i, j;

	for (i = 0; i < num_placements; i++) {
		for (j = 0; j < width; j++) {
			const struct drm_xe_engine_class_instance *e = &eci[i * width + j];

			if (!vxe_engine_exists(e) || e->engine_class != eci[0].engine_class ||
			    e->gt_id != eci[0].gt_id)
				return false;
			if (j && e->engine_instance != eci[i * width + j - 1].engine_instance + 1)
				return false;
		}
	}
	return true;
}

static int vxe_queue_set_property(struct drm_xe_ext_set_property *ext)
{
	if (ext->pad || ext->reserved[0] || ext->reserved[1])
		return -EINVAL;

	switch (ext->property) {
	case DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY:
		if (ext->value > VXE_PRIORITY_HIGH)
			return -EINVAL;
		if (ext->value > VXE_PRIORITY_NORMAL && !capable(CAP_SYS_NICE))
			return -EPERM;
		return 0;
	case DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE:
		/* The software engine does not time-slice: accepted, no effect. */
		return 0;
	default:
		/* PXP, hang replay, multi-queue groups: hardware vxe lacks. */
		return -EINVAL;
	}
}

/* The user extension chain of EXEC_QUEUE_CREATE (only SET_PROPERTY exists). */
static int vxe_queue_extensions(u64 extensions)
{
	struct drm_xe_ext_set_property ext;
	unsigned int n;
	int err;

	for (n = 0; extensions; n++) {
		if (n >= VXE_MAX_USER_EXTENSIONS)
			return -E2BIG;
		if (copy_from_user(&ext, u64_to_user_ptr(extensions), sizeof(ext)))
			return -EFAULT;
		if (ext.base.pad || ext.base.name != DRM_XE_EXEC_QUEUE_EXTENSION_SET_PROPERTY)
			return -EINVAL;
		err = vxe_queue_set_property(&ext);
		if (err)
			return err;
		extensions = ext.base.next_extension;
	}
	return 0;
}

static struct vxe_exec_queue *vxe_exec_queue_alloc(struct vxe_vm *vm, u16 class, u16 width)
{
	struct vxe_exec_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	kref_init(&q->ref);
	q->vxe = vm->vxe;
	q->vm = vxe_vm_get(vm);
	q->engine_class = class;
	q->width = width;
	q->fence_context = dma_fence_context_alloc(1);
	mutex_init(&q->lock);
	return q;
}

int vxe_exec_queue_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_exec_queue_create *args = data;
	struct drm_xe_engine_class_instance eci[VXE_MAX_PLACEMENTS];
	struct vxe_exec_queue *q;
	struct vxe_vm *vm;
	u32 len, id;
	int err;

	if (args->flags & ~DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT ||
	    args->reserved[0] || args->reserved[1])
		return -EINVAL;

	len = args->width * args->num_placements;
	if (!len || len > VXE_MAX_PLACEMENTS)
		return -EINVAL;
	if (copy_from_user(eci, u64_to_user_ptr(args->instances), sizeof(eci[0]) * len))
		return -EFAULT;
	if (eci[0].gt_id != 0)
		return -EINVAL;

	if (eci[0].engine_class == DRM_XE_ENGINE_CLASS_VM_BIND) {
		if (args->width != 1 || args->num_placements != 1 || eci[0].engine_instance)
			return -EINVAL;
	} else if (!vxe_placements_ok(eci, args->width, args->num_placements)) {
		return -EINVAL;
	}

	err = vxe_queue_extensions(args->extensions);
	if (err)
		return err;

	vm = vxe_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -ENOENT;
	if (READ_ONCE(vm->closed)) {
		vxe_vm_put(vm);
		return -ENOENT;
	}

	q = vxe_exec_queue_alloc(vm, eci[0].engine_class, args->width);
	vxe_vm_put(vm);
	if (!q)
		return -ENOMEM;

	mutex_lock(&xef->lock);
	err = xa_alloc(&xef->queues, &id, q, xa_limit_32b, GFP_KERNEL);
	mutex_unlock(&xef->lock);
	if (err) {
		vxe_exec_queue_put(q);
		return err;
	}

	args->exec_queue_id = id;
	return 0;
}

int vxe_exec_queue_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_exec_queue_destroy *args = data;
	struct vxe_exec_queue *q;

	if (args->pad || args->reserved[0] || args->reserved[1])
		return -EINVAL;

	mutex_lock(&xef->lock);
	q = xa_erase(&xef->queues, args->exec_queue_id);
	mutex_unlock(&xef->lock);
	if (!q)
		return -ENOENT;

	vxe_exec_queue_kill(q);
	vxe_exec_queue_put(q);
	return 0;
}

int vxe_exec_queue_get_property_ioctl(struct drm_device *drm, void *data,
				      struct drm_file *file)
{
	struct drm_xe_exec_queue_get_property *args = data;
	struct vxe_exec_queue *q;
	int err = 0;

	if (args->reserved[0] || args->reserved[1])
		return -EINVAL;

	q = vxe_exec_queue_lookup(to_vxe_file(file), args->exec_queue_id);
	if (!q)
		return -ENOENT;

	switch (args->property) {
	case DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN:
		/* xe: reset_status(), banned or killed */
		args->value = READ_ONCE(q->banned) || READ_ONCE(q->killed);
		break;
	default:
		err = -EINVAL;
	}

	vxe_exec_queue_put(q);
	return err;
}

void vxe_exec_queue_close_all(struct vxe_file *xef)
{
	struct vxe_exec_queue *q;
	unsigned long id;

	xa_for_each(&xef->queues, id, q) {
		xa_erase(&xef->queues, id);
		vxe_exec_queue_kill(q);
		vxe_exec_queue_put(q);
	}
}
