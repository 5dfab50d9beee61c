# SPDX-License-Identifier: GPL-3.0-or-later
# A real TPM 2.0 simulator per simulated PC: swtpm with its own state
# directory on free loopback ports, killed by swtpm_stop_all (call it from
# the EXIT trap). POSIX sh; sourced by tests that need a TPM. Never touches
# a real /dev/tpm*.
#   SWTPM_DIR   where state directories, logs and pid files go (required)

SWTPM_PIDS=""

# Is TCP port $1 free on loopback?
swtpm_port_free() {
	! (ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q "[:.]$1\$")
}

# swtpm_start NAME: a fresh swtpm with state in $SWTPM_DIR/NAME; sets
# TCTI_<NAME> (swtpm:host=127.0.0.1,port=P) and SWTPM_PORT. Returns 1 after
# printing why when none starts.
swtpm_start() {
	_name=$1
	mkdir -p "$SWTPM_DIR/$_name"
	_tries=0
	while [ $_tries -lt 20 ]; do
		_tries=$((_tries + 1))
		SWTPM_PORT=$(( (($$ + _tries * 7919 + $(date +%N | sed 's/^0*//;s/^$/0/')) % 20000) + 30000 ))
		swtpm_port_free "$SWTPM_PORT" && swtpm_port_free $((SWTPM_PORT + 1)) || continue
		if swtpm socket --tpm2 --tpmstate dir="$SWTPM_DIR/$_name" \
			--server type=tcp,port="$SWTPM_PORT",bindaddr=127.0.0.1 \
			--ctrl type=tcp,port=$((SWTPM_PORT + 1)),bindaddr=127.0.0.1 \
			--flags not-need-init,startup-clear --daemon --pid file="$SWTPM_DIR/$_name.pid" \
			2>"$SWTPM_DIR/$_name.log"; then
			SWTPM_PIDS="$SWTPM_PIDS $SWTPM_DIR/$_name.pid"
			_i=0
			while ! [ -s "$SWTPM_DIR/$_name.pid" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
			eval "TCTI_$_name=swtpm:host=127.0.0.1,port=$SWTPM_PORT"
			return 0
		fi
	done
	echo "swtpm would not start: $(cat "$SWTPM_DIR/$_name.log")"
	return 1
}

swtpm_stop_all() {
	for _p in $SWTPM_PIDS; do
		[ -f "$_p" ] && kill "$(cat "$_p")" 2>/dev/null
	done
	SWTPM_PIDS=""
}
