#!/usr/bin/env bash
# Install drill: deploy/install.sh on a clean Debian 12, as an office would run it.
#
#   sudo bash drills/install_drill.sh        (CI runs it; docs/operations.md)
#
# A minimal Debian 12 (debootstrap, from the same mirror as this machine's
# apt) gets this release as committed plus the working tree's changes, and
# runs deploy/install.sh --no-systemd in a chroot: Debian's packages,
# the simi user, PostgreSQL, migrations, check --deploy, the web server, the
# worker and nginx. From outside the drill then checks what a client sees
# through nginx: /healthz green over HTTPS, plain HTTP moved to HTTPS, pages
# and static files compressed, static files cached for good, HSTS (SIMI sees
# X-Forwarded-Proto), an oversized upload stopped. It runs the installer a
# second time (an upgrade to a new release with the data kept) and checks
# again. Everything it made is stopped and removed at the end. Ports are
# private (18080, 18443, gunicorn on 18000) so nothing on the host clashes.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
say() { printf '\n== install drill [%ss]: %s\n' "$(( $(date +%s) - started ))" "$*"; }
fail() { printf 'install drill FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot and mounts)"
command -v debootstrap >/dev/null || fail "needs debootstrap (apt-get install debootstrap)"

HOST=simi.install-drill.test
HTTP_PORT=18080
HTTPS_PORT=18443
BIND=127.0.0.1:18000
root=$(mktemp -d /var/tmp/simi-install-drill.XXXXXX)
chmod 755 "$root"  # the root folder of the new system: every user walks through it

stop_all() {
  # Every process whose root is the chroot, then the mounts, then the folder.
  for proc in /proc/[0-9]*; do
    if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
      kill -9 "${proc#/proc/}" 2>/dev/null || true
    fi
  done
  sleep 1
  for mnt in root/.cache/pip dev/pts dev proc; do
    mountpoint -q "$root/$mnt" 2>/dev/null && umount -l "$root/$mnt"
  done
  if [ -n "${SIMI_DRILL_KEEP:-}" ]; then echo "kept: $root"; else rm -rf --one-file-system "$root"; fi
}
trap stop_all EXIT

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}
say "debootstrap Debian 12 (minbase) from $mirror into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
  || { tail -n 20 "$root.debootstrap.log"; fail "debootstrap"; }
rm -f "$root.debootstrap.log"
security=${mirror%/debian}/debian-security
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The site's own certificate authorities (a TLS-inspecting proxy's, where the
# network has one) come along, as on any machine of that network; Debian's
# ca-certificates adds them to the store that apt, curl and pip then use.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
# As in any chroot: packages install without starting their daemons; the
# installer starts what it needs itself.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
# PostgreSQL needs POSIX shared memory.
mkdir -p "$root/dev/shm" 2>/dev/null || true
# The host's pip cache, when it has one, saves downloading the same wheels.
if [ -d "$HOME/.cache/pip" ]; then
  mkdir -p "$root/root/.cache/pip"
  mount --bind "$HOME/.cache/pip" "$root/root/.cache/pip"
fi

release_dir=/root/simi-release
copy_release() {
  rm -rf "$root$release_dir"
  mkdir -p "$root$release_dir"
  git ls-files -z --cached --others --exclude-standard \
    | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$root$release_dir" -xf -
}
install_in_chroot() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SIMI_HOSTNAME=$HOST SIMI_HTTP_PORT=$HTTP_PORT SIMI_HTTPS_PORT=$HTTPS_PORT SIMI_BIND=$BIND \
    bash "$release_dir/deploy/install.sh" --no-systemd
}

copy_release
say "first install (deploy/install.sh --no-systemd)"
first=$(date +%s)
install_in_chroot
first=$(( $(date +%s) - first ))

https="https://$HOST:$HTTPS_PORT"
c() { curl -sS -k --max-time 10 --resolve "$HOST:$HTTPS_PORT:127.0.0.1" --resolve "$HOST:$HTTP_PORT:127.0.0.1" "$@"; }
checks=0
check() { checks=$(( checks + 1 )); printf '  ok  %s\n' "$1"; }

verify() {
  say "checks from outside, through nginx"
  health=$(c "$https/healthz")
  case "$health" in *'"ok": true'*) check "/healthz over HTTPS is green: $health" ;; *) fail "/healthz: $health" ;; esac
  location=$(c -o /dev/null -w '%{http_code} %{redirect_url}' "http://$HOST:$HTTP_PORT/layanan/")
  [ "$location" = "301 $https/layanan/" ] || fail "plain HTTP gave '$location', not a move to HTTPS"
  check "plain HTTP moves to HTTPS ($location)"
  plain_health=$(c -o /dev/null -w '%{http_code}' "http://$HOST:$HTTP_PORT/healthz")
  [ "$plain_health" = 200 ] || fail "/healthz over plain HTTP answered $plain_health"
  check "/healthz answers over plain HTTP too (monitors)"
  headers=$(c -D - -o /dev/null -H 'Accept-Encoding: gzip' "$https/")
  grep -qi '^content-encoding: gzip' <<<"$headers" || fail "the home page is not compressed: $headers"
  check "pages are compressed (Content-Encoding: gzip)"
  grep -qi '^strict-transport-security:' <<<"$headers" || fail "no HSTS: SIMI did not see X-Forwarded-Proto"
  check "HSTS set: SIMI sees the request as HTTPS through X-Forwarded-Proto"
  css=$(c "$https/" | grep -o '/static/[^"]*\.css' | head -n 1)
  [ -n "$css" ] || fail "no stylesheet link on the home page"
  static_headers=$(c -D - -o /dev/null -H 'Accept-Encoding: gzip' "$https$css")
  grep -qi '^content-encoding: gzip' <<<"$static_headers" || fail "static file not compressed: $static_headers"
  grep -qi '^cache-control: public, immutable' <<<"$static_headers" || fail "static file not cached: $static_headers"
  check "static files from nginx: compressed and cached for good ($css)"
  token=$(cat "$root/etc/simi/metrics-token")
  metrics=$(c -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$https/metrics")
  [ "$metrics" = 404 ] || fail "/metrics through nginx answered $metrics"
  direct=$(curl -sS -o /dev/null -w '%{http_code}' -H "Host: $HOST" -H "Authorization: Bearer $token" "http://$BIND/metrics")
  [ "$direct" = 200 ] || fail "/metrics at gunicorn's own address answered $direct"
  check "/metrics is not offered through nginx, only at gunicorn's address (with the token)"
  big=$(head -c 20000000 /dev/zero | c -o /dev/null -w '%{http_code}' -X POST \
    -H 'Content-Type: application/octet-stream' --data-binary @- "$https/api/v1/applications")
  [ "$big" = 413 ] || fail "a 20 MB body answered $big, not 413"
  check "a 20 MB body is stopped by nginx (413)"
}

verify
say "second run: an upgrade to a new release, data and keys kept"
sleep 1  # a release is named by the second it was made
keys_before=$(cd "$root/etc/simi/keys" && sha256sum ./* | sha256sum)
second=$(date +%s)
install_in_chroot
second=$(( $(date +%s) - second ))
keys_after=$(cd "$root/etc/simi/keys" && sha256sum ./* | sha256sum)
[ "$keys_before" = "$keys_after" ] || fail "the upgrade changed the keys"
check "the upgrade kept /etc/simi/keys"
releases=$(find "$root/srv/simi-releases" -mindepth 1 -maxdepth 1 -type d | wc -l)
[ "$releases" = 2 ] || fail "expected 2 releases kept, found $releases"
check "the previous release is kept for a rollback"
verify

say "install drill passed: $checks checks; first install ${first} s, upgrade ${second} s"
