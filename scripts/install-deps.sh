#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what footloop needs to build, run and test on Debian bookworm /
# Raspberry Pi OS bookworm. Does nothing (and needs no network) when every
# package is already installed. Uses sudo only when not root.
set -euo pipefail

packages=(
	build-essential cmake pkg-config
	libjack-jackd2-dev jackd2
	liblo-dev liblo-tools
	libgpiod-dev gpiod
	libsndfile1-dev librtmidi-dev libinih-dev libsystemd-dev libebur128-dev
	libcmocka-dev libsamplerate0-dev
	python3 # generates synthetic captures for the fl_wav_check self-test
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "install-deps: all ${#packages[@]} packages are installed"
	exit 0
fi

sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks whether to enable real-time priority; answer yes (the
# "audio" group gets rtprio/memlock limits), without a prompt.
echo "jackd2 jackd/tweak_rt_limits boolean true" | "${sudo[@]}" debconf-set-selections 2>/dev/null || true
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
