# Workflows (format: see tests/run.sh). `need PROG;` skips a case when PROG is not installed.
# Snakemake (Debian package snakemake; .ci/run installs it and tabix when CI=true): N shards
# gathered == the unsharded pipeline, all-vs-all (3 and 7 shards), pairs through an indexed FASTA
# (3), top N per miRNA + bgzipped full table (3, needs bgzip); a log per stage of every shard
0	-	snakemake workflow: gathered output equals the unsharded pipeline	need snakemake; bash workflow_snakemake.sh
# Nextflow cannot be installed here: the structure of the nf-core-style modules and main.nf
0	-	nextflow workflow: structure ok	bash workflow_nextflow.sh
# issue 12: the Snakefile's rules and the Nextflow processes run their shell with pipefail
0	-	workflow pipefail: ok	bash workflow_pipefail.sh
