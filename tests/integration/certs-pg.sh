#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# certs merge --into postgresql://... against a real PostgreSQL server started
# here on loopback: two stations merge and verify, a tampered ledger is
# refused, re-merging adds nothing, a registry altered behind Tabula's back
# fails verification and names the record.
set -u

CERTS="${top_builddir:-.}/certs/certs"
[ -x "$CERTS" ] || { echo "SKIP: $CERTS not built"; exit 77; }
PGBIN=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
	[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] && PGBIN=$d
done
if [ -z "$PGBIN" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null &&
   command -v psql >/dev/null; then
	PGBIN=$(dirname "$(command -v initdb)")
fi
[ -n "$PGBIN" ] || { echo "SKIP: PostgreSQL server binaries (initdb, pg_ctl) not installed"; exit 77; }

# initdb refuses root: run the server as the postgres user (or as ourselves).
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || { echo "SKIP: running as root and there is no postgres user"; exit 77; }
	as_pg() { runuser -u postgres -- "$@"; }
else
	as_pg() { "$@"; }
fi

T=$(mktemp -d /tmp/tabula-certs-pg.XXXXXX)
chmod 711 "$T"
PGD="$T/pg"
mkdir "$PGD"
[ "$(id -u)" = 0 ] && chown postgres "$PGD"
stop() {
	[ -f "$PGD/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$T"
}
trap stop EXIT
trap 'exit 1' INT TERM
fails=0

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

expect() {
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; cat "$T/out" "$T/err"; fi
}

as_pg "$PGBIN/initdb" -D "$PGD/data" -U postgres --auth=trust -E UTF8 --no-locale >"$T/initdb.log" 2>&1 ||
	{ cat "$T/initdb.log"; echo "FAIL: initdb"; exit 1; }

# A port of our own: try a few derived from the pid until one starts.
PORT=
for try in 0 1 2 3 4 5 6 7; do
	p=$((20000 + ($$ * 7 + try * 977) % 30000))
	if as_pg "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -t 30 \
		-o "-k $PGD -h 127.0.0.1 -p $p -c fsync=off" start >/dev/null 2>&1; then
		PORT=$p
		break
	fi
done
[ -n "$PORT" ] || { cat "$PGD/log"; echo "FAIL: the PostgreSQL server does not start"; exit 1; }
ok "PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$PORT"
URI="postgresql://postgres@127.0.0.1:$PORT/postgres"
psql_() { "$PGBIN/psql" -X -q -t -A -v ON_ERROR_STOP=1 "$URI" -c "$1"; }

# Two stations, three and two records.
for i in 1 2 3; do
	expect 0 "station A record $i" "$CERTS" destroy "$T/a.db" --station STA --serial "SN-A$i" \
		--technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T" \
		--time "2026-11-0${i}T10:00:00Z"
done
for i in 1 2; do
	expect 0 "station B record $i" "$CERTS" destroy "$T/b.db" --station STB --serial "SN-B$i" \
		--technique Disintegrate --operator "Wang Fang" --witness "Anna Berg" -o "$T"
done
expect 0 "export station A up to record 2" "$CERTS" export "$T/a.db" -o "$T/a2.db" --upto 2

# Trust anchors: nothing merges from a station the officer has not enrolled.
FPA=$("$CERTS" trust fingerprint "$T/a.db" | awk '{print $1}')
FPB=$("$CERTS" trust fingerprint "$T/b.db" | awk '{print $1}')
expect 1 "merge refuses an unenrolled station" "$CERTS" merge --into "$URI" "$T/a2.db"
grep -q "is not enrolled in the registry" "$T/err" && ok "refusal says not enrolled" || bad "unenrolled: $(cat "$T/err")"
# (the refused merge rolled back even the tables it made)
[ "$(psql_ "SELECT count(*) FROM records" 2>/dev/null || echo 0)" = 0 ] && ok "nothing of the unenrolled station landed" || bad "rows after unenrolled"
expect 0 "enrol station A in PostgreSQL" "$CERTS" trust add "$URI" "$FPA" --name "Desk A"
expect 0 "enrol station B in PostgreSQL" "$CERTS" trust add "$URI" "$FPB" --name "Desk B"
expect 1 "enrolling A twice is refused" "$CERTS" trust add "$URI" "$FPA" --name "Desk A again"
grep -q "enrolled already" "$T/err" && ok "second enrolment: enrolled already" || bad "re-enrol: $(cat "$T/err")"
expect 0 "trust list of the PostgreSQL registry" "$CERTS" trust list "$URI"
grep -q "2 stations; trust log of 2 entries" "$T/out" && grep -q "Desk A" "$T/out" &&
	ok "trust list shows both stations and the log head" || bad "trust list: $(cat "$T/out")"
[ "$(psql_ "SELECT count(*) FROM trust_log")" = 2 ] && ok "2 rows in the trust_log table" || bad "trust_log rows"

expect 0 "merge a prefix of A into PostgreSQL" "$CERTS" merge --into "$URI" "$T/a2.db"
grep -q "merged, 2 new records" "$T/out" && ok "prefix: 2 new records" || bad "prefix: $(cat "$T/out")"
expect 0 "merge A and B" "$CERTS" merge --into "$URI" "$T/a.db" "$T/b.db"
grep -q "a.db: merged, 1 new record$" "$T/out" && grep -q "b.db: merged, 2 new records" "$T/out" &&
	ok "A grew by 1, B added 2" || bad "merge output: $(cat "$T/out")"
expect 0 "verify the PostgreSQL registry" "$CERTS" verify "$URI"
grep -q "OK: 5 records, 2 stations" "$T/out" && ok "registry holds both chains" || bad "verify: $(cat "$T/out")"
[ "$(psql_ "SELECT count(*) FROM records")" = 5 ] && ok "5 rows in the records table" || bad "row count"
[ "$(psql_ "SELECT count(*) FROM pdfs")" = 5 ] && ok "the issued PDFs' hashes came along" || bad "pdf rows"

expect 0 "re-merge both" "$CERTS" merge "$URI" "$T/a.db" "$T/b.db"
[ "$(grep -c "merged, 0 new records" "$T/out")" = 2 ] && ok "re-merge is idempotent" || bad "re-merge: $(cat "$T/out")"
expect 0 "verify after re-merge" "$CERTS" verify --deep "$URI"
grep -q "OK: 5 records" "$T/out" && ok "still 5 records" || bad "verify: $(cat "$T/out")"

# The records officer reads the registry with the same commands as a ledger file.
expect 0 "list the registry" "$CERTS" list "$URI" --json
[ "$(jq 'length' "$T/out")" = 5 ] && ok "list shows 5 records" || bad "list: $(cat "$T/out")"
expect 0 "find by serial in the registry" "$CERTS" find "$URI" --serial SN-B2
grep -q "STB-000002" "$T/out" && ok "find names STB-000002" || bad "find: $(cat "$T/out")"
expect 0 "show a certificate from the registry" "$CERTS" show "$URI" STA-000003
grep -q "SN-A3" "$T/out" && ok "show gives SN-A3" || bad "show: $(cat "$T/out")"
expect 0 "register from the registry" "$CERTS" register "$URI" --from 2026-11-01 --to 2026-12-01 -o "$T/reg.pdf"
pdftotext "$T/reg.pdf" - 2>/dev/null | grep -q "SN-A2" && ok "register lists SN-A2" || bad "register text"
expect 0 "export the registry to a file" "$CERTS" export "$URI" -o "$T/reg-copy.db"
expect 0 "the exported copy verifies" "$CERTS" verify "$T/reg-copy.db"
expect 2 "no writing into the registry except by merge" "$CERTS" destroy "$URI" --serial X --model Y \
	--technique Shred --operator A --witness B
# Intact and in the registry: genuine only when the registry's trust anchors vouch for it.
expect 1 "a certificate PDF checks out against the registry, station not vouched for" "$CERTS" verify --pdf "$T/STA-000001.pdf" "$URI"
grep -q "STATION NOT CHECKED" "$T/out" && ok "no --trust: not called genuine" || bad "verify --pdf: $(cat "$T/out")"
expect 0 "verify --pdf --trust with PostgreSQL trust anchors" "$CERTS" verify --pdf "$T/STA-000001.pdf" --trust "$URI" "$URI"
grep -q "GENUINE" "$T/out" && grep -q "Desk A" "$T/out" && ok "GENUINE, enrolled as Desk A" || bad "genuine: $(cat "$T/out")"
# A record signed by a fresh key of an unenrolled station is no certificate.
expect 0 "a station nobody enrolled issues a certificate" "$CERTS" destroy "$T/x.db" --station STX \
	--serial SN-X1 --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T"
expect 1 "its valid signature is not genuine against PostgreSQL anchors" "$CERTS" verify --pdf "$T/STX-000001.pdf" --trust "$URI"
grep -q "NOT GENUINE: signed by an unknown station key" "$T/out" && grep -q "has not enrolled that key" "$T/out" &&
	ok "unenrolled key: NOT GENUINE, not enrolled" || bad "unenrolled pdf: $(cat "$T/out" "$T/err")"

# A tampered station ledger is refused and nothing of it lands.
expect 0 "station B record 3" "$CERTS" destroy "$T/b.db" --station STB --serial "SN-B3" --technique Shred \
	--operator "Wang Fang" --witness "Anna Berg" -o "$T"
cp "$T/b.db" "$T/t.db"; cp "$T/b.db.key" "$T/t.db.key"
if command -v sqlite3 >/dev/null; then
	sqlite3 "$T/t.db" "DROP TRIGGER records_no_update; UPDATE records SET record = replace(record, 'SN-B3', 'SN-X3') WHERE seq = 3;"
	expect 1 "merge refuses a tampered ledger" "$CERTS" merge --into "$URI" "$T/t.db"
	grep -q "does not verify: record 3" "$T/err" && ok "refusal names record 3" || bad "refusal: $(cat "$T/err")"
	[ "$(psql_ "SELECT count(*) FROM records")" = 5 ] && ok "nothing of it was merged" || bad "rows after refusal"
else
	echo "skip: sqlite3 missing, tampered-ledger case not run"
fi

# A chain that diverges from the registry's (same station key, other history).
cp "$T/a2.db" "$T/d.db"; cp "$T/a.db.key" "$T/d.db.key"
mkdir -p "$T/fork"	# (its PDF is not written over the genuine STA-000003.pdf)
expect 0 "diverging record appended to a copy of A" "$CERTS" destroy "$T/d.db" --station STA \
	--serial "SN-OTHER" --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T/fork/"
expect 1 "merge refuses a diverging chain" "$CERTS" merge --into "$URI" "$T/d.db"
grep -q "record 3 differs" "$T/err" && ok "refusal names the diverging record" || bad "divergence: $(cat "$T/err")"

# A cut or rolled-back ledger does not go in: the registry holds A up to record 3.
expect 1 "merge refuses A rolled back to record 2" "$CERTS" merge --into "$URI" "$T/a2.db"
grep -q "ends at record 2 (STA-000002) but the registry already holds up to record 3 (STA-000003)" "$T/err" &&
	ok "refusal names both records" || bad "rollback: $(cat "$T/err")"
# A trigger of someone else's that swallows new records (returns NULL): merge says the
# registry did not store them, and nothing of that merge lands.
expect 0 "station A record 4" "$CERTS" destroy "$T/a.db" --station STA --serial "SN-A4" \
	--technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T"
psql_ "CREATE FUNCTION keep_quiet() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
       CREATE TRIGGER keep_quiet BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION keep_quiet();" >/dev/null
expect 1 "merge into a registry whose trigger swallows rows is refused" "$CERTS" merge --into "$URI" "$T/a.db"
grep -q "did not store record 4 of station" "$T/err" && ok "the swallowed record is named" || bad "swallowed: $(cat "$T/err")"
psql_ "DROP TRIGGER keep_quiet ON records; DROP FUNCTION keep_quiet();" >/dev/null
[ "$(psql_ "SELECT count(*) FROM records")" = 5 ] && ok "nothing of the refused merge landed" || bad "rows after swallowed merge"
# A revoked station's new records are refused; what came before stays.
expect 0 "station B record 4, after the merge" "$CERTS" destroy "$T/b.db" --station STB --serial "SN-B4" \
	--technique Shred --operator "Wang Fang" --witness "Anna Berg" -o "$T"
expect 0 "revoke station B" "$CERTS" trust revoke "$URI" "$FPB" --reason "disk stolen"
expect 1 "merge refuses records of a revoked station" "$CERTS" merge --into "$URI" "$T/b.db"
grep -q "was revoked" "$T/err" && ok "refusal says revoked" || bad "revoked: $(cat "$T/err")"
expect 1 "verify --pdf of the revoked station is not genuine" "$CERTS" verify --pdf "$T/STB-000001.pdf" --trust "$URI"
grep -q "revoked" "$T/out" "$T/err" && ok "revoked station's PDF: revoked" || bad "revoked pdf: $(cat "$T/out" "$T/err")"
expect 1 "a revoked station is not enrolled again" "$CERTS" trust add "$URI" "$FPB" --name "Desk B"
# The trust log is append-only, and an edit behind the triggers is caught.
psql_ "UPDATE trust_log SET name = 'Mallory' WHERE n = 1" >/dev/null 2>&1 &&
	bad "the registry allowed an UPDATE of the trust log" || ok "trust log refuses UPDATE"
psql_ "DELETE FROM trust_log WHERE n = 3" >/dev/null 2>&1 &&
	bad "the registry allowed a DELETE from the trust log" || ok "trust log refuses DELETE"
# (Removing the newest entry leaves a shorter log that is whole: the head printed by trust
# list on the enrolment sheet is what shows that, as for a registry file.)
psql_ "ALTER TABLE trust_log DISABLE TRIGGER USER; UPDATE trust_log SET name = 'Mallory' WHERE n = 1;
       ALTER TABLE trust_log ENABLE TRIGGER USER;" >/dev/null
expect 1 "an enrolment renamed behind the triggers is seen by verify --trust" "$CERTS" verify --pdf "$T/STA-000001.pdf" --trust "$URI"
grep -q "trust log does not verify: trust log entry 1" "$T/err" && ok "the altered entry is named" || bad "altered entry: $(cat "$T/out" "$T/err")"
expect 1 "and by merge" "$CERTS" merge --into "$URI" "$T/b.db"
grep -q "trust log does not verify" "$T/err" && ok "merge refuses on a broken trust log" || bad "merge broken log: $(cat "$T/err")"
expect 1 "and by trust add" "$CERTS" trust add "$URI" "$("$CERTS" trust fingerprint "$T/x.db" | awk '{print $1}')" --name X
grep -q "does not verify" "$T/err" && ok "trust add refuses on a broken trust log" || bad "add broken log: $(cat "$T/err")"

# The registry's own tables are append-only, and an edit made behind the triggers is caught.
psql_ "UPDATE records SET serial = 'X' WHERE seq = 1" >/dev/null 2>&1 &&
	bad "the registry allowed an UPDATE" || ok "registry refuses UPDATE"
psql_ "DELETE FROM records WHERE seq = 2" >/dev/null 2>&1 &&
	bad "the registry allowed a DELETE" || ok "registry refuses DELETE"
psql_ "ALTER TABLE records DISABLE TRIGGER USER;
       UPDATE records SET record = convert_to(replace(convert_from(record, 'UTF8'), 'SN-A2', 'SN-Z2'), 'UTF8')
       WHERE serial = 'SN-A2'; ALTER TABLE records ENABLE TRIGGER USER;" >/dev/null
expect 1 "verify catches a record altered in PostgreSQL" "$CERTS" verify "$URI"
grep -q "FAILED at record 2 (STA-000002)" "$T/out" && ok "verify names STA-000002" || bad "verify: $(cat "$T/out")"

expect 1 "unreachable server is an error" "$CERTS" verify "postgresql://postgres@127.0.0.1:1/postgres"

[ "$fails" = 0 ] && echo "certs-pg: all passed" || echo "certs-pg: $fails failed"
[ "$fails" = 0 ]
