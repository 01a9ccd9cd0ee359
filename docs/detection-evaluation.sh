#!/bin/sh
# Regenerates docs/detection-evaluation.md (release build; the evaluation itself about two minutes on 2 cores).
#
#   docs/detection-evaluation.sh [SHARED]     SHARED defaults to ../shared (holds nab/ and cloudmon/)
#
# Every detector and the ensemble on both labelled corpora at once, in-sample and with each category
# left out in turn (parameters and threshold chosen on every other category of both corpora).
set -eu
SHARED=${1:-../shared}
swift build -c release --product aurora >/dev/null
BIN=$(swift build -c release --show-bin-path)
"$BIN/aurora" eval "$SHARED/nab/data" "$SHARED/cloudmon/data" \
    --labels "$SHARED/nab/labels/combined_windows_dev.json" \
    --labels "$SHARED/cloudmon/labels/combined_windows.json" \
    --detector all --cross-validate --markdown > docs/detection-evaluation.md
