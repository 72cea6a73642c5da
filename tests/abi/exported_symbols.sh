#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvalkka exports exactly the VALKKA_API functions of abi/: every exported symbol is declared in a
# public header with VALKKA_API, and every such declaration is exported.
set -euo pipefail
lib=$1 abi=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "B" {print $3}' | sed 's/@.*//' | sort -u)
# A declaration starts its line with VALKKA_API; the first "name(" on that line is the function.
declared=$(grep -hE '^VALKKA_API ' "$abi"/valkka/*.h | sed -E 's/^[^(]*[^a-z_0-9]([a-z_0-9]+)\(.*/\1/' | sort -u)
status=0
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
[ -z "$extra" ] || { echo "exported but not declared VALKKA_API:"; echo "$extra"; status=1; }
[ -z "$missing" ] || { echo "declared VALKKA_API but not exported:"; echo "$missing"; status=1; }
echo "$(echo "$exported" | wc -l) symbols exported, $(echo "$declared" | wc -l) declared"
exit $status
