#!/bin/sh
# Regenerates the figures of docs/diagnosis-evaluation.md (release build; about 10 minutes on 2 cores).
#
#   docs/diagnosis-evaluation.sh [RCA_DEV]     RCA_DEV defaults to ../shared/rca-dev
#
# The synthetic cases come from the latest generator (aurora-synth/2); AURORA_SYNTH_VERSION=1 in the
# environment gives the previous one's cases, for the figures measured before it.
#
# 1. aurora on the Nezha development cases, per system and fault type;
# 2. the same with the confidence refitted and each system left out in turn (rca-dev + synthetic dev);
# 3. the synthetic dev split, and the test split (cases 10 000 on, never used for fitting);
# 4. the scorer's graph-free baselines on the same cases;
# 5. aurora's own baselines (`eval-rca --baseline`), the call-graph ones among them, on all three sets.
set -eu
RCA_DEV=${1:-../shared/rca-dev}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
swift build -c release --product aurora >/dev/null
swift build -c release --product aurora-bench >/dev/null
BIN=$(swift build -c release --show-bin-path)
AURORA_RCA_EXPORT_DIR="$WORK/synth-dev" AURORA_RCA_SPLIT=dev AURORA_RCA_CASES=150 "$BIN/aurora-bench" rca-export
AURORA_RCA_EXPORT_DIR="$WORK/synth-test" AURORA_RCA_SPLIT=test AURORA_RCA_CASES=150 "$BIN/aurora-bench" rca-export
echo "## rca-dev"
"$BIN/aurora" eval-rca "$RCA_DEV/cases"
echo "## rca-dev + synthetic dev, confidence refitted, each system left out"
"$BIN/aurora" eval-rca "$RCA_DEV/cases" "$WORK/synth-dev" --cross-validate system
echo "## synthetic dev split"
"$BIN/aurora" eval-rca "$WORK/synth-dev"
echo "## synthetic test split"
"$BIN/aurora" eval-rca "$WORK/synth-test"
echo "## baselines (the scorer of rca-dev)"
for baseline in "nsigma.py" "nsigma.py --direction up" "baro.py" "random.py --seed 0"; do
    echo "### $baseline"
    (cd "$RCA_DEV" && python3 tools/run_rca.py --data cases --jobs 2 --cmd "python3 tools/baselines/$baseline --in {in} --at {at}") \
        | head -12
done
echo "## aurora's baselines (eval-rca --baseline)"
for baseline in nsigma baro earliest-onset graph-walk random-walk; do
    for set in "$RCA_DEV/cases" "$WORK/synth-dev" "$WORK/synth-test"; do
        echo "### $baseline on $set"
        "$BIN/aurora" eval-rca "$set" --baseline "$baseline"
    done
done
