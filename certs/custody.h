/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Key custody: who holds the station's Ed25519 signing key, and the
 * monotonic counter that lets the station see its ledger rolled back.
 *
 * One small table of functions per backend (certs/custody-impl.h):
 *
 *   file  the PEM key file next to the ledger ("<ledger>.key"). Whoever
 *         holds the records medium holds the key: for demos and tests only.
 *         No counter, so a rolled-back ledger cannot be seen.
 *   tpm   the key's 32-byte seed sealed by the station PC's TPM 2.0
 *         (tpm2-tss ESYS) under a primary key of the owner hierarchy,
 *         optionally bound to PCRs. The sealed blob ("<ledger>.sealed") and
 *         the public key ("<ledger>.pub") live next to the ledger; they are
 *         useless without this TPM. The seed is unsealed once per process,
 *         wiped at once; the key lives in OpenSSL's locked secure heap until
 *         the process ends (or cert_custody_forget_keys()). An NV counter
 *         (TPMA_NT_COUNTER) defined at enrolment advances with every append;
 *         each record carries, signed, the counter value of its append.
 *
 * Every record names its custody ("file" or "tpm") and counter value in its
 * signed "station" object; certs show and the PDF print it.
 *
 * Front-end contract (the station, `wiper erase --ledger`, `certs recover`):
 *   1. At start, open the custody the station is configured for
 *      (cert_custody_open() with an explicit spec: "tpm" on the live image,
 *      "file" only in demo mode) and the ledger, then call
 *      certs_custody_check_ledger(). Exit status 1 (rolled back or cut):
 *      show check.message to the operator and do not erase; -errno: show
 *      the one-line error (no TPM, another PC's sealed key, changed boot)
 *      and do not erase. Only 0 lets the session start.
 *      certs_custody_check_path() does all of step 1 in one call. Hold a
 *      custody only while needed: swtpm (the tests' TPM) serves one
 *      connection at a time, a kernel's /dev/tpmrm0 any number.
 *   2. Give the same custody to every append (cert_ledger_use_custody(), or
 *      cert_issue_opts.custody as a spec). cert_ledger_append() re-checks the
 *      counter inside its transaction and refuses (-ESTALE) to extend a
 *      ledger that is behind it, so a ledger swapped mid-session is caught
 *      too.
 *   3. Enrolment (once per station PC and ledger): cert_custody_enrol_tpm(),
 *      or `certs custody init LEDGER --tpm TCTI [--pcrs LIST]`; show the
 *      fingerprint to the records officer.
 */
#ifndef CERTS_CUSTODY_H
#define CERTS_CUSTODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certs/chain.h"

struct cert_custody;
struct cert_ledger;
struct cert_record;

#define CERT_CUSTODY_FILE "file"
#define CERT_CUSTODY_TPM "tpm"
/* The TCTI used when neither the spec nor $TABULA_TPM_TCTI names one. */
#define CERT_CUSTODY_DEFAULT_TCTI "device:/dev/tpmrm0"

enum {
	CERT_CUSTODY_CREATE = 1,	/* file: create the key file when missing */
};

/*
 * Open the custody for the ledger at @ledger_path as @spec says:
 *   "file" or "file:PATH"   the key file (PATH, default "<ledger>.key");
 *   "tpm" or "tpm:TCTI"     the key sealed in "<ledger>.sealed" by the TPM
 *                           that TCTI reaches ("swtpm:host=H,port=P",
 *                           "device:/dev/tpmrm0"; default $TABULA_TPM_TCTI,
 *                           else CERT_CUSTODY_DEFAULT_TCTI);
 *   NULL or ""              $TABULA_CUSTODY if set, else "tpm" when
 *                           "<ledger>.sealed" exists, else "file". A ledger
 *                           enrolled with a TPM never falls back to a file.
 * Returns 0, or with one line in @err: -ENOTSUP (built without tpm2-tss),
 * -ENODEV (no TPM answers), -ENOENT (no key / not enrolled),
 * -EKEYREJECTED (sealed by another TPM, or the PCRs changed), -EBADMSG (the
 * sealed file was altered), -EINVAL (bad spec) or another -errno.
 */
int cert_custody_open(const char *spec, const char *ledger_path, unsigned flags,
		      struct cert_custody **out, char *err, size_t errlen);
/* Close the custody; NULL-safe. A TPM key stays cached for the process. */
void cert_custody_free(struct cert_custody *c);
/* Wipe every key the process cached (a later open unseals again); only while no custody is open. */
void cert_custody_forget_keys(void);
/* Whether this build can use a TPM (tpm2-tss was found at configure). */
bool cert_custody_tpm_supported(void);

/* "file" or "tpm": what the records say. */
const char *cert_custody_name(const struct cert_custody *c);
/* One line for people, e.g. "TPM 2.0 at swtpm:..., NV counter 0x0107ab00, PCRs sha256:16". */
void cert_custody_describe(const struct cert_custody *c, char *buf, size_t len);
/* The station key's raw public key and fingerprint. */
void cert_custody_public(const struct cert_custody *c, uint8_t pub[CERT_PUB_LEN]);
const char *cert_custody_fingerprint(const struct cert_custody *c);
/* Sign @hash. 0 or -errno (detail in cert_custody_error()). */
int cert_custody_sign(struct cert_custody *c, const uint8_t hash[CERT_HASH_LEN],
		      uint8_t sig[CERT_SIG_LEN]);
/* Whether the custody keeps a monotonic counter (tpm: yes, file: no). */
bool cert_custody_has_counter(const struct cert_custody *c);
/* The counter's value. 0, -ENOTSUP (no counter) or -errno. */
int cert_custody_counter_read(struct cert_custody *c, uint64_t *value);
/* Advance the counter by one; its new value in @value (may be NULL). 0 or -errno. */
int cert_custody_counter_advance(struct cert_custody *c, uint64_t *value);
/* The value the counter had right after enrolment (an empty ledger's). */
uint64_t cert_custody_counter_base(const struct cert_custody *c);
/* The last error, one line. */
const char *cert_custody_error(const struct cert_custody *c);

/*
 * Enrol this PC's TPM (at @tcti, NULL: as cert_custody_open()) for the
 * ledger at @ledger_path: create a fresh Ed25519 seed, seal it (bound to
 * the current values of the PCRs in @pcrs, e.g. "16,23" or "sha256:7,11";
 * NULL or "": not bound), write "<ledger>.sealed" and "<ledger>.pub"
 * (both must not exist), define the NV counter and advance it once. The
 * ledger must hold no records and there must be no "<ledger>.key".
 * @fp receives the station fingerprint. 0 or -errno with one line in @err.
 */
int cert_custody_enrol_tpm(const char *ledger_path, const char *tcti, const char *pcrs,
			   char fp[CERT_FP_HEX], char *err, size_t errlen);

/*
 * The PCRs a station key is bound to on the live image. UEFI GRUB, its tpm
 * module built into the loader (iso-build/efi-core.sh), measures every
 * command it runs, the kernel command line included, into PCR 8 and every
 * file it reads (grub.cfg, modules, kernel, initrd) into PCR 9. The firmware
 * measures the loader itself into PCR 4 and the Secure Boot state and keys
 * into PCR 7, its own code into PCR 0 and option ROMs and the drivers it
 * loads (a Driver#### entry, a card's ROM) into PCR 2. Without 4, any other
 * loader (or GRUB without tpm) that measures nothing lets an initramfs of
 * one's own extend 8 and 9 to a genuine boot's values (tests/e2e/e2e-tpm.sh,
 * boot 4, does exactly that); without 0 and 2, code that runs before GRUB
 * could do the same. A firmware update or a new card changes them: the key
 * stays sealed, and the station needs a new records medium.
 */
#define CERT_CUSTODY_BOOT_PCRS "0,2,4,7,8,9"

/* The TCTI the station uses: @tcti, else $TABULA_TPM_TCTI, else CERT_CUSTODY_DEFAULT_TCTI. */
const char *cert_custody_station_tcti(const char *tcti);
/* The device node a "device[:PATH]" TCTI opens, or NULL for any other TCTI. */
const char *cert_custody_tcti_device(const char *tcti);

/*
 * The live image's rule ($TABULA_BOOT_CUSTODY=1, set in its
 * /etc/default/tabula): a station key is enrolled and used only bound to
 * CERT_CUSTODY_BOOT_PCRS, and only in a boot that something measured.
 */
bool cert_custody_boot_rule(void);
/*
 * Under that rule, is the TPM @tcti names (as cert_custody_station_tcti) this
 * PC's own device, in a boot nothing measured? GRUB measures only under
 * UEFI: in a BIOS (legacy) boot the genuine stick's GRUB with any grub.cfg
 * reproduces the PCRs, so a key sealed or used there proves nothing.
 */
bool cert_custody_boot_unmeasured(const char *tcti);

/*
 * Is there a TPM to enrol at @tcti (NULL: $TABULA_TPM_TCTI, else
 * CERT_CUSTODY_DEFAULT_TCTI)? For a device TCTI, whether its device node
 * exists; any other TCTI (swtpm, mssim) is taken at its word and enrolment
 * says whether it answers. False when built without tpm2-tss.
 */
bool cert_custody_tpm_present(const char *tcti);

/* What cert_custody_setup() found or did. */
enum cert_custody_setup_result {
	CERT_SETUP_HAD_TPM,	/* the ledger was enrolled with a TPM before */
	CERT_SETUP_HAD_FILE,	/* the ledger has its demo key file already */
	CERT_SETUP_TPM,		/* enrolled now: key sealed by the TPM */
	CERT_SETUP_FILE,	/* demo key file made now, as chosen */
};

struct cert_custody_setup_opts {
	const char *tcti;	/* borrowed; NULL: as cert_custody_tpm_present() */
	const char *pcrs;	/* borrowed; NULL: CERT_CUSTODY_BOOT_PCRS, "": not bound */
	bool demo_file;		/* without a TPM: the technician chose demo key-file custody */
};

/*
 * Give the ledger at @ledger_path (on a records medium being set up) its
 * station key, the one rule every front end follows: a ledger that already
 * has a sealed key or a key file keeps it; otherwise, with a TPM present,
 * enrol it (cert_custody_enrol_tpm(), bound to @o->pcrs), so the usable key
 * never lies on the records medium; without one, make the demo key file
 * only if @o->demo_file says the technician chose it, else refuse (-ENODEV)
 * with a message that says what the choice means. A TPM that is present but
 * fails is an error, never a reason to fall back to a key file. The ledger
 * is created when missing. @fp receives the fingerprint of a key made now
 * ("" otherwise). Returns the enum cert_custody_setup_result, or -errno
 * (-ENODEV only for "no TPM and no choice"; a TPM that does not answer is
 * -EIO); @msg always holds one line for the technician.
 */
int cert_custody_setup(const char *ledger_path, const struct cert_custody_setup_opts *o,
		       char fp[CERT_FP_HEX], char *msg, size_t msglen);

/* What certs_custody_check_ledger() found. */
struct cert_custody_check {
	bool has_counter;		/* false: file custody, nothing to compare */
	uint64_t head_seq;		/* the ledger's last record, 0: empty */
	uint64_t head_counter;		/* the counter value that record carries */
	uint64_t tpm_counter;		/* the TPM's counter now */
	uint64_t missing;		/* appends the ledger lacks (behind) */
	bool repaired;			/* the counter lagged one append (crash) and was advanced */
	char message[512];		/* one line for the operator */
};

/*
 * Compare the ledger @l (open read-write for a repair) with the custody @c:
 * the ledger's station key must be @c's key, and its head must carry the
 * TPM counter's value. A ledger one append ahead of the counter (the
 * process stopped between commit and advance) is repaired by advancing.
 * Returns 0 (consistent, @out->message says so), 1 when the ledger is
 * behind the counter (rolled back or its tail cut: @out->message names the
 * gap, e.g. "records 4 to 6 are missing"), or -errno with one line in @err
 * (-EKEYREJECTED: another station's key; -EBADMSG: ahead by more than one,
 * or the head record does not decode).
 */
int certs_custody_check_ledger(struct cert_ledger *l, struct cert_custody *c,
			       struct cert_custody_check *out, char *err, size_t errlen);

/*
 * The same for front ends that hold no objects, before they touch a medium:
 * open the custody @spec names (as cert_custody_open()) and the ledger at
 * @ledger_path (read-write), check, close both. A ledger not made yet is
 * fine for file custody (it and its key come with the first certificate).
 * @out may be NULL. 0, 1 (behind: the gap in @out->message and in @err) or
 * -errno, always with one line in @err.
 */
int certs_custody_check_path(const char *ledger_path, const char *spec,
			     struct cert_custody_check *out, char *err, size_t errlen);

/*
 * How a record's key was held, for people: "TPM 2.0 of the station PC
 * (counter 7)", "key file on the records medium (demo, not evidence)", or
 * for records from before custody was recorded "not recorded (key file)".
 */
const char *cert_custody_record_str(const struct cert_record *r, bool zh, char *buf,
				    size_t len);

#endif
