#!/usr/bin/env bash
# Builds the agent-renderer image (the injected agent and the rotation service) with podman:
# see tools/images/build.sh, which builds every app's image the same way.
set -euo pipefail
exec bash "$(dirname "$0")/../../images/build.sh" agent-renderer
