// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
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
 * No handler runs on SIGKILL (igt_runner's last resort after a timeout), and
 * the next run would then take the changed value for the original. So the
 * originals are also kept in a state file, /run/igt_knob/<pid>, written
 * before the first change and removed once everything is restored. /run is a
 * tmpfs: the files go away at reboot, with the settings they describe. The
 * first igt_knob_set() of a run puts back what a killed run (a state file
 * whose process is gone) left behind, and says so.
 *
 * Paths go through igt_sysroot, so unit tests can use a fixture tree.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_sysroot.h"

#define KNOB_MAX 16
#define KNOB_STATE_DIR "/run/igt_knob"

/* Fixed storage: the restore path runs from signal context. */
static struct knob {
	char path[256];
	char value[128];
	bool saved;
} knobs[KNOB_MAX];

static pid_t knob_owner;
static bool knob_handler_installed;
/* Resolved once, outside signal context: this process's state file */
static char knob_state[600];

static void append(char *buf, size_t len, size_t *at, const char *s)
{
	while (*s && *at + 1 < len)
		buf[(*at)++] = *s++;
	buf[*at] = '\0';
}

/*
 * Rewrites the state file from the saved knobs, or removes it when none is
 * left. Async-signal safe (it runs from the exit handler too).
 */
static void knob_state_write(void)
{
	char buf[KNOB_MAX * 400];
	size_t at = 0;
	ssize_t n;
	int fd;

	if (!knob_state[0])
		return;
	for (int i = 0; i < KNOB_MAX; i++) {
		if (!knobs[i].saved)
			continue;
		append(buf, sizeof(buf), &at, knobs[i].path);
		append(buf, sizeof(buf), &at, "\t");
		append(buf, sizeof(buf), &at, knobs[i].value);
		append(buf, sizeof(buf), &at, "\n");
	}
	if (!at) {
		unlink(knob_state);
		return;
	}
	fd = open(knob_state, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	n = write(fd, buf, at);
	close(fd);
	if (n != (ssize_t)at)
		unlink(knob_state);
}

/* Puts back the originals listed in the state file of a killed run */
static void knob_recover_file(const char *file, pid_t pid)
{
	char line[512];
	FILE *f = fopen(file, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		int err;

		if (!tab)
			continue;
		*tab++ = '\0';
		tab[strcspn(tab, "\n")] = '\0';
		err = igt_sysroot_write(line, tab);
		igt_info("knob %s: %s \"%s\", its value before run %d, "
			 "which was killed before it could restore it%s%s\n", line,
			 err ? "could not restore" : "restored", tab, pid,
			 err ? ": " : "", err ? strerror(-err) : "");
	}
	fclose(f);
	unlink(file);
}

/* Once per run, before the first change: recover from killed runs */
static void knob_state_init(void)
{
	char dir[512];
	struct dirent *de;
	DIR *d;

	if (!igt_sysroot_path(KNOB_STATE_DIR, dir, sizeof(dir)))
		return;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		igt_debug("knob: no state directory %s: %s\n", dir, strerror(errno));
		return;
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char file[768], *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || pid == getpid())
			continue;
		if (!kill(pid, 0) || errno != ESRCH)
			continue;	/* that run is still going */
		snprintf(file, sizeof(file), "%s/%s", dir, de->d_name);
		knob_recover_file(file, pid);
	}
	closedir(d);
	snprintf(knob_state, sizeof(knob_state), "%s/%d", dir, (int)getpid());
}

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

	if (!err) {
		k->saved = false;
		knob_state_write();
	}
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
		knob_state_write();	/* before the change, so a kill cannot lose it */
		return k;
	}
	errno = ENOSPC;
	return NULL;
}

/**
 * __igt_knob_set:
 * @path: absolute path of the setting as on a real system,
 *	  e.g. "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
 * @value: new value, e.g. "always"
 *
 * Saves the current value (only on the first change since the last restore),
 * in memory and in this run's state file, then writes @value. The first call
 * of a run first restores what killed runs left in their state files. For "choice" files ("a [b] c") the selected word is what
 * gets saved.
 *
 * Returns: 0 on success or -errno; nothing is left saved if reading failed.
 */
int __igt_knob_set(const char *path, const char *value)
{
	struct knob *k;
	int err;

	if (!knob_handler_installed) {
		knob_owner = getpid();
		knob_state_init();
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
 * igt_knob_set:
 * @path: absolute path of the setting as on a real system
 * @value: new value
 *
 * __igt_knob_set(), failing the test when the setting cannot be changed.
 */
void igt_knob_set(const char *path, const char *value)
{
	int err = __igt_knob_set(path, value);

	igt_assert_f(!err, "%s: cannot set \"%s\": %s\n", path, value, strerror(-err));
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
