/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/content.h"

#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy a probe value if present. */
static void lookup(blkid_probe pr, const char *key, char *dst, size_t len)
{
	const char *val = NULL;

	dst[0] = '\0';
	if (blkid_probe_lookup_value(pr, key, &val, NULL) == 0 && val)
		snprintf(dst, len, "%s", val);
}

/* Probe for a filesystem in [off, off+size) of @fd and fill @f. */
static void probe_fs(int fd, uint64_t off, uint64_t size, struct wiper_fs *f)
{
	blkid_probe pr = blkid_new_probe();

	if (pr == NULL)
		return;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)off, (blkid_loff_t)size) == 0) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_TYPE |
						      BLKID_SUBLKS_UUID);
		blkid_probe_enable_partitions(pr, 0);
		if (blkid_do_safeprobe(pr) == 0) {
			lookup(pr, "TYPE", f->fstype, sizeof(f->fstype));
			lookup(pr, "LABEL", f->label, sizeof(f->label));
			lookup(pr, "UUID", f->uuid, sizeof(f->uuid));
		}
	}
	blkid_free_probe(pr);
}

int wiper_content_probe(const char *path, const char *name, struct wiper_content *c)
{
	blkid_partlist pl;
	blkid_probe pr;
	uint64_t size;
	int fd, rc = 0, i, nparts;

	memset(c, 0, sizeof(*c));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		c->error = -errno;
		return c->error;
	}
	pr = blkid_new_probe();
	if (pr == NULL) {
		close(fd);
		return -ENOMEM;
	}
	if (blkid_probe_set_device(pr, fd, 0, 0) != 0) {
		rc = -EIO;
		goto out;
	}
	size = (uint64_t)blkid_probe_get_size(pr);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_TYPE |
					      BLKID_SUBLKS_UUID);
	/* safeprobe returns -2 for ambivalent results (e.g. two signatures); keep going. */
	if (blkid_do_safeprobe(pr) == -1) {
		rc = -EIO;
		goto out;
	}
	c->probed = true;
	lookup(pr, "PTTYPE", c->pttype, sizeof(c->pttype));
	{
		char type[32];

		lookup(pr, "TYPE", type, sizeof(type));
		if (type[0]) {
			struct wiper_fs *f = &c->fs[c->nfs++];

			snprintf(f->fstype, sizeof(f->fstype), "%s", type);
			lookup(pr, "LABEL", f->label, sizeof(f->label));
			lookup(pr, "UUID", f->uuid, sizeof(f->uuid));
			f->size = size;
		}
	}
	if (c->pttype[0] == '\0')
		goto out;
	pl = blkid_probe_get_partitions(pr);
	nparts = pl ? blkid_partlist_numof_partitions(pl) : 0;
	for (i = 0; i < nparts; i++) {
		blkid_partition par = blkid_partlist_get_partition(pl, i);
		size_t nlen = strlen(name);
		struct wiper_fs *f;
		uint64_t start, psize;

		if (par == NULL)
			continue;
		if (c->nfs >= sizeof(c->fs) / sizeof(c->fs[0])) {
			c->truncated = true;
			break;
		}
		/* An extended DOS partition is a container, not content. */
		if (blkid_partition_is_extended(par))
			continue;
		f = &c->fs[c->nfs++];
		start = (uint64_t)blkid_partition_get_start(par) * 512;
		psize = (uint64_t)blkid_partition_get_size(par) * 512;
		snprintf(f->part, sizeof(f->part), "%s%s%d", name,
			 (nlen && name[nlen - 1] >= '0' && name[nlen - 1] <= '9') ? "p" : "",
			 blkid_partition_get_partno(par));
		f->size = psize;
		if (start < size && psize > 0)
			probe_fs(fd, start, psize, f);
	}
out:
	blkid_free_probe(pr);
	close(fd);
	c->error = rc;
	return rc;
}
