/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tests/lib/safeloop.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define LOOP_MAJOR_NR 7

bool safeloop_available(const char **why)
{
	if (geteuid() != 0) {
		*why = "needs root to create loop devices";
		return false;
	}
	if (access("/dev/loop-control", R_OK | W_OK) != 0) {
		*why = "no /dev/loop-control";
		return false;
	}
	return true;
}

int safeloop_create(struct safeloop *l, uint64_t size, unsigned sector)
{
	const char *tmp = getenv("TMPDIR");
	struct loop_config cfg;
	struct stat st;
	int ctl = -1, fd = -1, lfd = -1, rc, tries;

	memset(l, 0, sizeof(*l));
	snprintf(l->dir, sizeof(l->dir), "%s/tabula-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(l->dir) == NULL)
		return -errno;
	if ((size_t)snprintf(l->file, sizeof(l->file), "%s/medium.img", l->dir) >= sizeof(l->file)) {
		rmdir(l->dir);
		return -ENAMETOOLONG;
	}
	fd = open(l->file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	if (ftruncate(fd, (off_t)size) < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		goto fail;
	}
	l->file_dev = st.st_dev;
	l->file_ino = st.st_ino;
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		rc = -errno;
		goto fail;
	}
	/* Another process may grab the same free device: retry a few times. */
	for (tries = 0; tries < 16; tries++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);

		if (n < 0) {
			rc = -errno;
			goto fail;
		}
		snprintf(l->dev, sizeof(l->dev), "/dev/loop%d", n);
		lfd = open(l->dev, O_RDWR | O_CLOEXEC);
		if (lfd < 0) {
			rc = -errno;
			goto fail;
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = (uint32_t)fd;
		cfg.block_size = sector;
		cfg.info.lo_flags = LO_FLAGS_DIRECT_IO;
		if (ioctl(lfd, LOOP_CONFIGURE, &cfg) == 0)
			break;
		rc = -errno;
		close(lfd);
		lfd = -1;
		if (rc != -EBUSY)
			goto fail;
	}
	if (lfd < 0)
		goto fail;
	close(lfd);
	close(ctl);
	close(fd);
	l->attached = true;
	return 0;
fail:
	if (lfd >= 0)
		close(lfd);
	if (ctl >= 0)
		close(ctl);
	if (fd >= 0)
		close(fd);
	unlink(l->file);
	rmdir(l->dir);
	return rc;
}

/* Print why and abort: a test must never write where it did not create. */
__attribute__((noreturn)) static void refuse(const char *path, const char *why)
{
	fprintf(stderr, "SAFETY ABORT: refusing to write to %s: %s\n", path, why);
	abort();
}

void safeloop_assert_own(const struct safeloop *l, const char *path)
{
	char sysf[128], backing[PATH_MAX], real[PATH_MAX];
	struct stat st, fst;
	FILE *f;
	size_t n;

	if (!l->attached || strcmp(path, l->dev) != 0)
		refuse(path, "not the loop device this test created");
	if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode) || major(st.st_rdev) != LOOP_MAJOR_NR)
		refuse(path, "not a loop block device");
	snprintf(sysf, sizeof(sysf), "/sys/dev/block/%u:%u/loop/backing_file", major(st.st_rdev),
		 minor(st.st_rdev));
	f = fopen(sysf, "re");
	if (f == NULL)
		refuse(path, "loop device has no backing file");
	n = fread(backing, 1, sizeof(backing) - 1, f);
	fclose(f);
	backing[n] = '\0';
	while (n > 0 && backing[n - 1] == '\n')
		backing[--n] = '\0';
	if (realpath(l->file, real) == NULL || strcmp(real, backing) != 0)
		refuse(path, "backing file is not the file this test created");
	if (stat(l->file, &fst) < 0 || fst.st_dev != l->file_dev || fst.st_ino != l->file_ino)
		refuse(path, "backing file was replaced");
	if (strncmp(real, l->dir, strlen(l->dir)) != 0 && strstr(real, "tabula-test-") == NULL)
		refuse(path, "backing file is outside the test's directory");
}

void safeloop_destroy(struct safeloop *l)
{
	if (l->attached) {
		int fd = open(l->dev, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ioctl(fd, LOOP_CLR_FD, 0);
			close(fd);
		}
		l->attached = false;
	}
	if (l->file[0])
		unlink(l->file);
	if (l->dir[0])
		rmdir(l->dir);
}
