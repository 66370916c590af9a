# Sourced by the scripts of models/ as `. "$(dirname "$0")/data.sh" NAME`: sets top (the
# checkout), puts its bin/ first on PATH and sets D to the data pack, $TFM_DATA (default
# ../shared/data beside the checkout; a relative path is taken from the checkout). Without the
# pack: one line "skip: NAME: ..." and the script exits 0, as the tests and benchmarks do.
# Defines drop_column, which the scripts share.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PATH=$top/bin:$PATH
D=${TFM_DATA:-$top/../shared/data}
case $D in /*) ;; *) D=$top/$D ;; esac
[ -f "$D/README.md" ] || { echo "skip: $1: TFM_DATA ($D) not found"; exit 0; }
drop_column() { # $1: name; a TSV on stdin without that column (e.g. mirna_prior: the scores alone)
    awk -F'\t' -v name="$1" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == name) c = i}
        {n = 0; for (i = 1; i <= NF; i++) if (i != c) printf "%s%s", n++ ? "\t" : "", $i; printf "\n"}'
}
