// SPDX-License-Identifier: GPL-2.0
/*
 * VM_CREATE, VM_DESTROY and VM_BIND for vxe: xe's argument rules (xe_vm.c
 * in 7.3) over drm_gpuvm. Binds run synchronously in the ioctl: in-fences
 * are waited for, and out-syncs get a signalled fence; a bind on a bind
 * queue that must wait runs later as a job. The changes of the VA tree are
 * in vxe_pt.c, userptr pinning in vxe_userptr.c, MADVISE in
 * vxe_vm_madvise.c.
 */

#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_bo.h"
#include "vxe_device_types.h"
#include "vxe_engine.h"
#include "vxe_exec_queue.h"
#include "vxe_module.h"
#include "vxe_pt.h"
#include "vxe_sync.h"
#include "vxe_validation.h"
#include "vxe_vm.h"

/* xe_pat.c's coherency modes (xe_pat.h: XE_COH_NONE 1, XE_COH_1WAY 2). */
#define VXE_COH_NONE		1
#define VXE_COH_1WAY		2

#ifndef DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT
#define DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT	0
#endif
#define VXE_VM_CREATE_FLAGS	(DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE | \
				 DRM_XE_VM_CREATE_FLAG_LR_MODE | \
				 DRM_XE_VM_CREATE_FLAG_FAULT_MODE | \
				 DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT)

#define VXE_BIND_FLAGS		(DRM_XE_VM_BIND_FLAG_READONLY | \
				 DRM_XE_VM_BIND_FLAG_IMMEDIATE | \
				 DRM_XE_VM_BIND_FLAG_NULL | \
				 DRM_XE_VM_BIND_FLAG_DUMPABLE | \
				 DRM_XE_VM_BIND_FLAG_CHECK_PXP | \
				 DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR | \
				 DRM_XE_VM_BIND_FLAG_MADVISE_AUTORESET | \
				 DRM_XE_VM_BIND_FLAG_DECOMPRESS)

/*
 * Coherency of each PAT index of the Xe_LP table xe uses for graphics 12.0
 * (xe_pat.c, xelp_pat_table): WB is 1-way coherent, WC, WT and UC are not.
 */
static const u8 vxe_pat_coh[VXE_PAT_MAX_INDEX + 1] = {
	[0] = VXE_COH_1WAY, [1] = VXE_COH_NONE, [2] = VXE_COH_NONE, [3] = VXE_COH_NONE,
};

static void vxe_vm_free(struct drm_gpuvm *gpuvm)
{
	struct vxe_vm *vm = gpuvm_to_vxe_vm(gpuvm);

	ttm_lru_bulk_move_fini(&vm->vxe->ttm, &vm->lru_bulk_move);
	mutex_destroy(&vm->userptr_lock);
	mutex_destroy(&vm->va_lock);
	kfree(vm);
}

static const struct drm_gpuvm_ops vxe_gpuvm_ops = {
	.vm_free = vxe_vm_free,
	.sm_step_map = vxe_step_map,
	.sm_step_remap = vxe_step_remap,
	.sm_step_unmap = vxe_step_unmap,
};

static struct vxe_vm *vxe_vm_create(struct vxe_device *vxe, u32 flags)
{
	struct drm_gem_object *r_obj;
	struct vxe_vm *vm;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	r_obj = drm_gpuvm_resv_object_alloc(&vxe->drm);
	if (!r_obj) {
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}

	vm->vxe = vxe;
	vm->flags = flags;
	init_rwsem(&vm->lock);
	mutex_init(&vm->va_lock);
	mutex_init(&vm->userptr_lock);
	init_rwsem(&vm->userptr_notifier_lock);
	ttm_lru_bulk_move_init(&vm->lru_bulk_move);
	drm_gpuvm_init(&vm->gpuvm, "vxe", 0, &vxe->drm, r_obj, 0, VXE_VM_SIZE, 0, 0,
		       &vxe_gpuvm_ops);
	/* The gpuvm holds its own reference to the resv object. */
	drm_gem_object_put(r_obj);

	return vm;
}

int vxe_vm_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_vm_create *args = data;
	struct vxe_vm *vm;
	u32 id;
	int err;

	if (args->extensions || args->reserved[0] || args->reserved[1])
		return -EINVAL;
	/* No USM on an integrated Xe_LP part: no fault mode (xe: has_usm). */
	if (args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE)
		return -EINVAL;
	if (args->flags & ~VXE_VM_CREATE_FLAGS)
		return -EINVAL;
	if (!(args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) &&
	    (args->flags & DRM_XE_VM_CREATE_FLAG_NO_VM_OVERCOMMIT))
		return -EINVAL;

	vm = vxe_vm_create(xef->vxe, args->flags);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	mutex_lock(&xef->lock);
	err = xa_alloc(&xef->vms, &id, vm, xa_limit_32b, GFP_KERNEL);
	mutex_unlock(&xef->lock);
	if (err) {
		vxe_vm_put(vm);
		return err;
	}

	args->vm_id = id;
	return 0;
}

/* Waits for the jobs of the VM (their fences are in its resv as BOOKKEEP). */
static int vxe_vm_wait_idle(struct vxe_vm *vm, bool intr)
{
	long ret;

	ret = dma_resv_wait_timeout(vxe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP, intr,
				    msecs_to_jiffies(VXE_VM_WAIT_MS));
	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}

/* With vm->lock held for writing: remove every mapping. */
static void vxe_vm_unmap_all(struct vxe_vm *vm)
{
	int err = vxe_vm_remove_vas(vm, NULL, false);

	if (err)
		drm_warn(&vm->vxe->drm, "VM close: locking its BOs failed (%d)\n", err);
}

/* Destroy or postclose: no more binds or execs, mappings gone, ref dropped. */
static void vxe_vm_close_and_put(struct vxe_vm *vm)
{
	down_write(&vm->lock);
	vm->closed = true;
	if (vxe_vm_wait_idle(vm, false))
		drm_warn(&vm->vxe->drm, "VM close: jobs still running after %u ms\n",
			 VXE_VM_WAIT_MS);
	vxe_vm_unmap_all(vm);
	up_write(&vm->lock);
	vxe_vm_put(vm);
}

int vxe_vm_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_vm_destroy *args = data;
	struct vxe_vm *vm;

	if (args->pad || args->reserved[0] || args->reserved[1])
		return -EINVAL;

	mutex_lock(&xef->lock);
	vm = xa_erase(&xef->vms, args->vm_id);
	mutex_unlock(&xef->lock);
	if (!vm)
		return -ENOENT;

	vxe_vm_close_and_put(vm);
	return 0;
}

void vxe_vm_close_all(struct vxe_file *xef)
{
	struct vxe_vm *vm;
	unsigned long id;

	xa_for_each(&xef->vms, id, vm) {
		xa_erase(&xef->vms, id);
		vxe_vm_close_and_put(vm);
	}
}

static u16 vxe_pat_coh_mode(u16 pat_index)
{
	return vxe_pat_coh[pat_index];
}

/* xe's vm_bind_ioctl_check_args() rules for one op, for this device. */
static int vxe_bind_op_check(struct vxe_vm *vm, struct drm_xe_vm_bind_op *op)
{
	bool is_null = op->flags & DRM_XE_VM_BIND_FLAG_NULL;
	bool is_mirror = op->flags & DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	bool is_decompress = op->flags & DRM_XE_VM_BIND_FLAG_DECOMPRESS;
	u32 region = op->prefetch_mem_region_instance;
	u16 coh;

	/* CPU address mirroring needs a fault-mode VM, which vxe has not. */
	if (is_mirror)
		return -EINVAL;
	if (op->pat_index > VXE_PAT_MAX_INDEX)
		return -EINVAL;
	op->pat_index = array_index_nospec(op->pat_index, VXE_PAT_MAX_INDEX + 1);
	coh = vxe_pat_coh_mode(op->pat_index);

	if (op->op > DRM_XE_VM_BIND_OP_PREFETCH ||
	    op->flags & ~VXE_BIND_FLAGS ||
	    (op->obj && is_null) ||
	    (op->obj_offset && is_null) ||
	    (op->op != DRM_XE_VM_BIND_OP_MAP && (is_decompress || is_null)) ||
	    (!op->obj && op->op == DRM_XE_VM_BIND_OP_MAP && !is_null) ||
	    (!op->obj && op->op == DRM_XE_VM_BIND_OP_UNMAP_ALL) ||
	    (op->addr && op->op == DRM_XE_VM_BIND_OP_UNMAP_ALL) ||
	    (op->range && op->op == DRM_XE_VM_BIND_OP_UNMAP_ALL) ||
	    (op->obj && op->op == DRM_XE_VM_BIND_OP_MAP_USERPTR) ||
	    (coh == VXE_COH_NONE && op->op == DRM_XE_VM_BIND_OP_MAP_USERPTR) ||
	    (op->obj && op->op == DRM_XE_VM_BIND_OP_PREFETCH) ||
	    (region && op->op != DRM_XE_VM_BIND_OP_PREFETCH) ||
	    /* One memory region, system (instance 0), on an integrated part. */
	    (region != (u32)DRM_XE_CONSULT_MEM_ADVISE_PREF_LOC && region != 0) ||
	    (op->obj && op->op == DRM_XE_VM_BIND_OP_UNMAP) ||
	    (op->flags & DRM_XE_VM_BIND_FLAG_MADVISE_AUTORESET))
		return -EINVAL;

	if (op->obj_offset & ~PAGE_MASK || op->addr & ~PAGE_MASK ||
	    op->range & ~PAGE_MASK ||
	    (!op->range && op->op != DRM_XE_VM_BIND_OP_UNMAP_ALL))
		return -EINVAL;

	/* Decompression needs flat CCS on a discrete Xe2 part. */
	if (is_decompress)
		return -EOPNOTSUPP;

	if (op->range > VXE_VM_SIZE || op->addr > VXE_VM_SIZE - op->range)
		return -EINVAL;

	return 0;
}

/* xe_vm_bind_ioctl_validate_bo(), the parts that apply to this device. */
static int vxe_bind_bo_check(struct vxe_vm *vm, struct vxe_bo *bo,
			     const struct drm_xe_vm_bind_op *op)
{
	u64 size = bo->ttm.base.size;
	u16 coh = vxe_pat_coh_mode(op->pat_index);

	if (op->range > size || op->obj_offset > size - op->range)
		return -EINVAL;
	if (bo->cpu_caching) {
		if (coh == VXE_COH_NONE && bo->cpu_caching == DRM_XE_GEM_CPU_CACHING_WB)
			return -EINVAL;
	} else if (coh == VXE_COH_NONE) {
		/* An import: its CPU caching is unknown, xe asks for coherency. */
		return -EINVAL;
	}
	/* A VM-private BO only binds in its own VM. */
	if (bo->vm && bo->vm != vm)
		return -EINVAL;
	/* xe_vma_create(): no new WILLNEED mapping of a purged or DONTNEED BO. */
	if (vxe_bo_is_purged(bo))
		return -EINVAL;
	if (vxe_bo_is_dontneed(bo))
		return -EBUSY;
	return 0;
}

/* Whether the op takes away mappings a job of the VM may be using. */
static bool vxe_bind_op_unmaps(struct vxe_vm *vm, const struct drm_xe_vm_bind_op *op)
{
	switch (op->op) {
	case DRM_XE_VM_BIND_OP_MAP:
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
	case DRM_XE_VM_BIND_OP_UNMAP:
		return !drm_gpuvm_interval_empty(&vm->gpuvm, op->addr, op->range);
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		return true;
	default:
		return false;
	}
}

/* With vm->lock held for writing: one op on the VA tree. */
static int vxe_bind_op_apply(struct vxe_vm *vm, struct vxe_bo *bo,
			     const struct drm_xe_vm_bind_op *op)
{
	switch (op->op) {
	case DRM_XE_VM_BIND_OP_MAP:
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
		return vxe_bind_map(vm, bo, op);
	case DRM_XE_VM_BIND_OP_UNMAP:
		return vxe_bind_unmap(vm, op->addr, op->range);
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		return vxe_bind_unmap_all(vm, bo);
	case DRM_XE_VM_BIND_OP_PREFETCH:
		/* System memory only: the BOs already are where a prefetch puts them. */
		return 0;
	default:
		return -EINVAL;
	}
}

/* The BO an op names, checked for a MAP; NULL when it names none. */
static struct vxe_bo *vxe_bind_op_bo(struct vxe_vm *vm, struct drm_file *file,
				     const struct drm_xe_vm_bind_op *op)
{
	struct vxe_bo *bo;
	int err;

	if (!op->obj)
		return NULL;
	bo = vxe_bo_lookup(file, op->obj);
	if (!bo)
		return ERR_PTR(-ENOENT);
	if (op->op == DRM_XE_VM_BIND_OP_MAP) {
		err = vxe_bind_bo_check(vm, bo, op);
		if (err) {
			vxe_bo_put(bo);
			return ERR_PTR(err);
		}
	}
	return bo;
}

/* With vm->lock held for writing. */
static int vxe_bind_op_run(struct vxe_vm *vm, struct drm_file *file,
			   struct drm_xe_vm_bind_op *op)
{
	struct vxe_bo *bo = vxe_bind_op_bo(vm, file, op);
	int err = 0;

	if (IS_ERR(bo))
		return PTR_ERR(bo);

	/*
	 * xe orders an unbind after the VM's jobs (bookkeep fences of its resv);
	 * vxe waits for them here, so a running job never loses a mapping.
	 */
	if (vxe_bind_op_unmaps(vm, op))
		err = vxe_vm_wait_idle(vm, true);
	if (!err)
		err = vxe_bind_op_apply(vm, bo, op);
	if (bo)
		vxe_bo_put(bo);
	return err;
}

static int vxe_bind_wait_in_syncs(struct vxe_sync *syncs, u32 num)
{
	long ret;
	u32 i;

	for (i = 0; i < num; i++) {
		if (!syncs[i].fence)
			continue;
		ret = dma_fence_wait_timeout(syncs[i].fence, true,
					     msecs_to_jiffies(VXE_VM_WAIT_MS));
		if (ret < 0)
			return ret;
		if (!ret)
			return -ETIME;
	}
	return 0;
}

/* Out-syncs of a bind done in the ioctl: a signalled fence, user fences written. */
static int vxe_bind_signal(struct vxe_sync *syncs, u32 num)
{
	struct dma_fence *stub = dma_fence_get_stub();
	int err = 0;
	u32 i;

	vxe_syncs_signal(syncs, num, stub);
	dma_fence_put(stub);

	for (i = 0; i < num; i++) {
		if (syncs[i].type != DRM_XE_SYNC_TYPE_USER_FENCE)
			continue;
		if (put_user(syncs[i].timeline_value,
			     (u64 __user *)u64_to_user_ptr(syncs[i].addr)))
			err = -EFAULT;
	}
	return err;
}

static int vxe_bind_copy_ops(struct drm_xe_vm_bind *args, struct drm_xe_vm_bind_op **ops)
{
	if (args->num_binds <= 1) {
		*ops = &args->bind;
		return 0;
	}

	*ops = kvmalloc_array(args->num_binds, sizeof(**ops),
			      GFP_KERNEL | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	if (!*ops)
		return -ENOBUFS;
	if (copy_from_user(*ops, u64_to_user_ptr(args->vector_of_binds),
			   sizeof(**ops) * args->num_binds)) {
		kvfree(*ops);
		return -EFAULT;
	}
	return 0;
}

/* The bind queue of a VM_BIND (NULL for the VM's default one), referenced. */
static struct vxe_exec_queue *vxe_bind_get_queue(struct vxe_file *xef, u32 id,
						 struct vxe_vm *vm)
{
	struct vxe_exec_queue *q;

	if (!id)
		return NULL;
	q = vxe_exec_queue_lookup(xef, id);
	if (!q)
		return ERR_PTR(-ENOENT);
	if (!vxe_exec_queue_is_bind(q) || q->vm != vm) {
		vxe_exec_queue_put(q);
		return ERR_PTR(-EINVAL);
	}
	return q;
}

/*
 * A bind on a bind queue whose in-fences (or earlier binds of that queue)
 * have not signalled runs later, on the engine's workqueue, as xe runs it on
 * the bind queue: the ioctl returns at once and the out-syncs get the bind's
 * fence. Userptr binds (they pin in the caller's mm) and user-fence out-syncs
 * (a CPU address) stay in the ioctl.
 */
struct vxe_bind_work {
	struct drm_xe_vm_bind_op *ops;
	struct vxe_bo **bos;
	u32 num;
};

static void vxe_bind_work_free(void *priv)
{
	struct vxe_bind_work *w = priv;
	u32 i;

	for (i = 0; i < w->num; i++)
		if (!IS_ERR_OR_NULL(w->bos[i]))
			vxe_bo_put(w->bos[i]);
	kvfree(w->bos);
	kvfree(w->ops);
	kfree(w);
}

/*
 * The VM's jobs from before the bind are dependencies of the job (xe orders
 * an unbind after them), so no wait is needed here, where a wait would hold
 * the engine's workqueue.
 */
static int vxe_bind_job_run(struct vxe_job *job)
{
	struct vxe_bind_work *w = job->priv;
	struct vxe_vm *vm = job->vm;
	int err = 0;
	u32 i;

	down_write(&vm->lock);
	if (vm->closed)
		err = -ENOENT;
	for (i = 0; !err && i < w->num; i++)
		err = vxe_bind_op_apply(vm, w->bos[i], &w->ops[i]);
	up_write(&vm->lock);
	return err;
}

static bool vxe_bind_deferrable(const struct drm_xe_vm_bind_op *ops, u32 num_ops,
				const struct vxe_sync *syncs, u32 num_syncs)
{
	u32 i;

	for (i = 0; i < num_ops; i++)
		if (ops[i].op == DRM_XE_VM_BIND_OP_MAP_USERPTR)
			return false;
	for (i = 0; i < num_syncs; i++)
		if (syncs[i].type == DRM_XE_SYNC_TYPE_USER_FENCE)
			return false;
	return true;
}

static bool vxe_bind_must_wait(struct vxe_exec_queue *q, const struct vxe_sync *syncs,
			       u32 num_syncs)
{
	bool busy;
	u32 i;

	for (i = 0; i < num_syncs; i++)
		if (syncs[i].fence && !dma_fence_is_signaled(syncs[i].fence))
			return true;
	mutex_lock(&q->lock);
	busy = q->last_fence && !dma_fence_is_signaled(q->last_fence);
	mutex_unlock(&q->lock);
	return busy;
}

static struct vxe_bind_work *vxe_bind_work_create(struct vxe_vm *vm, struct drm_file *file,
						  const struct drm_xe_vm_bind_op *ops, u32 num)
{
	struct vxe_bind_work *w = kzalloc(sizeof(*w), GFP_KERNEL);
	u32 i;

	if (!w)
		return ERR_PTR(-ENOMEM);
	w->ops = kvmalloc_array(num, sizeof(*ops), GFP_KERNEL);
	w->bos = kvcalloc(num, sizeof(*w->bos), GFP_KERNEL);
	if (!w->ops || !w->bos) {
		vxe_bind_work_free(w);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(w->ops, ops, num * sizeof(*ops));
	w->num = num;
	for (i = 0; i < num; i++) {
		w->bos[i] = vxe_bind_op_bo(vm, file, &ops[i]);
		if (IS_ERR(w->bos[i])) {
			int err = PTR_ERR(w->bos[i]);

			vxe_bind_work_free(w);
			return ERR_PTR(err);
		}
	}
	return w;
}

/* Depends on the in-fences and on the VM's jobs so far. */
static int vxe_bind_job_deps(struct vxe_job *job, struct vxe_vm *vm,
			     struct vxe_sync *syncs, u32 num_syncs,
			     struct dma_fence **fences, unsigned int num_fences)
{
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < num_syncs; i++)
		if (syncs[i].fence)
			err = vxe_job_add_dep(job, syncs[i].fence);
	for (i = 0; !err && i < num_fences; i++)
		err = vxe_job_add_dep(job, fences[i]);
	return err;
}

static int vxe_bind_defer(struct vxe_exec_queue *q, struct drm_file *file,
			  const struct drm_xe_vm_bind_op *ops, u32 num_ops,
			  struct vxe_sync *syncs, u32 num_syncs)
{
	struct dma_fence **fences = NULL;
	struct vxe_bind_work *w;
	unsigned int num_fences = 0, i;
	struct vxe_job *job;
	int err;

	w = vxe_bind_work_create(q->vm, file, ops, num_ops);
	if (IS_ERR(w))
		return PTR_ERR(w);
	err = dma_resv_get_fences(vxe_vm_resv(q->vm), DMA_RESV_USAGE_BOOKKEEP,
				  &num_fences, &fences);
	if (err) {
		vxe_bind_work_free(w);
		return err;
	}

	job = vxe_job_create(q, NULL, 0, num_syncs + num_fences);
	if (IS_ERR(job)) {
		err = PTR_ERR(job);
		vxe_bind_work_free(w);
		goto put_fences;
	}
	job->run = vxe_bind_job_run;
	job->priv = w;
	job->free_priv = vxe_bind_work_free;

	err = vxe_bind_job_deps(job, q->vm, syncs, num_syncs, fences, num_fences);
	if (!err)
		err = mutex_lock_interruptible(&q->lock);
	if (!err) {
		err = vxe_job_arm(job);
		if (!err) {
			vxe_syncs_signal(syncs, num_syncs, &job->fence);
			vxe_job_push(job);
		}
		mutex_unlock(&q->lock);
	}
	if (err)
		vxe_job_free(job);
put_fences:
	for (i = 0; i < num_fences; i++)
		dma_fence_put(fences[i]);
	kfree(fences);
	return err;
}

/* The synchronous path waits for the queue's deferred binds too. */
static int vxe_bind_wait_queue(struct vxe_exec_queue *q)
{
	struct dma_fence *last = NULL;
	long ret;

	if (!q)
		return 0;
	mutex_lock(&q->lock);
	if (q->last_fence)
		last = dma_fence_get(q->last_fence);
	mutex_unlock(&q->lock);
	if (!last)
		return 0;
	ret = dma_fence_wait_timeout(last, true, msecs_to_jiffies(VXE_VM_WAIT_MS));
	dma_fence_put(last);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}

static int vxe_bind_ops_run(struct vxe_vm *vm, struct drm_file *file,
			    struct drm_xe_vm_bind_op *ops, u32 num)
{
	int err = 0;
	u32 i;

	err = down_write_killable(&vm->lock);
	if (err)
		return err;
	/* Binds lock the VM's resv: not while an exec retries exclusively */
	err = vxe_validation_lock_shared(vm->vxe);
	if (err)
		goto unlock_vm;
	if (vm->closed)
		err = -ENOENT;
	for (i = 0; !err && i < num; i++)
		err = vxe_bind_op_run(vm, file, &ops[i]);
	vxe_validation_unlock_shared(vm->vxe);
unlock_vm:
	up_write(&vm->lock);
	return err;
}

int vxe_vm_bind_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_vm_bind *args = data;
	struct drm_xe_vm_bind_op *ops;
	struct vxe_sync *syncs = NULL;
	struct vxe_exec_queue *q;
	struct vxe_vm *vm;
	u32 i;
	int err;

	if (args->pad || args->pad2 || args->reserved[0] || args->reserved[1] ||
	    args->extensions || args->num_syncs > DRM_XE_MAX_SYNCS)
		return -EINVAL;

	vm = vxe_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -EINVAL;

	err = vxe_bind_copy_ops(args, &ops);
	if (err)
		goto put_vm;
	for (i = 0; !err && i < args->num_binds; i++)
		err = vxe_bind_op_check(vm, &ops[i]);
	if (err)
		goto free_ops;

	q = vxe_bind_get_queue(xef, args->exec_queue_id, vm);
	if (IS_ERR(q)) {
		err = PTR_ERR(q);
		goto free_ops;
	}

	err = vxe_syncs_parse(file, args->syncs, args->num_syncs, 0, &syncs);
	if (err)
		goto put_queue;

	if (q && args->num_binds &&
	    vxe_bind_deferrable(ops, args->num_binds, syncs, args->num_syncs) &&
	    vxe_bind_must_wait(q, syncs, args->num_syncs)) {
		err = vxe_bind_defer(q, file, ops, args->num_binds, syncs, args->num_syncs);
	} else {
		err = vxe_bind_wait_queue(q);
		if (!err)
			err = vxe_bind_wait_in_syncs(syncs, args->num_syncs);
		if (!err)
			err = vxe_bind_ops_run(vm, file, ops, args->num_binds);
		if (!err)
			err = vxe_bind_signal(syncs, args->num_syncs);
	}

	vxe_syncs_free(syncs, args->num_syncs);
put_queue:
	if (q)
		vxe_exec_queue_put(q);
free_ops:
	if (args->num_binds > 1)
		kvfree(ops);
put_vm:
	vxe_vm_put(vm);
	return err;
}

int vxe_vm_validate(struct vxe_vm *vm, struct ttm_operation_ctx *ctx)
{
	struct drm_gem_object *last = NULL;
	struct drm_gpuva *va;
	int err;

	drm_gpuvm_for_each_va(va, &vm->gpuvm) {
		if (!va->gem.obj || va->gem.obj == last)
			continue;
		last = va->gem.obj;
		err = vxe_bo_validate(gem_to_vxe_bo(va->gem.obj), ctx);
		if (err)
			return err;
	}
	return 0;
}

