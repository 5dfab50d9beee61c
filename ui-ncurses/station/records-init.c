/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The records medium: is one present, and the initialisation of a blank
 * stick as one. The rules are few and all checked again right before
 * anything is written:
 *   - only a whole medium that wiper offers (so never the boot medium, a
 *     mounted or swap medium, one held by dm/md/loop, a read-only one, and
 *     in a demo only the demo's own loop devices);
 *   - only a blank one: libblkid finds neither a partition table nor a
 *     filesystem (probed when listed, and once more before mkfs);
 *   - only the one the technician confirmed by typing its serial: the
 *     medium found by a fresh scan must have the same device number, disk
 *     sequence, serial and size;
 *   - mkfs.ext4 runs without -F, so mke2fs itself refuses a device where it
 *     finds anything (its question gets end-of-file).
 * ext4, because a vfat label holds at most 11 characters and TABULA-RECORDS
 * has 14; tabula-records (iso-build/rootfs) finds it by that label at boot.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui-ncurses/station/records.h"
#include "wiper/content.h"
#include "wiper/enum.h"

#include "certs/custody.h"
#include "certs/ledger.h"

const char *ui_records_mountpoint(const struct ui_app *app)
{
	return app->cfg.records[0] ? app->cfg.records : UI_RECORDS_MNT;
}

/* Undo the octal escapes of /proc/self/mountinfo (\040 for a space) in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* Is something mounted exactly at @path? */
static bool mounted_at(const char *path)
{
	char line[4096], want[PATH_MAX];
	bool found = false;
	FILE *f;

	if (realpath(path, want) == NULL)
		return false;
	f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok = strtok_r(line, " ", &save);
		int i;

		/* id parent major:minor root MOUNTPOINT ... */
		for (i = 0; tok && i < 4; i++)
			tok = strtok_r(NULL, " ", &save);
		if (tok == NULL)
			continue;
		unescape(tok);
		found = strcmp(tok, want) == 0;
	}
	fclose(f);
	return found;
}

/* Does the directory @path hold anything (a ledger in RAM would be hidden by the mount)? */
static bool dir_has_entries(const char *path)
{
	struct dirent *de;
	bool any = false;
	DIR *d = opendir(path);

	if (d == NULL)
		return false;
	while (!any && (de = readdir(d)) != NULL)
		any = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return any;
}

/* Does @d carry a filesystem labelled TABULA-RECORDS? */
static bool has_records_label(const struct wiper_disk *d)
{
	size_t i;

	for (i = 0; i < d->content.nfs; i++)
		if (strcmp(d->content.fs[i].label, WIPER_RECORDS_LABEL) == 0)
			return true;
	return false;
}

bool ui_records_present(const struct ui_app *app, char *name, size_t namelen)
{
	size_t i;

	for (i = 0; i < app->nmedia; i++)
		if (has_records_label(&app->media[i].med.disk)) {
			if (name && namelen)
				snprintf(name, namelen, "%s", app->media[i].med.disk.name);
			return true;
		}
	if (mounted_at(ui_records_mountpoint(app))) {
		if (name && namelen)
			snprintf(name, namelen, "%s", ui_records_mountpoint(app));
		return true;
	}
	return false;
}

const char *ui_records_unsuitable(const struct ui_app *app, const struct ui_medium *m, char *buf,
				  size_t len)
{
	char sz[32], what[160];

	if (m->busy)
		snprintf(buf, len, app->zh ? "正在擦除" : "an erasure is running on it");
	else if (m->med.disk.excl != WIPER_EXCL_NONE)
		snprintf(buf, len, "%s", m->med.disk.excl_reason[0] ? m->med.disk.excl_reason
								 : app->zh ? "不可用" : "not offered");
	else if (m->demo_blocked)
		snprintf(buf, len, app->zh ? "演示模式：只能使用演示的回环设备"
					   : "demo: only the demo's own loop devices");
	else if (m->med.disk.size_bytes < UI_RECORDS_MIN_BYTES)
		snprintf(buf, len, app->zh ? "太小（%s；至少 16 MiB）" : "too small (%s; at least 16 MiB)",
			 wiper_size_str(m->med.disk.size_bytes, sz, sizeof(sz)));
	else if (!m->med.disk.content.probed || m->med.disk.content.error)
		snprintf(buf, len, app->zh ? "无法读取其内容" : "its contents could not be read");
	else if (m->med.disk.content.pttype[0])
		snprintf(buf, len, app->zh ? "有分区表（%s），不是空白的" : "not blank: partition table (%s)",
			 m->med.disk.content.pttype);
	else if (m->med.disk.content.nfs > 0 || m->med.disk.content.truncated)
		snprintf(buf, len, app->zh ? "不是空白的：%s" : "not blank: %s",
			 wiper_content_str(&m->med.disk.content, what, sizeof(what)));
	else
		return NULL;
	return buf;
}

const char *ui_records_confirm_word(const struct ui_medium *m)
{
	return m->med.disk.serial[0] ? m->med.disk.serial : m->med.disk.name;
}

/* The disk in @d[@n] that is @want as confirmed, or NULL. */
static struct wiper_disk *same_disk(struct wiper_disk *d, size_t n, const struct wiper_disk *want)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (d[i].devnum != want->devnum || strcmp(d[i].name, want->name) != 0 ||
		    strcmp(d[i].serial, want->serial) != 0 || d[i].size_bytes != want->size_bytes)
			continue;
		if (d[i].diskseq && want->diskseq && d[i].diskseq != want->diskseq)
			continue;
		return &d[i];
	}
	return NULL;
}

/*
 * Create the ledger and its station key at @path as cert_custody_setup()
 * rules: sealed by this PC's TPM when there is one, a demo key file only
 * when @demo_file. 0 or -errno, with what was done (or why not) in @err.
 */
static int create_ledger(const char *path, bool demo_file, char *err, size_t errlen)
{
	struct cert_custody_setup_opts o = { .demo_file = demo_file };
	char fp[CERT_FP_HEX];
	int rc;

	rc = cert_custody_setup(path, &o, fp, err, errlen);
	return rc < 0 ? rc : 0;
}

/* Last line of @s (tool output), trimmed, in place. */
static const char *last_line(char *s)
{
	char *e = s + strlen(s), *p;

	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		*--e = '\0';
	p = strrchr(s, '\n');
	return p ? p + 1 : s;
}

/* The message in the session's language (both literals, so formats are checked). */
#define Z(en_, zh_) (app->zh ? (zh_) : (en_))

int ui_records_init(struct ui_app *app, const struct ui_medium *m, bool demo_file, char *msg,
		    size_t msglen)
{
	struct wiper_scan_opts so = { .include_loop = app->include_loop, .probe_content = true };
	const char *why;
	struct wiper_disk *disks = NULL, *d;
	struct wiper_content c;
	struct ui_medium fresh;
	char node[sizeof(m->med.disk.node)], name[64], sz[32], buf[256], out[2048], err[256];
	char ledger[sizeof(app->cfg.ledger)], mnt[sizeof(app->cfg.records)];
	int rc, n;

	/* A copy: app->cfg.records is rewritten below. */
	snprintf(mnt, sizeof(mnt), "%s", ui_records_mountpoint(app));
	if (ui_records_present(app, buf, sizeof(buf))) {
		snprintf(msg, msglen, Z("A records medium is already attached (%s); nothing was written.",
				       "已连接记录介质（%s）；未写入任何内容。"), buf);
		return -EEXIST;
	}
	if (dir_has_entries(mnt)) {
		snprintf(msg, msglen, Z("%s is not empty (a ledger in RAM?): mounting there would hide "
				       "it; nothing was written.",
				       "%s 不是空的（内存中的台账？）：挂载会将其遮住；未写入任何内容。"), mnt);
		return -ENOTEMPTY;
	}
	if ((size_t)snprintf(ledger, sizeof(ledger), "%s/ledger.db", mnt) >= sizeof(ledger)) {
		snprintf(msg, msglen, "The records mount point %s is too long.", mnt);
		return -ENAMETOOLONG;
	}

	/* Scan again: the medium confirmed must still be there, unchanged, and suitable. */
	n = wiper_scan(&so, &disks);
	if (n < 0) {
		snprintf(msg, msglen, Z("Scan failed (%s); nothing was written.",
				       "扫描失败（%s）；未写入任何内容。"), strerror(-n));
		return n;
	}
	d = same_disk(disks, (size_t)n, &m->med.disk);
	if (d == NULL) {
		wiper_disks_free(disks, (size_t)n);
		snprintf(msg, msglen, Z("%s is no longer attached as confirmed (unplugged or "
				       "replaced?); nothing was written.",
				       "%s 已不是确认时的介质（被拔出或更换？）；未写入任何内容。"),
			 m->med.disk.name);
		return -ENODEV;
	}
	memset(&fresh, 0, sizeof(fresh));
	fresh.med.disk = *d;	/* borrowed: freed with disks below */
	fresh.busy = m->busy;
	fresh.demo_blocked = app->demo &&
			     (d->transport != WIPER_TRAN_LOOP ||
			      (app->demo_dir[0] &&
			       strncmp(d->backing_file, app->demo_dir, strlen(app->demo_dir)) != 0));
	why = ui_records_unsuitable(app, &fresh, buf, sizeof(buf));
	snprintf(node, sizeof(node), "%s", d->node);
	snprintf(name, sizeof(name), "%s", d->name);
	wiper_disks_free(disks, (size_t)n);
	if (why) {
		snprintf(msg, msglen, Z("%s: %s; nothing was written.", "%s：%s；未写入任何内容。"), name,
			 why);
		return -EPERM;
	}
	/* And once more straight from the device, right before writing. */
	memset(&c, 0, sizeof(c));
	rc = wiper_content_probe(node, name, &c);
	if (rc < 0 || c.pttype[0] || c.nfs > 0 || c.truncated) {
		snprintf(msg, msglen, Z("%s: %s; nothing was written.", "%s：%s；未写入任何内容。"), name,
			 rc < 0 ? strerror(-rc) : Z("not blank any more", "已不再是空白的"));
		return rc < 0 ? rc : -EPERM;
	}

	/*
	 * The station key: sealed by this PC's TPM; without one a key file on
	 * the medium is a choice the technician makes here (a demo station has
	 * made it by starting in demo mode), never a silent fallback.
	 */
	demo_file = demo_file || app->demo;
	if (!demo_file && !cert_custody_tpm_present(NULL)) {
		snprintf(msg, msglen, Z("This PC has no TPM 2.0: the station key would be a file on "
				       "the records medium, and whoever holds the medium could sign "
				       "with it (demo custody, not evidence; every certificate says "
				       "so). Press d to choose demo key-file custody, Esc to cancel. "
				       "Nothing was written.",
				       "此电脑没有 TPM 2.0：工作站密钥将是记录介质上的文件，持有该介质的任何人"
				       "都可以用它签名（演示保管，不作为证据；每份证书都会注明）。按 d 选择演示"
				       "密钥文件保管，按 Esc 取消。未写入任何内容。"));
		return -ENODEV;
	}

	{
		const char *const argv[] = { "mkfs.ext4", "-q", "-L", WIPER_RECORDS_LABEL, "-m", "0",
					     node, NULL };

		out[0] = '\0';
		rc = ui_spawn(argv, out, sizeof(out), 180000);
	}
	if (rc != 0) {
		snprintf(msg, msglen, "mkfs.ext4 on %s failed (%s): %s", name,
			 rc < 0 ? strerror(-rc) : "exit status", last_line(out));
		return rc < 0 ? rc : -EIO;
	}
	if (mkdir(mnt, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(msg, msglen, Z("%s now holds an empty TABULA-RECORDS filesystem, but %s: %s",
				       "%s 已有空的 TABULA-RECORDS 文件系统，但 %s：%s"),
			 name, mnt, strerror(-rc));
		return rc;
	}
	if (mount(node, mnt, "ext4", MS_NOATIME | MS_NODEV | MS_NOSUID | MS_NOEXEC, NULL) < 0) {
		rc = -errno;
		snprintf(msg, msglen, Z("%s now holds an empty TABULA-RECORDS filesystem, but mounting "
				       "it at %s failed: %s",
				       "%s 已有空的 TABULA-RECORDS 文件系统，但挂载到 %s 失败：%s"),
			 name, mnt, strerror(-rc));
		return rc;
	}
	rc = create_ledger(ledger, demo_file, err, sizeof(err));
	if (rc < 0) {
		snprintf(msg, msglen, Z("%s is mounted at %s, but creating the ledger failed: %s",
				       "%s 已挂载到 %s，但创建台账失败：%s"), name, mnt, err);
		return rc;
	}
	sync();
	/* From now on certificates and PDFs go to the records medium. */
	snprintf(app->cfg.ledger, sizeof(app->cfg.ledger), "%s", ledger);
	snprintf(app->cfg.records, sizeof(app->cfg.records), "%s", mnt);
	ui_cert_ledger_status_reset();
	snprintf(msg, msglen, Z("%s (serial %s, %s) is now the records medium, mounted at %s; "
			       "ledger %s created; %s.",
			       "%s（序列号 %s，%s）现在是记录介质，已挂载到 %s；已创建台账 %s；%s。"),
		 name, m->med.disk.serial[0] ? m->med.disk.serial : "-",
		 wiper_size_str(m->med.disk.size_bytes, sz, sizeof(sz)), mnt, ledger, err);
	return 0;
}
