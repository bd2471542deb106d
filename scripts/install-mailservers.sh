#!/usr/bin/env bash
# Install the Debian packages that scripts/mailservers.sh needs for the
# end-to-end tests: Dovecot (IMAP and LMTP) and Postfix.
#
# Run as root on Debian 12. The packages' default instances are neither
# configured nor started: Postfix is preseeded to "No configuration", and a
# temporary /usr/sbin/policy-rc.d makes invoke-rc.d skip every service start.
# Works without systemd. Does nothing when all packages are already installed.
set -euo pipefail

packages=(dovecot-imapd dovecot-lmtpd postfix)

fail() {
	echo "install-mailservers: $*" >&2
	exit 1
}

is_installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for pkg in "${packages[@]}"; do
	if ! is_installed "$pkg"; then
		missing+=("$pkg")
	fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
	echo "install-mailservers: already installed: ${packages[*]}"
	exit 0
fi

[[ $(id -u) -eq 0 ]] || fail "must run as root to install: ${missing[*]}"
command -v apt-get >/dev/null || fail "apt-get not found; this script supports Debian only"

export DEBIAN_FRONTEND=noninteractive

# apt-get update is slow, so run it only when needed: when the package lists
# do not offer every missing package (a fresh image often has no lists at
# all), or when downloading fails because the lists are older than the
# archive (the archive then answers 404 for the listed versions).
update_lists() {
	echo "install-mailservers: apt-get update"
	apt-get update -q || fail "step 'apt-get update' failed"
}
for pkg in "${missing[@]}"; do
	candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
	if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
		update_lists
		break
	fi
done
download() {
	apt-get install -y -q --no-install-recommends --download-only "${missing[@]}"
}
if ! download; then
	echo "install-mailservers: download failed, retrying after apt-get update" >&2
	update_lists
	download || fail "step 'apt-get install --download-only ${missing[*]}' failed"
fi

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections ||
	fail "step 'debconf-set-selections' (preseed postfix) failed"

# policy-rc.d exit code 101 means "action forbidden": package scripts then do
# not start the default dovecot and postfix services. An existing policy-rc.d
# is moved aside and restored afterwards.
policy=/usr/sbin/policy-rc.d
policy_backup=""
if [[ -e $policy ]]; then
	policy_backup=$(mktemp /usr/sbin/policy-rc.d.saved.XXXXXX)
	mv "$policy" "$policy_backup"
fi
restore_policy() {
	rm -f "$policy"
	if [[ -n $policy_backup ]]; then
		mv "$policy_backup" "$policy"
	fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' >"$policy"
chmod 755 "$policy"

echo "install-mailservers: apt-get install ${missing[*]}"
apt-get install -y -q --no-install-recommends "${missing[@]}" ||
	fail "step 'apt-get install ${missing[*]}' failed"

for pkg in "${packages[@]}"; do
	is_installed "$pkg" || fail "package $pkg is still not installed after apt-get install"
done
echo "install-mailservers: installed ${missing[*]}"
