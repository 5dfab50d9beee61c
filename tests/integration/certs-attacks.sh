#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The insider's evening with the records stick: sqlite3, Python, a fresh
# Ed25519 key pair and the source code. Each attack must be refused or
# reported by the officer's tools (certs verify / merge / recover), naming
# the record. The registry with the enrolled stations stays in the office.
set -u

CERTS="${top_builddir:-.}/certs/certs"
[ -x "$CERTS" ] || { echo "SKIP: $CERTS not built"; exit 77; }
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 (the attacker's tool) is not installed"; exit 77; }
command -v openssl >/dev/null || { echo "SKIP: openssl is not installed"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c "import cryptography.hazmat.primitives.asymmetric.ed25519" 2>/dev/null ||
	{ echo "SKIP: python3 with the cryptography module is not installed"; exit 77; }
T=$(mktemp -d /tmp/tabula-attacks.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS DESCRIPTION CMD...: run (stdout+stderr into $T/out), compare the exit status.
expect() {
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; cat "$T/out"; fi
}
# says TEXT DESCRIPTION: the last command's output holds TEXT (a grep -E pattern).
says() {
	if grep -Eq -- "$1" "$T/out"; then ok "$2"; else bad "$2: wanted /$1/ in:"; cat "$T/out"; fi
}
# Drop the protecting triggers, run SQL, put them back: what a careful tamperer does.
tamper() {
	db=$1; shift
	sqlite3 "$db" "DROP TRIGGER IF EXISTS records_no_update; DROP TRIGGER IF EXISTS records_no_delete;
		DROP TRIGGER IF EXISTS stations_no_update; DROP TRIGGER IF EXISTS stations_no_delete;
		DROP TRIGGER IF EXISTS pdfs_no_delete; $*;
		CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;
		CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;
		CREATE TRIGGER stations_no_update BEFORE UPDATE ON stations BEGIN SELECT RAISE(ABORT, 'station keys are append-only'); END;
		CREATE TRIGGER stations_no_delete BEFORE DELETE ON stations BEGIN SELECT RAISE(ABORT, 'station keys are append-only'); END;
		CREATE TRIGGER pdfs_no_delete BEFORE DELETE ON pdfs BEGIN SELECT RAISE(ABORT, 'pdf hashes are append-only'); END;" ||
		bad "tamper SQL failed: $*"
}
destroy() {
	db=$1 n=$2 dir=$3; shift 3
	"$CERTS" destroy "$db" --station ST01 --serial "SN-$n" --model "Disk $n" --technique Shred \
		--operator "Li Wei" --witness "Anna Berg" --time "2026-11-0${n}T10:00:00Z" -o "$dir" "$@" >/dev/null ||
		bad "destroy record $n into $db"
}

# The genuine station and the office.
L="$T/stick/ledger.db"; PDFS="$T/stick"
mkdir -p "$PDFS" "$T/office" "$T/evil"
destroy "$L" 1 "$PDFS"; destroy "$L" 2 "$PDFS"
cp "$L" "$T/evil/backup-after-2.db"           # yesterday's copy, kept by the insider
destroy "$L" 3 "$PDFS"
FP=$("$CERTS" trust fingerprint "$L" | cut -d' ' -f1)
R="$T/office/registry.db"
expect 0 "the office enrols the station" "$CERTS" trust add "$R" "$FP" --name "Desk 1"
expect 0 "the office merges the genuine ledger" "$CERTS" merge --into "$R" "$L"
expect 0 "the genuine ledger verifies with --trust and --pdfs" "$CERTS" verify "$L" --trust "$R" --pdfs "$PDFS"

# 1. A record signed with a fresh Ed25519 key, rendered as a PDF.
openssl genpkey -algorithm ed25519 -out "$T/evil/forge.db.key" 2>/dev/null && chmod 600 "$T/evil/forge.db.key"
"$CERTS" destroy "$T/evil/forge.db" --station ST01 --serial SN-KEPT --model "Disk kept" --technique Shred \
	--operator "Li Wei" --witness "Anna Berg" --time "2026-11-02T11:00:00Z" -o "$T/evil" >/dev/null ||
	bad "the forger's certificate was not made"
FORGED="$T/evil/ST01-000001.pdf"
expect 1 "forged PDF: not genuine against the registry" "$CERTS" verify --pdf "$FORGED" --trust "$R"
says "NOT GENUINE: signed by an unknown station key" "forged PDF: reported as signed by an unknown key"
expect 1 "forged PDF without a registry is not called genuine either" "$CERTS" verify --pdf "$FORGED"
if grep -q "GENUINE:" "$T/out" && ! grep -q "NOT GENUINE" "$T/out"; then bad "forged PDF called genuine"; else ok "no GENUINE without trust"; fi

# 2. The same spliced into a copy of the real ledger, with its station row.
S="$T/evil/spliced.db"; cp "$L" "$S"; cp "$L.key" "$S.key"
sqlite3 "$S" "ATTACH '$T/evil/forge.db' AS f; INSERT INTO stations SELECT * FROM f.stations;
	INSERT INTO records SELECT * FROM f.records; INSERT INTO pdfs SELECT * FROM f.pdfs;" || bad "splice SQL"
expect 1 "spliced ledger: verify reports it" "$CERTS" verify "$S"
says "record 1 \(ST01-000001\) of station .*another station key \(spliced in\)" "spliced ledger: the foreign record named"
expect 1 "spliced ledger: the forged PDF is not genuine with the registry" "$CERTS" verify --pdf "$FORGED" --trust "$R" "$S"
expect 1 "spliced ledger: merge refuses it" "$CERTS" merge --into "$R" "$S"
says "not enrolled|spliced" "spliced ledger: merge says why"
expect 1 "spliced ledger: show by the doubled number refuses to choose" "$CERTS" show "$S" ST01-000001
says "held by more than one record" "spliced ledger: ambiguous number named"

# 3. The key replaced and the whole ledger re-signed with it (DESTROYED records re-issued
#    with another serial): self-consistent, so only the anchors outside can tell.
K="$T/evil/resigned.db"; cp "$L" "$K"
"$PY" - "$K" "$T/evil/resigned.db.key" <<'EOF' || bad "re-sign script"
import calendar, hashlib, json, sqlite3, sys, time
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
db, keyfile = sys.argv[1], sys.argv[2]
k = Ed25519PrivateKey.generate()
open(keyfile, "wb").write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
pub = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
fp = hashlib.sha256(pub).hexdigest()
c = sqlite3.connect(db)
for t in ("records_no_update", "records_no_delete", "stations_no_update", "stations_no_delete",
          "pdfs_no_delete"):
    c.execute("DROP TRIGGER " + t)
rows = c.execute("SELECT seq, record, fp FROM records ORDER BY seq").fetchall()
old = rows[0][2]
c.execute("DELETE FROM records"); c.execute("DELETE FROM pdfs")
c.execute("UPDATE stations SET fp = ?, pubkey = ?", (fp, pub))
c.execute("UPDATE meta SET value = ? WHERE key = 'station_fp'", (fp,))
prev, prev_sig = bytes(32), ""
for seq, rec, _ in rows:
    r = json.loads(rec)
    r["station"]["key_fingerprint"] = fp
    r["prev_signature"] = prev_sig
    if seq == 2:
        r["media"]["serial"] = "SN-SWAPPED"
    canon = json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    h = hashlib.sha256(prev + canon).digest()
    sig = k.sign(h)
    ended = calendar.timegm(time.strptime(r["end"], "%Y-%m-%dT%H:%M:%SZ"))
    c.execute("INSERT INTO records VALUES(?,?,?,?,?,?,?,?,?,?)",
              (fp, seq, r["cert_no"], r["media"]["serial"], ended, 0, canon, prev, h, sig))
    prev, prev_sig = h, sig.hex()
for t, w in (("records", "ledger records are append-only"), ("stations", "station keys are append-only")):
    for op in ("UPDATE", "DELETE"):
        c.execute("CREATE TRIGGER %s_no_%s BEFORE %s ON %s BEGIN SELECT RAISE(ABORT, '%s'); END"
                  % (t, op.lower(), op, t, w))
c.execute("CREATE TRIGGER pdfs_no_delete BEFORE DELETE ON pdfs BEGIN SELECT RAISE(ABORT, 'pdf hashes are append-only'); END")
c.commit()
EOF
chmod 600 "$T/evil/resigned.db.key" 2>/dev/null
expect 0 "re-signed ledger verifies within its own means (nothing in it can tell)" "$CERTS" verify "$K"
expect 1 "re-signed ledger: not trusted by the registry" "$CERTS" verify "$K" --trust "$R"
says "NOT GENUINE: records 1\.\.3 are signed by an unknown station key" "re-signed ledger: the unknown key named"
expect 1 "re-signed ledger: merge refuses it" "$CERTS" merge --into "$R" "$K"
says "ST01 \(key [0-9a-f]{16}\.\.\.\) is not enrolled" "re-signed ledger: merge names the station"
expect 1 "re-signed ledger: the genuine PDFs on the stick show it" "$CERTS" verify "$K" --pdfs "$PDFS"
says "CUT: .*ST01-000002.pdf is a signed certificate for record 2" "re-signed ledger: PDFs name record 2"

# 4. The tail cut (record 3 deleted, triggers put back).
C="$T/evil/cut.db"; cp "$L" "$C"
tamper "$C" "DELETE FROM records WHERE seq = 3; DELETE FROM pdfs WHERE seq = 3"
expect 1 "tail cut: merge refuses it" "$CERTS" merge --into "$R" "$C"
says "ends at record 2 \(ST01-000002\) but the registry already holds up to record 3 \(ST01-000003\)" "tail cut: merge names the records"
expect 1 "tail cut: the PDFs on the stick show it" "$CERTS" verify "$C" --pdfs "$PDFS"
says "CUT: .*ST01-000003.pdf is a signed certificate for record 3" "tail cut: record 3 named"

# 5. An export cut at record 2, passed off as the ledger.
expect 0 "export --upto 2" "$CERTS" export "$L" --upto 2 -o "$T/evil/export.db"
expect 0 "the export verifies" "$CERTS" verify "$T/evil/export.db"
says "EXPORT: a copy cut at record 2" "the export says it is one"
expect 1 "export cut: merge refuses it" "$CERTS" merge --into "$R" "$T/evil/export.db"
says "ends at record 2 .*export cut at record 2" "export cut: merge names it"
sqlite3 "$T/evil/export.db" "DELETE FROM meta WHERE key = 'export_upto'"
expect 1 "export with its mark removed: merge still refuses it" "$CERTS" merge --into "$R" "$T/evil/export.db"

# 6. Yesterday's backup restored over the ledger.
expect 1 "restored backup: merge refuses it" "$CERTS" merge --into "$R" "$T/evil/backup-after-2.db"
says "already holds up to record 3 \(ST01-000003\): the ledger was cut or rolled back" "restored backup: named"
expect 1 "restored backup: the PDFs show it" "$CERTS" verify "$T/evil/backup-after-2.db" --pdfs "$PDFS"
says "CUT: .*ST01-000003.pdf" "restored backup: record 3 named"

# 7. A damaged write-ahead-log frame: a copy taken while the station had the ledger open,
#    one byte of the log changed so that SQLite drops the newest record.
W="$T/evil/wal"; mkdir -p "$W"; cp "$L" "$W/live.db"; cp "$L.key" "$W/live.db.key"
"$PY" - "$W/live.db" "$CERTS" <<'EOF' || bad "WAL copy script"
import shutil, sqlite3, subprocess, sys
db, certs = sys.argv[1], sys.argv[2]
hold = sqlite3.connect(db)
hold.execute("SELECT count(*) FROM records").fetchone()   # the station's session keeps it open
subprocess.run([certs, "destroy", db, "--station", "ST01", "--serial", "SN-4", "--model", "Disk 4",
                "--technique", "Shred", "--operator", "Li Wei", "--witness", "Anna Berg",
                "--time", "2026-11-04T10:00:00Z", "-o", db.rsplit("/", 1)[0]], check=True,
               stdout=subprocess.DEVNULL)
d = db.replace("live.db", "copy.db")
shutil.copy(db, d); shutil.copy(db + "-wal", d + "-wal")
hold.close()
w = bytearray(open(d + "-wal", "rb").read())
assert len(w) > 32 + 24 + 4096, "no frames in the log"
w[32 + 24 + 100] ^= 0x01      # a byte of the first frame's page
open(d + "-wal", "wb").write(w)
EOF
expect 1 "damaged WAL frame: verify reports it" "$CERTS" verify "$W/copy.db"
says "frame 1 of the write-ahead log is damaged" "damaged WAL frame: the frame named"

# 8. A duplicated certificate number (the index that forbids it dropped first).
D="$T/evil/dup.db"; cp "$L" "$D"
tamper "$D" "DROP INDEX records_cert_unique; UPDATE records SET cert_no = 'ST01-000002' WHERE seq = 3"
expect 1 "duplicated number: verify reports it" "$CERTS" verify "$D"
says "FAILED at record 3 \(ST01-000002\).*certificate number column differs" "duplicated number: record 3 named"
expect 1 "duplicated number: show refuses to choose" "$CERTS" show "$D" ST01-000002
says "held by more than one record" "duplicated number: ambiguity named"

# 9. The end time moved (the register selects by it), to drop record 2 from November.
E="$T/evil/ended.db"; cp "$L" "$E"
tamper "$E" "UPDATE records SET ended = ended + 40 * 86400 WHERE seq = 2"
expect 1 "altered ended: verify reports it" "$CERTS" verify "$E"
says "FAILED at record 2 \(ST01-000002\).*end time column differs" "altered ended: record 2 named"
expect 1 "altered ended: the register refuses to print from it" "$CERTS" register "$E" --from 2026-12-01 --to 2026-12-31 -o "$T/evil/reg.pdf"
expect 1 "altered ended: list refuses to show it" "$CERTS" list "$E"
says "record 2 \(ST01-000002\) is stored with a column differing from its signed content \(end time" "altered ended: list names record 2"

# 10. An injected open job, for certs recover to sign as the station.
J="$T/evil/job.db"; cp "$L" "$J"; cp "$L.key" "$J.key"
REC=$("$CERTS" show "$L" 1 --json | sed 's/"result":"DESTROYED"/"result":"PASSED"/; s/"cert_no":"[^"]*"/"cert_no":""/')
sqlite3 "$J" "INSERT INTO open_jobs(id, boot_id, pid, pid_start, started, serial, record)
	VALUES(4242, 'gone', 1, 1, 1795000000, 'SN-1', CAST('$(printf %s "$REC" | sed "s/'/''/g")' AS BLOB))"
expect 1 "injected open job: recover refuses it" "$CERTS" recover "$J"
says "open job 4242 \(serial SN-1.*not signed by this station's key" "injected open job: named"
[ "$(sqlite3 "$J" 'SELECT count(*) FROM records')" = 3 ] && ok "injected open job: nothing was signed" ||
	bad "injected open job: the ledger grew"
expect 1 "injected open job: verify reports it" "$CERTS" verify "$J"
says "open job 4242 .*not signed by the station key" "injected open job: verify names it"

# 11. The station key on the stick swapped for a fresh one: the station signs nothing with it.
X="$T/evil/swap.db"; cp "$L" "$X"; cp "$T/evil/forge.db.key" "$X.key"
expect 2 "swapped key file: the next certificate is refused before anything is written" "$CERTS" destroy "$X" --station ST01 --serial SN-5 \
	--model M --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T/evil"
says "is not the key of ledger" "swapped key file: said so"

# 12. The registry's trust log edited by hand (on the officer's machine): seen.
RT="$T/office/copy.db"; cp "$R" "$RT"
sqlite3 "$RT" "DROP TRIGGER trust_no_update; UPDATE trust_log SET name = 'Desk 9'"
expect 1 "edited trust log: merge refuses to use it" "$CERTS" merge --into "$RT" "$L"
says "trust log does not verify: trust log entry 1" "edited trust log: entry named"
expect 1 "edited trust log: verify of the registry reports it" "$CERTS" verify "$RT"
says "FAILED: the trust log does not verify: trust log entry 1" "edited trust log: verify names the entry"

# 13. A trigger that swallows the station's next record: the station would print a
#     certificate the ledger never held, and the next medium would take its number. The
#     station refuses before the medium is touched; verify names the trigger; and once the
#     insider drops it again, the ledger is exactly as before, nothing issued in between.
G="$T/evil/swallow.db"; cp "$L" "$G"; cp "$L.key" "$G.key"; mkdir -p "$T/evil/swallow"
sqlite3 "$G" "CREATE TRIGGER keep_quiet BEFORE INSERT ON records BEGIN SELECT RAISE(IGNORE); END"
expect 1 "swallowing trigger: verify reports it" "$CERTS" verify "$G"
says 'foreign schema trigger "keep_quiet"' "swallowing trigger: verify names it"
expect 2 "swallowing trigger: the certificate is refused at preflight, not printed" "$CERTS" destroy "$G" --station ST01 \
	--serial SN-4 --model "Disk 4" --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T/evil/swallow"
says 'keep_quiet.*nothing is added to it' "swallowing trigger: the refusal names it"
[ -z "$(ls "$T/evil/swallow")" ] && ok "swallowing trigger: no PDF was written" || bad "swallowing trigger: a PDF was written"
[ "$(sqlite3 "$G" 'SELECT count(*) FROM records')" = 3 ] && ok "swallowing trigger: the ledger holds its 3 records" ||
	bad "swallowing trigger: the ledger changed"
"$PY" - "$G" <<'PYEOF' || bad "the insider's writable_schema edit"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA writable_schema=ON")
c.execute("UPDATE sqlite_master SET sql = replace(sql, 'SELECT RAISE(ABORT, ''ledger records are append-only'')',"
          " 'SELECT 1') WHERE name = 'records_no_delete'")
c.execute("DELETE FROM sqlite_master WHERE name = 'keep_quiet'")
c.commit()
PYEOF
expect 1 "protecting trigger emptied in place (writable_schema): verify reports it" "$CERTS" verify "$G"
says 'trigger "records_no_delete" is not the one Tabula makes' "emptied trigger: named"
expect 2 "emptied trigger: the station refuses to add to the ledger" "$CERTS" destroy "$G" --station ST01 \
	--serial SN-4 --model "Disk 4" --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T/evil/swallow"

# 14. A file planted under the next certificate's name in the PDF folder: an issued
#     certificate, or what poses as one, is never overwritten.
P="$T/evil/plant.db"; cp "$L" "$P"; cp "$L.key" "$P.key"; mkdir -p "$T/evil/plant"
cp "$PDFS/ST01-000001.pdf" "$T/evil/plant/ST01-000004.pdf"
expect 1 "planted PDF: the station does not overwrite it" "$CERTS" destroy "$P" --station ST01 \
	--serial SN-4 --model "Disk 4" --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T/evil/plant"
says "ST01-000004.pdf already holds another certificate: it is not overwritten" "planted PDF: said so"
cmp -s "$PDFS/ST01-000001.pdf" "$T/evil/plant/ST01-000004.pdf" && ok "planted PDF: left as it was" ||
	bad "planted PDF: overwritten"
expect 0 "planted PDF: the record is in the ledger, which verifies" "$CERTS" verify "$P"
expect 0 "planted PDF: the certificate can be written elsewhere" "$CERTS" pdf "$P" 4 -o "$T/evil/plant-4.pdf"

# 15. A value stored as another type (the tables are not STRICT): the end time of record 2
#     as a BLOB of the same digits reads as the same number in C, but SQL's "ended >= ?"
#     passes it by, so the register, list and find would leave the record out.
B="$T/evil/typed.db"; cp "$L" "$B"; cp "$L.key" "$B.key"
tamper "$B" "UPDATE records SET ended = CAST(CAST(ended AS TEXT) AS BLOB) WHERE seq = 2"
expect 1 "end time stored as a BLOB: verify reports it" "$CERTS" verify "$B"
says "record 2 of the records table: its ended is stored as blob, not integer" "BLOB end time: record and column named"
expect 1 "BLOB end time: list refuses to leave it out" "$CERTS" list "$B"
expect 1 "BLOB end time: the register is not printed without it" "$CERTS" register "$B" --from 2026-11-01 --to 2026-11-30 -o "$T/evil/typed.pdf"
[ ! -e "$T/evil/typed.pdf" ] && ok "BLOB end time: no register written" || bad "BLOB end time: a register was written"
cp "$L" "$B"; cp "$L.key" "$B.key"
tamper "$B" "UPDATE records SET serial = CAST(serial AS BLOB) WHERE seq = 2"
expect 1 "serial stored as a BLOB: find refuses to say there is no such record" "$CERTS" find "$B" --serial SN-2
says "its serial is stored as blob, not text" "BLOB serial: named"
cp "$L" "$B"; cp "$L.key" "$B.key"
tamper "$B" "UPDATE records SET seq = CAST('3' AS BLOB) WHERE seq = 3"
expect 1 "position stored as a BLOB: show refuses" "$CERTS" show "$B" 3
says "record X'33' of the records table: its seq is stored as blob, not integer" "BLOB position: named"

# 16. A record's content edited and its hash made again (the chain after it left alone):
#     every reader checks the station's signature, not only the hash.
H="$T/evil/rehash.db"; cp "$L" "$H"; cp "$L.key" "$H.key"
"$PY" - "$H" <<'PYEOF' || bad "the insider's rehash"
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
prev, rec = c.execute("SELECT prev_hash, record FROM records WHERE seq = 2").fetchone()
rec = bytes(rec).replace(b'"Disk 2"', b'"FORGED"')
c.execute("DROP TRIGGER records_no_update")
c.execute("UPDATE records SET record = ?, hash = ? WHERE seq = 2", (rec, hashlib.sha256(bytes(prev) + rec).digest()))
c.execute("CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END")
c.commit()
PYEOF
for cmd in "show $H 2" "pdf $H 2 -o $T/evil/rehash-2.pdf" "list $H" "find $H --serial SN-2"; do
	# shellcheck disable=SC2086
	expect 1 "rehashed record: certs ${cmd%% *} refuses it" "$CERTS" $cmd
	says "record 2 \(ST01-000002\) does not carry its station's signature" "rehashed record: certs ${cmd%% *} names record 2"
done
grep -q FORGED "$T/out" && bad "rehashed record: the forged content was shown" || ok "rehashed record: nothing forged shown"
[ ! -e "$T/evil/rehash-2.pdf" ] && ok "rehashed record: no PDF of it" || bad "rehashed record: a PDF of the forgery"

# 17. The note of an issued PDF deleted (it shows a record was issued), and a certificate's
#     file replaced by a copy of another under its name.
N="$T/evil/notes.db"; cp "$L" "$N"; cp "$L.key" "$N.key"
sqlite3 "$N" "DELETE FROM pdfs WHERE seq = 3" 2>"$T/out" && bad "a PDF note could be deleted" ||
	says "pdf hashes are append-only" "a PDF note cannot be deleted (its trigger)"
mkdir -p "$T/evil/folder"; cp "$PDFS"/ST01-00000[12].pdf "$T/evil/folder/"
cp "$PDFS/ST01-000001.pdf" "$T/evil/folder/ST01-000003.pdf"
expect 1 "a copy under another certificate's name: verify --pdfs reports it" "$CERTS" verify "$L" --pdfs "$T/evil/folder"
says "MISNAMED: .*ST01-000003.pdf holds certificate ST01-000001 \(record 1\)" "misnamed copy: named"

# 18. A hot rollback journal planted beside the ledger (from yesterday's copy): SQLite would
#     copy its pages back over the ledger at the station's next open.
J2="$T/evil/journal"; mkdir -p "$J2"; cp "$L" "$J2/ledger.db"; cp "$L.key" "$J2/ledger.db.key"
cp "$T/evil/backup-after-2.db" "$J2/old.db"
"$PY" - "$J2/old.db" <<'PYEOF' || bad "the insider's journal"
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=DELETE"); c.execute("PRAGMA cache_size=1"); c.execute("BEGIN")
c.execute("CREATE TABLE pad(x)")
for i in range(100): c.execute("INSERT INTO pad VALUES(randomblob(4000))")
os._exit(0)
PYEOF
cp "$J2/old.db-journal" "$J2/ledger.db-journal"
sum=$(md5sum < "$J2/ledger.db")
expect 2 "planted journal: the station refuses the ledger" "$CERTS" destroy "$J2/ledger.db" --station ST01 \
	--serial SN-4 --model "Disk 4" --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$J2"
says "ledger.db-journal lies beside the ledger: a rollback journal" "planted journal: named"
expect 1 "planted journal: verify reports it" "$CERTS" verify "$J2/ledger.db"
[ "$(md5sum < "$J2/ledger.db")" = "$sum" ] && ok "planted journal: the ledger was not rolled back" ||
	bad "planted journal: the ledger changed"

# 19. Rows no walk shows (an end time of INT64_MAX) used as free links: record 3 forged with its
#     hash made again, record 4 hidden and linked to it, record 5 hidden carrying record 1's
#     genuine hash and signature as the chain's "head". certs list must not show the forgery.
V="$T/evil/vouch.db"; cp "$L" "$V"; cp "$L.key" "$V.key"
"$PY" - "$V" <<'PYEOF' || bad "the insider's hidden rows"
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER records_no_update")
r1 = c.execute("SELECT hash, sig, fp FROM records WHERE seq = 1").fetchone()
prev, rec = c.execute("SELECT prev_hash, record FROM records WHERE seq = 3").fetchone()
rec = bytes(rec).replace(b'"Disk 3"', b'"FORGED"')
h3 = hashlib.sha256(bytes(prev) + rec).digest()
c.execute("UPDATE records SET record = ?, hash = ? WHERE seq = 3", (rec, h3))
h4 = hashlib.sha256(h3 + b'{}').digest()
c.execute("INSERT INTO records VALUES(?, 4, 'ST01-000004', 'X4', 9223372036854775807, 0, ?, ?, ?, ?)",
          (r1[2], b'{}', h3, h4, bytes(64)))
c.execute("INSERT INTO records VALUES(?, 5, 'ST01-000005', 'X5', 9223372036854775807, 0, ?, ?, ?, ?)",
          (r1[2], b'{}', h4, r1[0], r1[1]))
c.execute("CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END")
c.commit()
PYEOF
expect 1 "hidden links: list refuses the forged record" "$CERTS" list "$V"
says "record 3 \(ST01-000003\) does not carry its station's signature" "hidden links: record 3 named"
grep -q FORGED "$T/out" && bad "hidden links: the forgery was listed" || ok "hidden links: nothing forged listed"
expect 1 "hidden links: export makes no copy of a ledger that does not verify" "$CERTS" export "$V" -o "$T/evil/vouch-copy.db"
[ ! -e "$T/evil/vouch-copy.db" ] && ok "hidden links: no copy" || bad "hidden links: a copy was made"
# A genuine record's end time moved out of every range: list still shows it (no upper bound).
cp "$L" "$V"; cp "$L.key" "$V.key"
expect 0 "list shows every record" "$CERTS" list "$V"
says "ST01-000003" "list: record 3 there"

# 20. The write-ahead log as a hard link to the ledger: SQLite would write its log over the records.
HL="$T/evil/hardlink"; mkdir -p "$HL"; cp "$L" "$HL/ledger.db"; cp "$L.key" "$HL/ledger.db.key"
ln "$HL/ledger.db" "$HL/ledger.db-wal"
sum=$(md5sum < "$HL/ledger.db")
expect 2 "hard-linked -wal: the station refuses before writing" "$CERTS" destroy "$HL/ledger.db" --station ST01 \
	--serial SN-4 --model "Disk 4" --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$HL"
says "ledger.db-wal is a hard link \(2 names, one of them the ledger\)" "hard-linked -wal: named"
[ "$(md5sum < "$HL/ledger.db")" = "$sum" ] && ok "hard-linked -wal: the ledger is unchanged" || bad "hard-linked -wal: the ledger changed"

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
exit 0
