#!/usr/bin/env bash
# Installs Debian's AWS CLI for the emulator's real-client test (packages/local/test/emulator/
# aws-cli.test.ts). Does nothing when an `aws` executable already works; without one that test
# skips and says why, so a failed install must not stop the suite. Needs root (apt-get).
set -euo pipefail

if command -v aws > /dev/null 2>&1 && aws --version > /dev/null 2>&1; then
  echo "aws already installed: $(aws --version 2>&1)"
  exit 0
fi

# shellcheck source=apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install awscli
echo "aws installed: $(/usr/bin/aws --version 2>&1)"
