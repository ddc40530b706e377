// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 */

/**
 * SECTION:igt_knob
 * @short_description: Change system settings and always put them back
 * @title: knobs
 * @include: igt_knob.h
 *
 * A knob is a /proc or /sys file holding one setting (a THP mode, a module
 * parameter, a sysctl). igt_knob_set() remembers the value found before the
 * first change and installs an exit handler, so the old value comes back on
 * normal exit, on failure and skip, and on the signals IGT's exit handlers
 * cover. Subtests should also call igt_knob_restore_all() when they finish, so
 * the next subtest starts from the system's own settings.
 *
 * Paths go through igt_sysroot, so unit tests can use a fixture tree.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_sysroot.h"

#define KNOB_MAX 16

/* Fixed storage: the restore path runs from signal context. */
static struct knob {
	char path[256];
	char value[128];
	bool saved;
} knobs[KNOB_MAX];

static pid_t knob_owner;
static bool knob_handler_installed;

static struct knob *knob_find(const char *path)
{
	for (int i = 0; i < KNOB_MAX; i++)
		if (knobs[i].saved && !strcmp(knobs[i].path, path))
			return &knobs[i];
	return NULL;
}

static int knob_write_back(struct knob *k)
{
	int err = igt_sysroot_write(k->path, k->value);

	if (!err)
		k->saved = false;
	return err;
}

static void knob_exit_handler(int sig)
{
	/* Forked children inherit the list; only the process that saved restores */
	if (getpid() != knob_owner)
		return;
	igt_knob_restore_all();
}

static struct knob *knob_save(const char *path)
{
	struct knob *k = knob_find(path);

	if (k)
		return k;

	for (int i = 0; i < KNOB_MAX; i++) {
		if (knobs[i].saved)
			continue;
		k = &knobs[i];
		if (!igt_sysroot_read_selected(path, k->value, sizeof(k->value)))
			return NULL;
		snprintf(k->path, sizeof(k->path), "%s", path);
		k->saved = true;
		return k;
	}
	errno = ENOSPC;
	return NULL;
}

/**
 * igt_knob_set:
 * @path: absolute path of the setting as on a real system,
 *	  e.g. "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
 * @value: new value, e.g. "always"
 *
 * Saves the current value (only on the first change since the last restore),
 * then writes @value. For "choice" files ("a [b] c") the selected word is what
 * gets saved.
 *
 * Returns: 0 on success or -errno; nothing is left saved if reading failed.
 */
int igt_knob_set(const char *path, const char *value)
{
	struct knob *k;
	int err;

	if (!knob_handler_installed) {
		knob_owner = getpid();
		igt_install_exit_handler(knob_exit_handler);
		knob_handler_installed = true;
	}
	if (knob_owner != getpid())
		return -EPERM;

	k = knob_save(path);
	if (!k)
		return errno ? -errno : -EIO;

	err = igt_sysroot_write(path, value);
	if (err)
		igt_debug("knob %s: writing \"%s\" failed: %s\n",
			  path, value, strerror(-err));
	else
		igt_debug("knob %s: \"%s\" -> \"%s\"\n", path, k->value, value);
	return err;
}

/**
 * igt_knob_restore:
 * @path: a path earlier passed to igt_knob_set()
 *
 * Returns: 0 on success or when nothing was saved for @path, else -errno.
 */
int igt_knob_restore(const char *path)
{
	struct knob *k = knob_find(path);

	return k ? knob_write_back(k) : 0;
}

/**
 * igt_knob_restore_all:
 *
 * Writes back every saved value. Async-signal safe.
 *
 * Returns: 0, or the first error met (the other knobs are still restored).
 */
int igt_knob_restore_all(void)
{
	int ret = 0, err;

	for (int i = KNOB_MAX - 1; i >= 0; i--) {
		if (!knobs[i].saved)
			continue;
		err = knob_write_back(&knobs[i]);
		if (err && !ret)
			ret = err;
	}
	return ret;
}

/**
 * igt_knob_saved_count:
 *
 * Returns: how many settings currently wait to be restored.
 */
int igt_knob_saved_count(void)
{
	int n = 0;

	for (int i = 0; i < KNOB_MAX; i++)
		n += knobs[i].saved;
	return n;
}
