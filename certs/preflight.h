/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Before a medium is touched: can its certificate be issued at all? And
 * may a command write where it was told to?
 *
 * certs_preflight() answers the first question for every front end (the
 * certs CLI's appending commands, wiper erase --ledger, the station);
 * certs_job_begin() runs it too, so a front end that notes its job before
 * the first write (all of them do) is covered even without calling it. It
 * only reads: it creates, opens for writing or changes nothing, so it can
 * run before the confirmation prompt and again right before the first
 * write.
 */
#ifndef CERTS_PREFLIGHT_H
#define CERTS_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "certs/issue.h"
#include "certs/record.h"

/* Free space asked for where the ledger and the PDFs go: a record, its WAL frames, a PDF. */
#define CERTS_PREFLIGHT_SPACE (8u << 20)

/*
 * Check, in this order, that a certificate can be appended to the ledger
 * at @ledger_path and its PDF written:
 *
 *   0. the station's clock is not before CERT_TIME_MIN (2020-01-01): the
 *      record would be dated by it and refused at append           -EINVAL;
 *   1. the path: not NULL or "", not ":memory:", not an SQLite URI
 *      ("file:...") or a PostgreSQL URI;                          -EINVAL
 *   2. the ledger (and its -wal, -shm and -journal files, where they exist)
 *      is not a symbolic link                                     -ELOOP
 *      and is a regular file: not a directory                      -EISDIR
 *      nor a block or character device, FIFO or socket;           -ENODEV
 *      when it does not exist yet, its directory exists           -ENOENT
 *      and is a directory                                         -ENOTDIR;
 *   3. an existing ledger is a Tabula ledger (opened read-only)   -EBADMSG
 *      or another -errno from cert_ledger_open();
 *   4. the station key, through certs_key_usable(): see there;
 *   5. the ledger is writable (an existing file opened O_RDWR, else its
 *      directory writable), and so are the ledger's directory and the PDF
 *      directory (@o->pdf_dir, default the ledger's), which must exist
 *                                                        -EACCES / -EROFS;
 *   6. CERTS_PREFLIGHT_SPACE bytes free for an unprivileged user on the
 *      ledger's and the PDF directory's filesystems             -ENOSPC;
 *   7. @who (NULL: not checked, e.g. certs recover, whose records already
 *      name their people) by cert_people_check(), @origin (NULL: none) by
 *      cert_origin_check(), and @o's station id, notes and destination
 *      details by the same rules (certs/validate.h)                -EINVAL;
 *   8. with @who, the 保密 rules of @o->policy (cert_policy_check()) for
 *      @origin (else @o->origin) and @o->destination               -EINVAL;
 *   9. the station name, when given, is the one the ledger's chain carries
 *                                                                   -EXDEV;
 *  10. the font files the certificate embeds, for @o's language or else the
 *      ledger's, are installed (cert_pdf_fonts_ok())              -ENOENT.
 *
 * @o may be NULL (defaults: $TABULA_STATION or "TABULA", "<ledger>.key",
 * the ledger's directory). Returns 0 when all hold, else the first
 * failure's -errno with one line in @err naming the path or field and what
 * is wrong, fit to show as is (front ends exit 2 on it).
 *
 * Not checked here, and left to the caller: that the ledger does not live
 * on the medium about to be erased (libwiper never offers a mounted or
 * records medium), and the time window of the finished record (checked at
 * append).
 */
int certs_preflight(const char *ledger_path, const struct cert_people *who,
		    const struct cert_origin *origin, const struct cert_issue_opts *o, char *err,
		    size_t errlen);

/*
 * Steps 1 and 2 alone: may @ledger_path be a ledger at all? certs_issue_record()
 * runs it, so no certificate goes into "", ":memory:", a link or a device.
 * 0 or -errno with @err as above.
 */
int certs_ledger_path_ok(const char *ledger_path, char *err, size_t errlen);

/*
 * Is the station key that would sign appends to @ledger_path usable?
 * @key_path NULL means "<ledger>.key". When the ledger already names its
 * station (it has records), the key must exist, be a regular file and no
 * symbolic link, load (an Ed25519 key, mode 0600: cert_key_load()) and
 * have the fingerprint the ledger holds: -ENOKEY (missing), -ELOOP,
 * -EACCES, -EINVAL, -EKEYREJECTED (another key). For a new ledger the key
 * may be missing (it is made on the first append, in the ledger's
 * directory) but if present must load. 0 or -errno with @err.
 * The one place that says how the key is held: key custody other than a
 * file (TPM) replaces this function.
 */
int certs_key_usable(const char *ledger_path, const char *key_path, char *err, size_t errlen);

/*
 * May a command write a file at @out (e.g. `certs pdf -o OUT`)? Refused
 * even with @force: a block or character device (-ENODEV), a directory
 * (-EISDIR), and the ledger at @ledger (may be NULL), its -wal, -shm and
 * -journal files, its key "<ledger>.key" and @key_path (may be NULL) --
 * compared by device and inode when they exist (so "./x/../ledger.db" and
 * hard links are caught) and by directory and name when they do not yet
 * (a stray "-wal" would be taken for the ledger's)                -EPERM.
 * Refused without @force: any file that exists                 -EEXIST.
 * 0 when @out may be written; else one line in @err.
 */
int certs_output_check(const char *out, bool force, const char *ledger, const char *key_path,
		       char *err, size_t errlen);

#endif
