// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The BOs' own counters: fdinfo texts as vttm (drm_show_memory_stats()) and
 * xe (xe_drm_client.c: per-region keys, a backed-up BO not resident) print
 * them, parsed and summed over the regions, and whether they count the BOs
 * at all. The judgements on them are igt_shrink_verdict's test.
 */

#include <fcntl.h>
#include <sys/stat.h>

#include "igt_client_mem.h"
#include "igt_core.h"
#include "igt_drm_fdinfo.h"
#include "igt_tests_common.h"
#include "shrink_fixture.h"


static const char vttm_text[] =
	"pos:\t0\nflags:\t02100002\nmnt_id:\t25\nino:\t117\n"
	"drm-driver:\tvttm\ndrm-client-id:\t7\n"
	"drm-total-memory:\t252 MiB\ndrm-shared-memory:\t0\n"
	"drm-resident-memory:\t12 MiB\n";

static const char xe_text[] =
	"drm-driver:\txe\ndrm-client-id:\t3\ndrm-pdev:\t0000:00:02.0\n"
	"drm-total-system:\t4 MiB\ndrm-shared-system:\t0\n"
	"drm-resident-system:\t0\ndrm-purgeable-system:\t0\n"
	"drm-total-gtt:\t250 MiB\ndrm-shared-gtt:\t0\n"
	"drm-resident-gtt:\t256000 KiB\ndrm-active-gtt:\t0\n"
	"drm-total-vram0:\t0\ndrm-resident-vram0:\t0\n"
	"drm-cycles-rcs:\t28257900\ndrm-total-cycles-rcs:\t7655183225\n";

static void parse(const char *root, const char *text, struct drm_client_fdinfo *info,
		  unsigned int *keys)
{
	int dir;

	fixture_write(root, "/fdinfo/5", text);
	dir = open(root, O_DIRECTORY | O_RDONLY);
	memset(info, 0, sizeof(*info));
	*keys = __igt_parse_drm_fdinfo(dir, "fdinfo/5", info, NULL, 0, NULL, 0);
	close(dir);
}

static void test_parse(const char *root)
{
	struct drm_client_fdinfo info;
	unsigned int keys;

	parse(root, vttm_text, &info, &keys);
	check(keys > 0, NULL);
	check(!strcmp(info.driver, "vttm") && info.id == 7, NULL);
	check(info.num_regions == 1 && !strcmp(info.region_names[0], "memory"), NULL);
	check(info.region_mem[0].total == 252 * MiB, NULL);
	check(info.region_mem[0].resident == 12 * MiB, NULL);

	parse(root, xe_text, &info, &keys);
	check(info.num_regions == 3, NULL);
	check(!strcmp(info.region_names[1], "gtt"), NULL);
	check(info.region_mem[1].resident == 250 * MiB, NULL);
	check(info.region_mem[0].total == 4 * MiB, NULL);

	parse(root, "pos:\t0\nflags:\t02\n", &info, &keys);
	check(keys == 0, NULL);
}

static void test_tracks(void)
{
	uint64_t bytes = 252 * MiB;
	struct igt_client_mem filled = { bytes, bytes };
	struct igt_client_mem no_resident = { bytes, 0 };	/* total without resident */

	check(igt_client_mem_tracks(&filled, bytes), NULL);
	check(!igt_client_mem_tracks(&no_resident, bytes), NULL);
	check(!igt_client_mem_tracks(&filled, 0), NULL);
}

int main(void)
{
	char *root = fixture_root();

	test_parse(root);
	test_tracks();
	fixture_cleanup(root);
	return checks_done("igt_shrink_client_mem");
}
