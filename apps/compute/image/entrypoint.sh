#!/bin/sh
# Starts sshd with the keys compute provides in $EDD_SSH_DIR (the Kubernetes Secret, or files the docker driver
# writes), and re-installs authorized_keys whenever that file changes, so key changes apply without a restart.
set -eu

KEYS_DIR="${EDD_SSH_DIR:-/etc/edd/ssh}"
POLL_SECONDS="${EDD_KEYS_POLL_SECONDS:-2}"
# Overridable only so the test can run this script outside an image (apps/compute/image/entrypoint.test.ts).
SSH_ETC="${EDD_SSH_ETC:-/etc/ssh}"
SSHD="${EDD_SSHD:-/usr/sbin/sshd}"
RUN_DIR="${EDD_RUN_DIR:-/run/sshd}"
ROOT_SKEL="${EDD_ROOT_SKEL:-/usr/local/share/edd-root-skel}"
AUTHORIZED_DIR="$SSH_ETC/authorized_keys.d"

log() { printf 'edd-entrypoint: %s\n' "$*" >&2; }

install_host_key() {
  if [ ! -s "$KEYS_DIR/ssh_host_ed25519_key" ]; then
    log "no host key in $KEYS_DIR; refusing to start with a generated one the gateway would not trust"
    exit 1
  fi
  install -m 0600 "$KEYS_DIR/ssh_host_ed25519_key" "$SSH_ETC/ssh_host_ed25519_key"
  install -m 0644 "$KEYS_DIR/ssh_host_ed25519_key.pub" "$SSH_ETC/ssh_host_ed25519_key.pub"
}

# Written to a temporary file and renamed, so sshd never reads a half-written list.
install_authorized_keys() {
  tmp=$(mktemp "$AUTHORIZED_DIR/.root.XXXXXX")
  if [ -f "$KEYS_DIR/authorized_keys" ]; then cat "$KEYS_DIR/authorized_keys" >"$tmp"; fi
  chmod 0600 "$tmp"
  mv -f "$tmp" "$AUTHORIZED_DIR/root"
}

# A Kubernetes Secret volume swaps its files through symlinks; the content's checksum sees through that.
keys_fingerprint() {
  cksum <"$KEYS_DIR/authorized_keys" 2>/dev/null || echo none
}

# Mount paths are persistent volumes; an empty /root gets Debian's dotfiles back.
prepare_mount_paths() {
  old_ifs=$IFS
  IFS=:
  for path in ${EDD_MOUNT_PATHS:-}; do
    [ -n "$path" ] || continue
    mkdir -p "$path"
    if [ "$path" = /root ] && [ -z "$(ls -A /root)" ]; then cp -a "$ROOT_SKEL/." /root/; fi
  done
  IFS=$old_ifs
}

mkdir -p "$RUN_DIR" "$AUTHORIZED_DIR"
chmod 0755 "$RUN_DIR"
prepare_mount_paths
install_host_key
install_authorized_keys
last=$(keys_fingerprint)

"$SSHD" -D -e &
sshd_pid=$!
trap 'kill -TERM "$sshd_pid" 2>/dev/null || true' TERM INT

while kill -0 "$sshd_pid" 2>/dev/null; do
  # sleep in the background and wait for it, so a TERM is handled at once rather than after the sleep.
  sleep "$POLL_SECONDS" &
  wait $! || true
  now=$(keys_fingerprint)
  if [ "$now" != "$last" ]; then
    install_authorized_keys
    last=$now
    log "authorized_keys updated"
  fi
done

status=0
wait "$sshd_pid" || status=$?
log "sshd exited with $status"
exit "$status"
