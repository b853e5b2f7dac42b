#!/usr/bin/env bash
# Install the .deb on a clean Debian (a debootstrap "minbase" root: no Python,
# no Qt, no X libraries) and run the smoke test against the installed
# /usr/bin/dossier-desk there. Proves the package is all a machine needs.
#
#   sudo packaging/clean_room.sh dist/dossier-desk_0.1.0_amd64.deb
#
# Needs root, debootstrap, and Debian's package mirror (read from this
# machine's apt sources, or MIRROR=...). About two minutes and 500 MB in /tmp;
# everything is removed afterwards. The smoke test itself runs on this machine
# with python3 and starts the program through chroot.
set -euo pipefail
DEB=$(realpath "${1:?usage: clean_room.sh PACKAGE.deb}")
SUITE=${SUITE:-bookworm}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ -z "${MIRROR:-}" ]; then
    MIRROR=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    [ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
fi
[ -n "$MIRROR" ] || { echo "clean_room: no Debian mirror found; set MIRROR" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "clean_room: apt-get install debootstrap" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dossier-desk-clean-room.XXXXXX)
ROOT=$WORK/root
# The smoke test's temporary home has the same path inside and outside the root.
SHARED=$WORK/shared
cleanup() {
    for m in "$ROOT$SHARED" "$ROOT/dev/shm" "$ROOT/dev" "$ROOT/proc"; do
        mountpoint -q "$m" 2>/dev/null && umount "$m"
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "clean_room: debootstrap $SUITE (minbase)"
debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" > "$WORK.debootstrap.log" 2>&1 \
    || { tail -20 "$WORK.debootstrap.log"; exit 1; }
rm -f "$WORK.debootstrap.log"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/shm "$ROOT/dev/shm"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp "$DEB" "$ROOT/tmp/"
if chroot "$ROOT" sh -c 'command -v python3' >/dev/null; then
    echo "clean_room: the root has a python3; not a clean machine" >&2
    exit 1
fi

echo "clean_room: apt install $(basename "$DEB")"
chroot "$ROOT" sh -c "apt-get update -qq && apt-get install -y -qq /tmp/$(basename "$DEB")" \
    > "$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; exit 1; }

mkdir -p "$SHARED" "$ROOT$SHARED"
mount --bind "$SHARED" "$ROOT$SHARED"
cat > "$SHARED/dossier-desk" <<WRAPPER
#!/bin/sh
exec /usr/sbin/chroot "$ROOT" /usr/bin/dossier-desk "\$@"
WRAPPER
chmod +x "$SHARED/dossier-desk"
python3 "$HERE/smoke.py" "$SHARED/dossier-desk" --tmpdir "$SHARED" \
    --samples /opt/dossier-desk/_internal/desktop/resources/samples
