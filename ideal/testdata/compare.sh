#!/bin/sh
# Reproduces the comparison of package ideal with the reference tools in
# shared/bench: pscl::ideal and MCMCpack on session 70 (correlation and time),
# and MCMCpack::MCMCdynamicIRT1d on sessions 66–70 (time, about 450 s).
# Needs R with pscl and MCMCpack (Debian: r-base-core r-cran-pscl
# r-cran-mcmcpack). Run from the module root: sh ideal/testdata/compare.sh
set -eu
root=$(pwd)
bench=${BENCH:-$root/../shared/bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
echo "== R: pscl::ideal and MCMCpack::MCMCirt1d, session 70"
Rscript "$bench/mcmc_ideal.R" 70 | grep -v '^$'
cd "$root"
echo "== concord: static yes/no fit of session 70 against pscl"
IDEAL_PSCL="$tmp/pscl_s70.csv" go test -count=1 -run TestComparePscl -v ./ideal | grep -E 'compare_test|ok|FAIL'
echo "== concord: benchmarks (session 70, sessions 66-70 dynamic)"
go test -run '^$' -bench 'Session70Binary|Sessions66to70' -benchtime 5x ./ideal
if [ "${DYNAMIC:-1}" = 1 ]; then
	echo "== R: MCMCpack::MCMCdynamicIRT1d, sessions 66-70 (takes minutes)"
	cd "$tmp" && Rscript "$bench/mcmc_dynamic.R" 66 70
fi
