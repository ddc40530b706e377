/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe exec queues: EXEC_QUEUE_CREATE/DESTROY/GET_PROPERTY, the order of the
 * jobs of a queue and its ban state.
 */
#ifndef VXE_EXEC_QUEUE_H
#define VXE_EXEC_QUEUE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct dma_fence;
struct drm_device;
struct drm_file;
struct vxe_device;
struct vxe_file;
struct vxe_vm;

struct vxe_exec_queue {
	struct kref ref;
	struct vxe_device *vxe;
	struct vxe_vm *vm;		/* reference held */
	u16 engine_class;		/* DRM_XE_ENGINE_CLASS_* */
	u16 width;
	u64 fence_context;		/* dma_fence_context_alloc(1) */
	/* Serialises submission: seqno and last_fence. */
	struct mutex lock;
	u64 seqno;
	struct dma_fence *last_fence;	/* the newest job's fence, or NULL */
	/* Set once, by a GPU fault or a job timeout: execs fail with -ECANCELED. */
	bool banned;
	/* Destroyed or its file closed: the running job stops. */
	bool killed;
};

/**
 * vxe_exec_queue_lookup() - the exec queue of an id of a file
 * @xef: the file
 * @id: id from EXEC_QUEUE_CREATE
 *
 * Return: the queue with a reference taken, or NULL.
 */
struct vxe_exec_queue *vxe_exec_queue_lookup(struct vxe_file *xef, u32 id);

/** vxe_exec_queue_get() - take a reference to an exec queue */
struct vxe_exec_queue *vxe_exec_queue_get(struct vxe_exec_queue *q);

/** vxe_exec_queue_put() - drop a reference to an exec queue */
void vxe_exec_queue_put(struct vxe_exec_queue *q);

/** vxe_exec_queue_is_bind() - whether @q is a VM_BIND queue (no jobs) */
bool vxe_exec_queue_is_bind(const struct vxe_exec_queue *q);

/**
 * vxe_exec_queue_ban() - ban a queue after a GPU fault or a job timeout
 * @q: the queue
 *
 * Later execs fail with -ECANCELED and the BAN property reads 1, as on xe.
 * Counts the ban in the device stats once.
 */
void vxe_exec_queue_ban(struct vxe_exec_queue *q);

/**
 * vxe_exec_queue_close_all() - kill and drop every exec queue of a file
 * @xef: the file, at postclose
 */
void vxe_exec_queue_close_all(struct vxe_file *xef);

int vxe_exec_queue_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_exec_queue_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_exec_queue_get_property_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
