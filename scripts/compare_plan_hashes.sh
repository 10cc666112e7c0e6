#!/bin/bash
# Plans every runbook under Runbooks/ (and examples/, demo/) offline with two cutoverctl binaries
# and prints each plan hash side by side, so a refactoring that must not change behaviour can show
# that every plan is the same. Fixed parameters (no date taken from the clock) keep it repeatable.
#
#   scripts/compare_plan_hashes.sh /work/main/.build/debug/cutoverctl .build/debug/cutoverctl
# Exits 1 when any hash differs or a runbook does not plan with either binary.
set -u
before=$1
after=$2
given=(windowStart=2026-12-01T01:00:00+09:00 windowEnd=2026-12-01T05:00:00+09:00 hostedZoneId=Z0123456789ABCDEFGHIJ)
hash() {
  # Only the parameters the runbook declares: an undeclared one is an error.
  local params=() value
  for value in "${given[@]}"; do
    grep -q "^  ${value%%=*}:" "$2" && params+=(--param "$value")
  done
  "$1" plan "$2" --output json "${params[@]}" 2>/dev/null |
    python3 -c 'import json,sys
try: print(json.load(sys.stdin)["hash"])
except Exception: print("NO-PLAN")'
}
status=0
for file in Runbooks/*.yaml Runbooks/examples/*.yaml Runbooks/demo/*.yaml; do
  old=$(hash "$before" "$file")
  new=$(hash "$after" "$file")
  verdict=same
  if [ "$old" != "$new" ] || [ "$old" = NO-PLAN ]; then verdict=DIFFERENT; status=1; fi
  printf '%-45s %s %s %s\n' "$file" "${old:0:16}" "${new:0:16}" "$verdict"
done
exit $status
