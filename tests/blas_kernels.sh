#!/usr/bin/env bash
# What does and what does not depend on the OpenBLAS kernel (OPENBLAS_CORETYPE), checked by
# forcing each kernel this CPU can run: unset (OpenBLAS's own choice), Sandybridge (AVX),
# Haswell (AVX2+FMA), SkylakeX (AVX-512). A kernel the CPU lacks (SIGILL) is skipped with one
# `skip:` line on stderr; the result does not depend on the caller's OPENBLAS_CORETYPE.
#   bash blas_kernels.sh train DATA  training never calls BLAS (lib/gemm.h): short retrains (2
#       epochs on every 10th row of DATA; deepTarget on 10-mer-m6 windows with the default model's
#       options, and TargetNet) give byte-identical model files under every kernel x --threads 1, 2,
#       and under every GEMM build the CPU runs (TFM_GEMM_ISA). ~1 s per run, ~20 runs.
#   bash blas_kernels.sh rnafm  RNA-FM keeps OpenBLAS's sgemm (speed): its representations follow
#       the kernel's summation order, so across kernels they agree within 1e-4 (absolute; the
#       values are O(1); measured: 4e-6) and TargetFM1's probabilities within 2e-5 (measured: 3e-6),
#       not bit for bit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# the kernels this CPU runs; the others are named once on stderr
kernels() {
    local flags k need f missing
    flags=" $(grep -m1 '^flags' /proc/cpuinfo 2> /dev/null | cut -d: -f2) "
    echo unset
    for k in Sandybridge:avx Haswell:avx2,fma SkylakeX:avx512f,avx512cd,avx512bw,avx512dq,avx512vl; do
        need=${k#*:} missing=""
        for f in ${need//,/ }; do [[ $flags == *" $f "* ]] || missing="$missing $f"; done
        if [ -n "$missing" ]; then echo "skip: OPENBLAS_CORETYPE=${k%%:*}: this CPU lacks$missing" >&2; else echo "${k%%:*}"; fi
    done
}

# under kernel $1 (unset: none), run the rest
under() {
    local k=$1; shift
    if [ "$k" = unset ]; then env -u OPENBLAS_CORETYPE "$@"; else OPENBLAS_CORETYPE=$k "$@"; fi
}

case ${1:-} in
train)
    gzip -dc "$2" | awk 'NR == 1 || NR % 10 == 0' > "$tmp/sub.tsv"
    ks=$(kernels)
    for arch in "deeptarget --site-mode 10-mer-m6" targetnet; do
        opts="--arch $arch --epochs 2 --batch 32 --lr 0.001 --seed 1 --select loss"
        runs=()
        for k in $ks; do
            for t in 1 2; do
                # shellcheck disable=SC2086 # opts are words
                under "$k" tfm-train -q $opts -t $t "$tmp/sub.tsv" -o "$tmp/$k.$t.safetensors"
                runs+=("$k.$t")
            done
        done
        for isa in avx512 avx2 generic; do
            # shellcheck disable=SC2086
            if ! TFM_GEMM_ISA=$isa tfm-train -q $opts -t 2 "$tmp/sub.tsv" -o "$tmp/$isa.safetensors" 2> "$tmp/err"; then
                grep -q 'cannot run' "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
                echo "skip: TFM_GEMM_ISA=$isa: $(sed 's/^tfm-train: //' "$tmp/err")" >&2
                continue
            fi
            runs+=("$isa")
        done
        for r in "${runs[@]}"; do
            cmp -s "$tmp/${runs[0]}.safetensors" "$tmp/$r.safetensors" ||
                { echo "blas_kernels.sh: --arch $arch: $r differs from ${runs[0]}" >&2; exit 1; }
        done
        echo "blas_kernels.sh: --arch $arch: the same bytes in ${#runs[@]} runs (${runs[*]})" >&2
    done
    ;;
rnafm)
    # the first kernel's output is the reference; floats of each .npy after its 128-byte header
    floats() { tail -c +129 "$1" | od -An -v -t f4 | tr -s ' ' '\n' | grep .; }
    ks=$(kernels)
    for k in $ks; do
        under "$k" tfm-encode -s rnafm --rnafm-det 1 --npy "$tmp/$k.npy" "$here/data/score/rnafm_encode.tsv" > /dev/null
        under "$k" tfm-score -m "$TFM_DATA/models/TargetFM1_head_weights.pt" --rnafm-det 1 \
            "$here/data/score/targetfm_e2e.tsv" | cut -f8 > "$tmp/$k.score"
    done
    ref=${ks%%$'\n'*} # the first line, without a pipe: head exiting early would SIGPIPE the writer (pipefail)
    for k in $ks; do
        paste <(floats "$tmp/$ref.npy") <(floats "$tmp/$k.npy") |
            awk -v k="$k" '{d = $1 - $2; d = d < 0 ? -d : d; if (d > m) m = d} END {printf "blas_kernels.sh: %s: representations within %.3g of the first kernel'"'"'s (%d floats)\n", k, m, NR > "/dev/stderr"; exit !(NR == 57600 && m <= 1e-4)}'
        paste "$tmp/$ref.score" "$tmp/$k.score" |
            awk -v k="$k" 'NR > 1 && $1 != "" {n++; d = $1 - $2; d = d < 0 ? -d : d; if (d > m) m = d} END {printf "blas_kernels.sh: %s: TargetFM1 probabilities within %.3g (%d)\n", k, m, n > "/dev/stderr"; exit !(n == 6 && m <= 2e-5)}'
    done
    ;;
*)
    echo "usage: blas_kernels.sh train DATA | rnafm" >&2
    exit 2
    ;;
esac
