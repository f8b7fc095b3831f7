#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Compiles the files written against the newer APIs of Debian trixie
# (libgpiod 2.x: src/input/gpio_v2.c; RtMidi 6: src/input/midi_rtmidi.c)
# against trixie's headers, on a bookworm machine: the -dev packages are
# downloaded from the Debian mirror into a temporary folder (nothing is
# installed) and the sources are checked with -fsyntax-only -Werror.
# Exits 0 when they compile, 1 when they do not, 77 when trixie's packages
# cannot be downloaded (no mirror).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
	>"$tmp/sources.list"
apt_opts=(-o Dir::Etc::sourcelist="$tmp/sources.list" -o Dir::Etc::sourceparts=/dev/null
	-o Dir::State::Lists="$tmp/lists" -o APT::Sandbox::User=root)
if ! timeout 300 apt-get "${apt_opts[@]}" -qq update >"$tmp/apt.log" 2>&1 ||
	! (cd "$tmp/debs" && timeout 300 apt-get "${apt_opts[@]}" -qq download libgpiod-dev librtmidi-dev \
		>>"$tmp/apt.log" 2>&1); then
	echo "check-trixie-apis: cannot download trixie's libgpiod-dev/librtmidi-dev (skipped)"
	tail -3 "$tmp/apt.log"
	exit 77
fi
for deb in "$tmp"/debs/*.deb; do
	dpkg-deb -x "$deb" "$tmp/root"
	echo "check-trixie-apis: $(basename "$deb")"
done
inc="$tmp/root/usr/include"
cc -std=c11 -fsyntax-only -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DFL_GPIOD_MAJOR=2 -I"$root/include" -I"$root/src" -I"$inc" -I"$inc/rtmidi" \
	"$root/src/input/gpio_v2.c" "$root/src/input/midi_rtmidi.c"
echo "check-trixie-apis: gpio_v2.c (libgpiod 2) and midi_rtmidi.c (RtMidi 6) compile"
