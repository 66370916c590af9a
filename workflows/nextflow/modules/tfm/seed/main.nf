// nf-core-style module: candidate sites of miRNAs on transcripts, one shard (tfm-seed --shard K/N).
// transcripts_index: [] or the .fai (and .gzi) of transcripts, staged beside it for --pairs lookups.
// pairs: [] for all-vs-all, or a pairs TSV.
process TFM_SEED {
    tag "${meta.id}"
    label 'process_medium'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(mirnas), path(transcripts), path(transcripts_index)
    path pairs

    output:
    tuple val(meta), path("*.sites.tsv.gz"), emit: sites
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    // meta.shard / meta.nshards: this task does block shard of nshards (tfm-seed --shard)
    def shard = meta.nshards ? "--shard ${meta.shard}/${meta.nshards}" : ''
    def pairs_opt = pairs ? "--pairs ${pairs}" : ''
    """
    tfm-seed -q -v -t ${task.cpus} ${shard} ${pairs_opt} ${args} -o ${prefix}.sites.tsv.gz ${mirnas} ${transcripts}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-seed: \$(tfm-seed --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo | gzip > ${prefix}.sites.tsv.gz
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-seed: \$(tfm-seed --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
