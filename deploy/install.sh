#!/usr/bin/env bash
# Install or upgrade SIMI on a Debian 12 machine, from a release (this checkout).
#
#   sudo SIMI_HOSTNAME=simi.example.go.id deploy/install.sh
#
# It installs Debian's python3, PostgreSQL 15, nginx and ssl-cert; makes the
# "simi" system user; puts the release in /srv/simi-releases/<stamp> with its
# own virtualenv and points /srv/simi at it; writes /etc/simi (environment,
# secret key, data keys) once and never overwrites it; makes the database;
# checks the deployment (manage.py check --deploy), migrates and collects the
# static files; installs the systemd units and the nginx site; (re)starts the
# web server and the worker; and waits until /healthz through nginx is green.
# Running it again with a newer release upgrades in place (docs/operations.md,
# "Installing on Debian"); the previous releases stay for a rollback.
#
# Settings (environment variables):
#   SIMI_HOSTNAME     public host name (default: hostname -f)
#   SIMI_HTTP_PORT    nginx's plain HTTP port (default 80)
#   SIMI_HTTPS_PORT   nginx's HTTPS port (default 443)
#   SIMI_TLS_CERT     certificate chain (default: Debian's self-signed snakeoil
#   SIMI_TLS_KEY      pair from ssl-cert, to be replaced by the office's own)
#   SIMI_BIND         where gunicorn listens (default 127.0.0.1:8000)
#   DATABASE_URL      an existing PostgreSQL database; unset: a local one is made
#   SIMI_KEEP_RELEASES  how many releases to keep (default 3)
# Options:
#   --no-systemd      start the services without systemd (containers, chroots,
#                     the CI drill): the same command, user, directory and
#                     environment as the unit files, logs in /var/log/simi.
set -euo pipefail

use_systemd=auto
for arg in "$@"; do
  case "$arg" in
    --no-systemd) use_systemd=no ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
if [ "$use_systemd" = auto ]; then
  if [ -d /run/systemd/system ]; then use_systemd=yes; else use_systemd=no; fi
fi

started=$(date +%s)
step() { printf '\n== install [%ss]: %s\n' "$(( $(date +%s) - started ))" "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run it as root (sudo)"
# shellcheck disable=SC1091
. /etc/os-release
[ "${ID:-}" = debian ] && [ "${VERSION_ID%%.*}" -ge 12 ] 2>/dev/null \
  || echo "install.sh: written for Debian 12; this is ${PRETTY_NAME:-unknown}, going on" >&2

SOURCE=$(cd "$(dirname "$0")/.." && pwd)
CURRENT=/srv/simi
RELEASES=/srv/simi-releases
ETC=/etc/simi
VAR=/var/lib/simi
LOGS=/var/log/simi
RUN=/run/simi
HOST=${SIMI_HOSTNAME:-$(hostname -f 2>/dev/null || hostname)}
HTTP_PORT=${SIMI_HTTP_PORT:-80}
HTTPS_PORT=${SIMI_HTTPS_PORT:-443}
TLS_CERT=${SIMI_TLS_CERT:-/etc/ssl/certs/ssl-cert-snakeoil.pem}
TLS_KEY=${SIMI_TLS_KEY:-/etc/ssl/private/ssl-cert-snakeoil.key}
BIND=${SIMI_BIND:-127.0.0.1:8000}
KEEP=${SIMI_KEEP_RELEASES:-3}
[ -f "$SOURCE/manage.py" ] && [ -f "$SOURCE/requirements/base.lock" ] \
  || die "$SOURCE is not a SIMI release (no manage.py or requirements/base.lock)"
if [ -e "$CURRENT" ] && [ ! -L "$CURRENT" ]; then
  die "$CURRENT exists and is not a link to a release: move it away first"
fi
origin="https://$HOST"
[ "$HTTPS_PORT" = 443 ] || origin="$origin:$HTTPS_PORT"

as_simi() {
  # A command as the simi user, in the new release, with SIMI's environment.
  # Its static root is the release's own until the live link points there.
  runuser -u simi -- env -i PATH=/usr/bin:/bin HOME="$VAR" LANG=C.UTF-8 \
    bash -c 'set -a; . /etc/simi/simi.env; set +a; SIMI_STATIC_ROOT="$0/static"; cd "$0"; exec "$@"' \
    "$release" "$@"
}

# --- 1. Debian packages ----------------------------------------------------
step "Debian packages"
packages=(python3 python3-venv nginx ssl-cert curl ca-certificates)
[ -n "${DATABASE_URL:-}" ] || packages+=(postgresql)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
python3 -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || die "SIMI needs Python 3.11 (Debian 12's python3)"

# --- 2. the system user and its folders --------------------------------------
step "user simi and folders"
id simi >/dev/null 2>&1 \
  || useradd --system --user-group --home-dir "$VAR" --no-create-home --shell /usr/sbin/nologin simi
install -d -m 0750 -o simi -g simi "$VAR" "$VAR/media" "$LOGS"
install -d -m 0700 -o simi -g simi /var/backups/simi
install -d -m 0755 -o root -g root "$RELEASES"
install -d -m 0750 -o root -g simi "$ETC"
install -d -m 0700 -o simi -g simi "$ETC/keys"

# --- 3. the release and its virtualenv ---------------------------------------
release="$RELEASES/$(date -u +%Y%m%dT%H%M%SZ)"
step "release $release"
install -d -m 0755 "$release"
tar -C "$SOURCE" --exclude=./.git --exclude=./.venv --exclude=./var \
  --exclude=./staticfiles --exclude=./node_modules -cf - . | tar -C "$release" -xf -
python3 -m venv "$release/.venv"
"$release/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$release/requirements/base.lock"
install -d -m 0755 -o simi -g simi "$release/static"

# --- 4. /etc/simi: written once, never overwritten ----------------------------
step "configuration in $ETC"
if [ ! -s "$ETC/secret-key" ]; then
  (umask 027; python3 -c 'import secrets; print(secrets.token_urlsafe(64))' > "$ETC/secret-key")
  chgrp simi "$ETC/secret-key"
fi
if [ ! -s "$ETC/metrics-token" ]; then
  (umask 027; python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > "$ETC/metrics-token")
  chgrp simi "$ETC/metrics-token"
fi

# The database: the one given, or a local PostgreSQL reached by its socket as
# the simi user (peer authentication: no password to keep).
db_url=${DATABASE_URL:-}
if [ -z "$db_url" ] && [ -f "$ETC/simi.env" ]; then
  db_url=$(sed -n 's/^DATABASE_URL="\(.*\)"$/\1/p' "$ETC/simi.env")
fi
if [ -z "$db_url" ] || [ "${db_url#postgres://simi@/simi?host=/var/run/postgresql}" != "$db_url" ]; then
  step "local PostgreSQL"
  if [ -z "$(pg_lsclusters --no-header)" ]; then
    # The package makes one unless told not to (createcluster.conf).
    newest=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)
    pg_createcluster "$newest" main >/dev/null
  fi
  read -r pg_version pg_cluster pg_port pg_status _ < <(pg_lsclusters --no-header | head -n 1) \
    || die "no PostgreSQL cluster (pg_lsclusters is empty)"
  first_install=no
  if ! runuser -u postgres -- psql -p "$pg_port" -Atc "select 1 from pg_database where datname = 'simi'" 2>/dev/null | grep -q 1; then
    first_install=yes
  fi
  if [ "$first_install" = yes ]; then
    # SIMI on the same machine needs no TCP port on its database; a replica or
    # another client later gets listen_addresses and pg_hba lines by hand.
    pg_conftool "$pg_version" "$pg_cluster" set listen_addresses ''
    if [ "$pg_status" = online ]; then
      if [ "$use_systemd" = yes ]; then systemctl restart "postgresql@$pg_version-$pg_cluster"
      else pg_ctlcluster "$pg_version" "$pg_cluster" restart; fi
    fi
  fi
  if ! pg_lsclusters --no-header | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c' | grep -q online; then
    if [ "$use_systemd" = yes ]; then systemctl enable --now "postgresql@$pg_version-$pg_cluster"
    else pg_ctlcluster "$pg_version" "$pg_cluster" start; fi
  fi
  pg() { runuser -u postgres -- psql -p "$pg_port" -v ON_ERROR_STOP=1 -Atq "$@"; }
  pg -c "select 1 from pg_roles where rolname = 'simi'" | grep -q 1 || pg -c "create role simi login"
  pg -c "select 1 from pg_database where datname = 'simi'" | grep -q 1 \
    || runuser -u postgres -- createdb -p "$pg_port" -O simi -E UTF8 simi
  db_url="postgres://simi@/simi?host=/var/run/postgresql&port=$pg_port"
fi

if [ ! -f "$ETC/simi.env" ]; then
  # systemd's EnvironmentFile and the shell both read this file: one
  # NAME="value" per line.
  (umask 027; cat > "$ETC/simi.env" <<EOF
# SIMI's environment (docs/operations.md, README.md "Production"). Written by
# deploy/install.sh on the first install; edit by hand, it is never replaced.
SIMI_ENV="production"
SIMI_SECRET_KEY_FILE="$ETC/secret-key"
SIMI_KEY_DIR="$ETC/keys"
SIMI_METRICS_TOKEN_FILE="$ETC/metrics-token"
SIMI_ALLOWED_HOSTS="$HOST"
SIMI_CSRF_TRUSTED_ORIGINS="$origin"
SIMI_PUBLIC_BASE_URL="$origin"
DATABASE_URL="$db_url"
SIMI_VAR_DIR="$VAR"
SIMI_MEDIA_ROOT="$VAR/media"
SIMI_BACKUP_DIR="/var/backups/simi"
SIMI_STATIC_ROOT="$CURRENT/static"
SIMI_BIND="$BIND"
WEB_CONCURRENCY="2"
# Outgoing mail (notifications, password resets): the office's SMTP relay.
# SIMI_EMAIL_HOST="smtp.example.go.id"
# SIMI_EMAIL_PORT="587"
# SIMI_EMAIL_USE_TLS="true"
# SIMI_DEFAULT_FROM_EMAIL="SIMI <noreply@example.go.id>"
EOF
  )
  chgrp simi "$ETC/simi.env"
fi

# The data key ring, blind-index key, signing key and seal key: made once in
# $ETC/keys, readable by simi alone; they are never in a backup
# (docs/security.md says where to keep a copy).
runuser -u simi -- env -i PATH=/usr/bin:/bin HOME="$VAR" SIMI_KEY_DIR="$ETC/keys" \
  SIMI_SECRET_KEY_FILE="$ETC/secret-key" SIMI_VAR_DIR="$VAR" SIMI_STATIC_ROOT="$release/static" \
  bash -c 'cd "$0" && exec .venv/bin/python -c "import django, os; os.environ[\"DJANGO_SETTINGS_MODULE\"] = \"simi.settings\"; django.setup(); from simi.core import keys; keys.data_keyring(); keys.index_key(); keys.signing_key(); keys.seal_key()"' "$release"

# --- 5. check, migrate, static files (the new release, before it is live) ----
step "manage.py check --deploy"
as_simi .venv/bin/python manage.py check --deploy --fail-level WARNING
step "manage.py migrate"
as_simi .venv/bin/python manage.py migrate --no-input
step "manage.py collectstatic"
as_simi .venv/bin/python manage.py collectstatic --no-input -v 0

# --- 6. go live: the link, the units, the nginx site ---------------------------
step "switching $CURRENT to the new release"
ln -sfn "$release" "$CURRENT.new" && mv -T "$CURRENT.new" "$CURRENT"

sed -e "s/@HOSTNAME@/$HOST/g" -e "s/@HTTP_PORT@/$HTTP_PORT/g" -e "s/@HTTPS_PORT@/$HTTPS_PORT/g" \
  -e "s#@UPSTREAM@#$BIND#g" -e "s#@TLS_CERT@#$TLS_CERT#g" -e "s#@TLS_KEY@#$TLS_KEY#g" \
  -e "s#@STATIC_ROOT@#$CURRENT/static#g" -e "s#@HTTPS_ORIGIN@#$origin#g" "$release/deploy/nginx/simi.conf" > /etc/nginx/sites-available/simi
ln -sfn /etc/nginx/sites-available/simi /etc/nginx/sites-enabled/simi
if [ -L /etc/nginx/sites-enabled/default ]; then
  # Debian's placeholder site claims the default server on port 80.
  rm /etc/nginx/sites-enabled/default
fi
[ -s "$TLS_CERT" ] || make-ssl-cert generate-default-snakeoil --force-overwrite
nginx -t -q

step "starting the web server, the worker and nginx"
if [ "$use_systemd" = yes ]; then
  install -m 0644 "$release/deploy/simi-web.service" "$release/deploy/simi-worker.service" /etc/systemd/system/
  systemctl daemon-reload
  systemctl enable simi-web simi-worker nginx >/dev/null
  systemctl restart simi-web simi-worker
  systemctl reload-or-restart nginx
else
  # The unit files' own command, user, folder and environment, so that what
  # the drill starts is what systemd would start.
  install -d -m 0755 -o simi -g simi "$RUN"
  for unit in simi-web simi-worker; do
    file="$release/deploy/$unit.service"
    if [ -s "$RUN/$unit.pid" ] && kill -0 "$(cat "$RUN/$unit.pid")" 2>/dev/null; then
      pid=$(cat "$RUN/$unit.pid")
      kill -TERM "$pid"
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    exec_start=$(sed -n 's/^ExecStart=//p' "$file")
    workdir=$(sed -n 's/^WorkingDirectory=//p' "$file")
    user=$(sed -n 's/^User=//p' "$file")
    envfile=$(sed -n 's/^EnvironmentFile=//p' "$file")
    # setsid and setpriv exec in place: the pid kept is the server's own.
    setsid setpriv --reuid="$user" --regid="$user" --init-groups \
      env -i PATH=/usr/bin:/bin HOME="$VAR" LANG=C.UTF-8 bash -c 'set -a; . "$0"; set +a; cd "$1"; set -f; exec $2' \
      "$envfile" "$workdir" "$exec_start" >>"$LOGS/$unit.log" 2>&1 </dev/null &
    echo $! > "$RUN/$unit.pid"
  done
  if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then nginx -s reload; else nginx; fi
fi

# --- 7. /healthz through nginx ------------------------------------------------
step "waiting for /healthz through nginx"
health=""
for _ in $(seq 1 90); do
  if health=$(curl -fsSk --max-time 5 --resolve "$HOST:$HTTPS_PORT:127.0.0.1" \
      "https://$HOST:$HTTPS_PORT/healthz" 2>/dev/null) && [ "${health#*\"ok\": true}" != "$health" ]; then
    break
  fi
  health=""
  sleep 1
done
[ -n "$health" ] || {
  echo "install.sh: /healthz is not green after 90 s; the logs:" >&2
  tail -n 30 "$LOGS"/*.log 2>/dev/null >&2 || journalctl -u simi-web -u simi-worker -n 30 >&2 || true
  exit 1
}
echo "/healthz: $health"

# Old releases beyond the last $KEEP go (never the live one).
live=$(readlink -f "$CURRENT")
find "$RELEASES" -mindepth 1 -maxdepth 1 -type d | sort -r | tail -n "+$(( KEEP + 1 ))" \
  | while read -r old; do [ "$old" = "$live" ] || rm -rf "$old"; done

step "done: SIMI $(basename "$release") is live at $origin"
cat <<EOF
Next (docs/operations.md): replace the self-signed certificate (SIMI_TLS_CERT /
SIMI_TLS_KEY, or certbot), set the mail relay in $ETC/simi.env, copy $ETC/keys to
the office's key safe, and enable the nightly backup.
EOF
