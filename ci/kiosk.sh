#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the most complete thing that exists.
# At this stage that is the core with its plugins: the CLI lists the plugins it found.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh
dir=$(ci/build.sh normal)
export VALKKA_PLUGIN_PATH="$PWD/$dir/plugins"
"$dir/bin/valkka" --version
"$dir/bin/valkka" plugins
