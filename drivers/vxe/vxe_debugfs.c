// SPDX-License-Identifier: GPL-2.0
/*
 * vxe's stats in debugfs, as xe keeps its debugfs files in xe_debugfs.c:
 * /sys/kernel/debug/vxe/stats and /sys/kernel/debug/dri/<minor>/vxe_stats,
 * one `name value` line each (docs/vxe.md, "Stats").
 */

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/ttm/ttm_backup.h>

#include "vxe_debugfs.h"
#include "vxe_device_types.h"
#include "vxe_module.h"
#include "vxe_shrinker.h"
#include "vxe_vram.h"

static void vxe_stats_print(struct seq_file *m, struct vxe_device *vxe)
{
	static const struct {
		const char *name;
		size_t offset;
	} counters[] = {
#define VXE_STAT(name, member) { name, offsetof(struct vxe_stats, member) }
		VXE_STAT("bos", bos),
		VXE_STAT("shrinkable_pages", shrinkable),
		VXE_STAT("purgeable_pages", purgeable),
		VXE_STAT("backed_up_pages", backed_up),
		VXE_STAT("backups", backups),
		VXE_STAT("backup_pages", backup_pages),
		VXE_STAT("writeback_backups", writebacks),
		VXE_STAT("reclaim_backups", reclaim_backups),
		VXE_STAT("restores", restores),
		VXE_STAT("restored_pages", restored_pages),
		VXE_STAT("scans", scans),
		VXE_STAT("kswapd_scans", kswapd_scans),
		VXE_STAT("scanned_pages", scanned_pages),
		VXE_STAT("purges", purges),
		VXE_STAT("purged_pages", purged_pages),
		VXE_STAT("busy_skips", busy_skips),
		VXE_STAT("shrink_errors", shrink_errors),
		VXE_STAT("jobs", jobs),
		VXE_STAT("job_timeouts", job_timeouts),
		VXE_STAT("gpu_faults", gpu_faults),
		VXE_STAT("bans", bans),
		VXE_STAT("vram_evictions", vram_evictions),
		VXE_STAT("vram_evicted_pages", vram_evicted_pages),
		VXE_STAT("vram_moves_in", vram_moves_in),
		VXE_STAT("vram_moved_in_pages", vram_moved_in_pages),
		VXE_STAT("vram_moves_out", vram_moves_out),
		VXE_STAT("vram_moved_out_pages", vram_moved_out_pages),
#undef VXE_STAT
	};
	static const struct {
		const char *name;
		const bool *value;
	} params[] = {
		{ "fault_corrupt_restore", &vxe_fault_corrupt_restore },
		{ "fault_zero_restore", &vxe_fault_zero_restore },
		{ "fault_skip_scan", &vxe_fault_skip_scan },
		{ "fault_half_backup", &vxe_fault_half_backup },
		{ "fault_dropcaches_only", &vxe_fault_dropcaches_only },
		{ "fault_lose_willneed", &vxe_fault_lose_willneed },
		{ "fault_corrupt_evict", &vxe_fault_corrupt_evict },
		{ "purge_unreferenced", &vxe_purge_unreferenced },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		seq_printf(m, "%s %ld\n", counters[i].name,
			   atomic_long_read((atomic_long_t *)((char *)&vxe->stats +
							       counters[i].offset)));
	seq_printf(m, "swap_free_pages %llu\n", ttm_backup_bytes_avail() >> PAGE_SHIFT);
	seq_printf(m, "shrinker_count %lu\n", vxe_shrinker_count_pages(vxe));
	if (vxe_is_discrete(vxe)) {
		struct vxe_vram_sizes sz;

		vxe_vram_sizes(vxe, &sz);
		seq_printf(m, "vram_pages %llu\n", sz.total >> PAGE_SHIFT);
		seq_printf(m, "vram_used_pages %llu\n", sz.used >> PAGE_SHIFT);
		seq_printf(m, "vram_visible_pages %llu\n", sz.visible >> PAGE_SHIFT);
		seq_printf(m, "vram_visible_used_pages %llu\n", sz.visible_used >> PAGE_SHIFT);
	}
	for (i = 0; i < ARRAY_SIZE(params); i++)
		seq_printf(m, "%s %d\n", params[i].name, READ_ONCE(*params[i].value));
}

static int vxe_stats_show(struct seq_file *m, void *unused)
{
	vxe_stats_print(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vxe_stats);

static int vxe_drm_stats_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	vxe_stats_print(m, to_vxe(entry->dev));
	return 0;
}

/**
 * vxe_debugfs_init() - the stats files: /sys/kernel/debug/vxe/stats and the
 * DRM minor's vxe_stats
 * @vxe: the device, before drm_dev_register()
 */
void vxe_debugfs_init(struct vxe_device *vxe)
{
	vxe->debugfs = debugfs_create_dir("vxe", NULL);
	debugfs_create_file("stats", 0444, vxe->debugfs, vxe, &vxe_stats_fops);
	drm_debugfs_add_file(&vxe->drm, "vxe_stats", vxe_drm_stats_show, NULL);
}
